package io.tokenworks.latzero.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.tokenworks.protocol.latzero.LatZeroFrameDescriptor;
import io.tokenworks.protocol.latzero.LatZeroIds;
import io.tokenworks.protocol.latzero.LatZeroMessageCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Encodes every frame the server sends, straight into a pooled {@link ByteBuf} with Jackson's
 * streaming generator: the length prefix, then the envelope ({@code type}, {@code id}, {@code
 * timestamp}, {@code protocol_version}), then the type's fields. One encode per frame, no tree.
 * Thread-safe; any thread may encode for any connection.
 */
final class Frames {

  /** The protocol version every server-sent frame carries. */
  static final String PROTOCOL_VERSION = "0.1.0";

  /** The server's version in {@code handshake_ack}. */
  static final String SERVER_VERSION = "tokenworks-latzero-0.1.0";

  /** Writes the fields of one message type after the envelope. */
  @FunctionalInterface
  interface Body {
    void write(JsonGenerator json) throws IOException;
  }

  /** The body would exceed the frame limit; the caller sends a smaller frame instead. */
  static final class TooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooLarge(int length, int max) {
      super("the frame would be " + length + " bytes, over max-frame=" + max, null, false, false);
    }
  }

  private final JsonFactory factory;
  private final ObjectMapper mapper;
  private final int maxFrameBytes;

  Frames(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
    this.factory =
        JsonFactory.builder()
            .streamWriteConstraints(
                StreamWriteConstraints.builder()
                    .maxNestingDepth(LatZeroMessageCodec.MAX_NESTING_DEPTH)
                    .build())
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();
    this.mapper = JsonMapper.builder(factory).build();
  }

  /** The mapper sharing this encoder's factory, for trees written into generators. */
  ObjectMapper mapper() {
    return mapper;
  }

  /**
   * One frame of {@code type}: the envelope with a fresh UUIDv4 {@code id}, then {@code body}.
   *
   * @throws TooLarge when the body exceeds the frame limit (nothing is left allocated)
   */
  ByteBuf frame(ByteBufAllocator alloc, String type, Body body) {
    return frame(alloc, type, null, body);
  }

  /** One frame of {@code type} whose {@code id} is {@code id}, or a fresh UUIDv4 when null. */
  ByteBuf frame(ByteBufAllocator alloc, String type, String id, Body body) {
    ByteBuf buffer = alloc.ioBuffer(256);
    boolean done = false;
    try {
      buffer.writeInt(0);
      try (JsonGenerator json =
          factory.createGenerator((OutputStream) new ByteBufOutputStream(buffer))) {
        json.writeStartObject();
        json.writeStringField("type", type);
        json.writeFieldName("id");
        if (id == null) {
          writeUuid(json);
        } else {
          json.writeString(id);
        }
        json.writeNumberField("timestamp", System.currentTimeMillis());
        json.writeStringField("protocol_version", PROTOCOL_VERSION);
        body.write(json);
        json.writeEndObject();
      }
      int length = buffer.readableBytes() - LatZeroFrameDescriptor.HEADER_LENGTH;
      if (length > maxFrameBytes) {
        throw new TooLarge(length, maxFrameBytes);
      }
      buffer.setInt(0, length);
      done = true;
      return buffer;
    } catch (IOException e) {
      // Writing to a ByteBuf does no I/O; only a nesting limit or a bug gets here.
      throw new UncheckedIOException(e);
    } finally {
      if (!done) {
        buffer.release();
      }
    }
  }

  /** The canonical error frame: {@code in_reply_to} (null allowed), status, error, error_code. */
  ByteBuf error(ByteBufAllocator alloc, String inReplyTo, String code, String message) {
    return frame(
        alloc,
        "error",
        json -> {
          writeInReplyTo(json, inReplyTo);
          json.writeStringField("status", "error");
          json.writeStringField("error", message);
          json.writeStringField("error_code", code);
        });
  }

  /** A success {@code response} whose {@code result} is a tree (null writes JSON null). */
  ByteBuf response(ByteBufAllocator alloc, String inReplyTo, JsonNode result) {
    return response(
        alloc,
        inReplyTo,
        json -> {
          if (result == null) {
            json.writeNull();
          } else {
            mapper.writeTree(json, result);
          }
        });
  }

  /** A success {@code response} whose {@code result} value {@code result} writes. */
  ByteBuf response(ByteBufAllocator alloc, String inReplyTo, Body result) {
    return frame(
        alloc,
        "response",
        json -> {
          writeInReplyTo(json, inReplyTo);
          json.writeStringField("status", "success");
          json.writeFieldName("result");
          result.write(json);
        });
  }

  ByteBuf handshakeAck(
      ByteBufAllocator alloc,
      String inReplyTo,
      String appId,
      List<String> pools,
      List<String> triggers,
      boolean rehydrated) {
    return frame(
        alloc,
        "handshake_ack",
        json -> {
          writeInReplyTo(json, inReplyTo);
          json.writeStringField("status", "success");
          json.writeObjectFieldStart("assigned");
          json.writeStringField("app_id", appId);
          writeStrings(json, "pools", pools);
          writeStrings(json, "triggers", triggers);
          json.writeBooleanField("rehydrated", rehydrated);
          json.writeEndObject();
          json.writeStringField("server_version", SERVER_VERSION);
        });
  }

  /** A call for a handler: {@code id} is the dispatch id the handler must quote. */
  ByteBuf trigger(
      ByteBufAllocator alloc,
      long dispatchId,
      String callId,
      String origin,
      String pool,
      String trigger,
      JsonNode payload,
      long ttlMs) {
    return frame(
        alloc,
        "trigger",
        Long.toString(dispatchId),
        json -> {
          json.writeStringField("call_id", callId);
          json.writeStringField("origin", origin);
          json.writeStringField("pool", pool);
          json.writeStringField("trigger", trigger);
          json.writeFieldName("payload");
          mapper.writeTree(json, payload);
          json.writeNumberField("ttl", ttlMs);
        });
  }

  ByteBuf emit(
      ByteBufAllocator alloc, String origin, String pool, String trigger, JsonNode payload) {
    return frame(
        alloc,
        "emit",
        json -> {
          json.writeStringField("origin", origin);
          json.writeStringField("pool", pool);
          json.writeStringField("trigger", trigger);
          json.writeFieldName("payload");
          mapper.writeTree(json, payload);
        });
  }

  ByteBuf memoryUpdate(
      ByteBufAllocator alloc, String pool, String block, long version, String writer) {
    return frame(
        alloc,
        "memory_update",
        json -> {
          writeBlock(json, pool, block);
          json.writeNumberField("version", version);
          json.writeStringField("writer", writer);
        });
  }

  ByteBuf memoryNotify(
      ByteBufAllocator alloc, String pool, String block, String origin, JsonNode payload) {
    return frame(
        alloc,
        "memory_notify",
        json -> {
          writeBlock(json, pool, block);
          json.writeStringField("origin", origin);
          json.writeFieldName("payload");
          mapper.writeTree(json, payload);
        });
  }

  private static void writeBlock(JsonGenerator json, String pool, String block) throws IOException {
    json.writeStringField("pool", pool);
    json.writeStringField("block", block);
    json.writeStringField("block_id", pool + ":" + block);
  }

  ByteBuf pong(ByteBufAllocator alloc, String inReplyTo) {
    return frame(alloc, "pong", json -> writeInReplyTo(json, inReplyTo));
  }

  static void writeInReplyTo(JsonGenerator json, String inReplyTo) throws IOException {
    if (inReplyTo == null) {
      json.writeNullField("in_reply_to");
    } else {
      json.writeStringField("in_reply_to", inReplyTo);
    }
  }

  static void writeStrings(JsonGenerator json, String field, List<String> values)
      throws IOException {
    json.writeArrayFieldStart(field);
    for (String value : values) {
      json.writeString(value);
    }
    json.writeEndArray();
  }

  /** A fresh id (a random version-4 UUID), written without an intermediate string. */
  static void writeUuid(JsonGenerator json) throws IOException {
    char[] chars = new char[LatZeroIds.LENGTH];
    LatZeroIds.next(chars);
    json.writeString(chars, 0, LatZeroIds.LENGTH);
  }
}
