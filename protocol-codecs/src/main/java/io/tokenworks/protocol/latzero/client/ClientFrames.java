package io.tokenworks.protocol.latzero.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tokenworks.protocol.latzero.LatZeroFrameDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Encodes the client's frames with Jackson's streaming generator: the length prefix, the envelope
 * upstream's clients send ({@code type}, {@code id}, {@code timestamp}, {@code protocol_version}),
 * then the message's fields. Thread-safe.
 */
final class ClientFrames {

  static final String PROTOCOL_VERSION = "0.1.0";

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Writes a message's fields after the envelope. */
  @FunctionalInterface
  interface Body {
    void write(JsonGenerator json) throws IOException;
  }

  private final JsonFactory factory =
      JsonFactory.builder().enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();
  private final ObjectMapper mapper = JsonMapper.builder(factory).build();
  private final int maxFrameBytes;

  ClientFrames(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  ObjectMapper mapper() {
    return mapper;
  }

  /**
   * The whole frame of one message.
   *
   * @throws IllegalArgumentException when the body exceeds the frame limit
   */
  byte[] frame(String type, String id, Body body) {
    ByteArrayBuilder bytes = new ByteArrayBuilder(256);
    try {
      bytes.write(new byte[LatZeroFrameDescriptor.HEADER_LENGTH]);
      try (JsonGenerator json = factory.createGenerator(bytes)) {
        json.writeStartObject();
        json.writeStringField("type", type);
        json.writeStringField("id", id);
        json.writeNumberField("timestamp", System.currentTimeMillis());
        json.writeStringField("protocol_version", PROTOCOL_VERSION);
        body.write(json);
        json.writeEndObject();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] frame = bytes.toByteArray();
    int length = frame.length - LatZeroFrameDescriptor.HEADER_LENGTH;
    if (length > maxFrameBytes) {
      throw new IllegalArgumentException(
          "the "
              + type
              + " message would be "
              + length
              + " bytes, over maxFrameBytes="
              + maxFrameBytes);
    }
    frame[0] = (byte) (length >>> 24);
    frame[1] = (byte) (length >>> 16);
    frame[2] = (byte) (length >>> 8);
    frame[3] = (byte) length;
    return frame;
  }

  void tree(JsonGenerator json, String field, JsonNode value) throws IOException {
    json.writeFieldName(field);
    if (value == null) {
      json.writeNull();
    } else {
      mapper.writeTree(json, value);
    }
  }

  static void strings(JsonGenerator json, String field, List<String> values) throws IOException {
    json.writeArrayFieldStart(field);
    for (String value : values) {
      json.writeString(value);
    }
    json.writeEndArray();
  }

  /**
   * A random version-4 UUID. Request ids need to be unique, not unpredictable, so a thread-local
   * generator replaces {@link java.util.UUID#randomUUID()}'s shared {@code SecureRandom}.
   */
  static String uuid() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    char[] chars = new char[36];
    int at = 0;
    for (int nibble = 15; nibble >= 0; nibble--) {
      if (nibble == 7 || nibble == 3) {
        chars[at++] = '-';
      }
      chars[at++] = HEX[(int) (high >>> (nibble * 4)) & 0xF];
    }
    for (int nibble = 15; nibble >= 0; nibble--) {
      if (nibble == 15 || nibble == 11) {
        chars[at++] = '-';
      }
      chars[at++] = HEX[(int) (low >>> (nibble * 4)) & 0xF];
    }
    return new String(chars);
  }
}
