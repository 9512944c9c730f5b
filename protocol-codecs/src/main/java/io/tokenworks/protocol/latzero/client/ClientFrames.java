package io.tokenworks.protocol.latzero.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tokenworks.protocol.latzero.LatZeroFrameDescriptor;
import io.tokenworks.protocol.latzero.LatZeroIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Encodes the client's frames with Jackson's streaming generator: the length prefix, the envelope
 * upstream's clients send ({@code type}, {@code id}, {@code timestamp}, {@code protocol_version}),
 * then the message's fields. Thread-safe.
 */
final class ClientFrames {

  static final String PROTOCOL_VERSION = "0.1.0";

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

  /** A fresh request id (a random version-4 UUID). */
  static String uuid() {
    return LatZeroIds.next();
  }
}
