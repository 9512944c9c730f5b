package io.tokenworks.protocol.latzero;

import static io.tokenworks.protocol.latzero.LatZeroFrameDescriptor.DEFAULT_MAX_FRAME_LENGTH;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenworks.protocol.latzero.LatZeroMessageResult.Invalid;
import io.tokenworks.protocol.latzero.LatZeroMessageResult.Message;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import org.agrona.DirectBuffer;

/**
 * The LatZero Gen-1 envelope: a frame's body is one JSON object whose string {@code type} names the
 * message. This layer checks only that much; the fields of each message type are the business of
 * whoever routes them. It runs after {@link LatZeroFrameDecoder} has found a whole frame, off the
 * hot path, and allocates a tree per message.
 *
 * <p>Parsing is strict where upstream's {@code JSON.parse} was loose or unsafe: invalid UTF-8 is an
 * error rather than U+FFFD; the body is always UTF-8 (Jackson would otherwise guess UTF-16 or
 * UTF-32 from zero bytes); duplicate keys, trailing bytes and a byte order mark are errors; and
 * nesting is capped at {@link #MAX_NESTING_DEPTH}. Upstream's code keys messages on {@code type}
 * while its README and tests say {@code action}; an object with no {@code type} key but a string
 * {@code action} is accepted with that as its type, so clients written from the README keep
 * working.
 *
 * <p>{@link #parse} never throws for bad bytes; every failure is an {@link Invalid} naming a {@link
 * LatZeroMessageError}. Each codec owns one configured {@link ObjectMapper}, reused for every
 * message. Thread-safe.
 */
public final class LatZeroMessageCodec {

  /**
   * How deep arrays and objects may nest, the top-level object counting as 1. Deeper input is
   * {@link LatZeroMessageError#NESTING_TOO_DEEP} and {@link #encode} refuses to write it.
   */
  public static final int MAX_NESTING_DEPTH = 256;

  /** Jackson's own default: longer numbers cost time out of proportion to their length. */
  private static final int MAX_NUMBER_LENGTH = 1000;

  private final LatZeroFrameEncoder frameEncoder;
  private final JsonFactory jsonFactory;
  private final ObjectMapper mapper;

  /** A codec for bodies up to the protocol's 16 MiB ceiling. */
  public LatZeroMessageCodec() {
    this(DEFAULT_MAX_FRAME_LENGTH);
  }

  /**
   * A codec whose {@link #encode} refuses bodies longer than {@code maxFrameLength} bytes; {@link
   * #parse} trusts the frame decoder to have applied the same limit.
   *
   * @throws IllegalArgumentException when the limit is below 1 or above the protocol's 16 MiB
   *     ceiling
   */
  public LatZeroMessageCodec(int maxFrameLength) {
    this.frameEncoder = new LatZeroFrameEncoder(maxFrameLength);
    this.jsonFactory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    // The frame limit already bounds strings and keys; Jackson's default of 50,000
                    // characters for a key would reject valid JSON.
                    .maxStringLength(DEFAULT_MAX_FRAME_LENGTH)
                    .maxNameLength(DEFAULT_MAX_FRAME_LENGTH)
                    .build())
            .streamWriteConstraints(
                StreamWriteConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            // Emoji as their four UTF-8 bytes, as upstream's JSON.stringify sends them, not as two
            // six-byte escapes that would eat into the frame limit.
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            // Error details must not copy the body around.
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            // Keys come from peers: no String.intern(). The symbol table stays (Jackson parses
            // bytes
            // only with it, through a Reader without it: half the speed), bounded by Jackson and
            // guarded against collision floods, which fail that one message.
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();
    this.mapper =
        JsonMapper.builder(jsonFactory)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Duplicate keys are found as the tree is built, from the map's own put: the parser's
            // duplicate detection kept a second set of every object's keys.
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();
  }

  /** The largest body {@link #encode} writes, in bytes, the prefix not counted. */
  public int maxFrameLength() {
    return frameEncoder.maxFrameLength();
  }

  /**
   * Parses the body of one frame, typically {@code (buffer, decoder.payloadOffset(),
   * decoder.payloadLength())} after {@link LatZeroDecodeResult#FRAME}. Allocates in proportion to
   * the body (the tree, and a UTF-16 copy when the body is not plain ASCII) plus a few KiB; keeps
   * no reference to the buffer.
   *
   * @return a {@link Message}, or an {@link Invalid} saying why not; never throws for bad bytes
   * @throws IndexOutOfBoundsException when {@code offset} and {@code length} do not lie within the
   *     buffer
   */
  public LatZeroMessageResult parse(DirectBuffer buffer, int offset, int length) {
    buffer.boundsCheck(offset, length);
    ByteBuffer bytes = bytesOf(buffer, offset, length);
    if (isPrintableAscii(bytes)) {
      // The common case, parsed from the bytes: ASCII is valid UTF-8, and with neither a zero byte
      // nor a byte order mark Jackson's encoding detection can only choose UTF-8.
      return parseJson(bytes.array(), bytes.arrayOffset() + bytes.position(), length);
    }
    int start = bytes.position();
    // UTF-8 never needs more chars than bytes, so the decoder cannot overflow this.
    CharBuffer chars = CharBuffer.allocate(length);
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder(); // reports malformed input
    CoderResult result = utf8.decode(bytes, chars, true);
    if (!result.isError()) {
      result = utf8.flush(chars);
    }
    if (result.isError()) {
      return invalid(
          LatZeroMessageError.MALFORMED_UTF8,
          "invalid UTF-8 at byte " + (bytes.position() - start));
    }
    return parseJson(chars.array(), chars.position());
  }

  /** Whether every byte is in 1..127: ASCII without NUL. */
  private static boolean isPrintableAscii(ByteBuffer bytes) {
    byte[] array = bytes.array();
    for (int i = bytes.arrayOffset() + bytes.position(), end = i + bytes.remaining();
        i < end;
        i++) {
      if (array[i] <= 0) {
        return false;
      }
    }
    return true;
  }

  /** The body in place when the buffer wraps an array, otherwise a copy. */
  private static ByteBuffer bytesOf(DirectBuffer buffer, int offset, int length) {
    byte[] array = buffer.byteArray();
    if (array != null) {
      return ByteBuffer.wrap(array, buffer.wrapAdjustment() + offset, length);
    }
    byte[] copy = new byte[length];
    buffer.getBytes(offset, copy);
    return ByteBuffer.wrap(copy);
  }

  private LatZeroMessageResult parseJson(char[] chars, int length) {
    try (JsonParser parser = jsonFactory.createParser(chars, 0, length)) {
      return parseJson(parser);
    } catch (IOException e) {
      // Reading a char array does no I/O; Jackson's signatures still declare it.
      return invalid(LatZeroMessageError.MALFORMED_JSON, String.valueOf(e.getMessage()));
    }
  }

  private LatZeroMessageResult parseJson(byte[] bytes, int offset, int length) {
    try (JsonParser parser = jsonFactory.createParser(bytes, offset, length)) {
      return parseJson(parser);
    } catch (IOException e) {
      return invalid(LatZeroMessageError.MALFORMED_JSON, String.valueOf(e.getMessage()));
    }
  }

  private LatZeroMessageResult parseJson(JsonParser parser) {
    JsonNode tree;
    try {
      try {
        tree = mapper.readTree(parser);
      } catch (StreamConstraintsException e) {
        if (parser.getParsingContext().getNestingDepth() > MAX_NESTING_DEPTH) {
          return invalid(
              LatZeroMessageError.NESTING_TOO_DEEP,
              "nesting deeper than MAX_NESTING_DEPTH=" + MAX_NESTING_DEPTH + location(e));
        }
        return invalid(LatZeroMessageError.MALFORMED_JSON, describe(e));
      }
    } catch (JsonProcessingException e) {
      return invalid(LatZeroMessageError.MALFORMED_JSON, describe(e));
    } catch (IOException e) {
      return invalid(LatZeroMessageError.MALFORMED_JSON, String.valueOf(e.getMessage()));
    } catch (IllegalStateException e) {
      // The symbol table's flood guard: too many keys with colliding hashes.
      return invalid(
          LatZeroMessageError.MALFORMED_JSON, "too many colliding keys: " + e.getMessage());
    }
    if (tree == null) {
      return invalid(LatZeroMessageError.MALFORMED_JSON, "no JSON value in the body");
    }
    if (!(tree instanceof ObjectNode object)) {
      return invalid(
          LatZeroMessageError.NOT_AN_OBJECT,
          "top-level value is " + kind(tree) + ", not an object");
    }
    return typed(object);
  }

  private static LatZeroMessageResult typed(ObjectNode object) {
    JsonNode type = object.get("type");
    if (type == null) {
      JsonNode action = object.get("action");
      if (isName(action)) {
        return new Message(object, action.textValue());
      }
      return invalid(
          LatZeroMessageError.MISSING_TYPE,
          "no \"type\" field (nor a legacy \"action\") with a non-empty string");
    }
    if (isName(type)) {
      return new Message(object, type.textValue());
    }
    return invalid(
        LatZeroMessageError.MISSING_TYPE, "\"type\" is " + kind(type) + ", not a non-empty string");
  }

  private static boolean isName(JsonNode node) {
    return node != null && node.isTextual() && !node.textValue().isEmpty();
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NULL -> "null";
      case STRING -> node.textValue().isEmpty() ? "an empty string" : "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  private static String describe(JsonProcessingException e) {
    return e.getOriginalMessage() + location(e);
  }

  private static String location(JsonProcessingException e) {
    JsonLocation location = e.getLocation();
    if (location == null) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  private static Invalid invalid(LatZeroMessageError error, String detail) {
    return new Invalid(error, detail);
  }

  /**
   * The whole frame, prefix and UTF-8 JSON, of {@code message}. The object is written as it is:
   * nothing is added (ids and timestamps belong to the caller) and the {@code type} is not checked,
   * so a message forwarded unchanged stays unchanged. Unpaired surrogates are written as {@code
   * \uD800}-style escapes; in a key, the receiving {@link #parse} refuses them.
   *
   * @throws IllegalArgumentException when the body would exceed {@link #maxFrameLength()} bytes or
   *     the object nests deeper than {@link #MAX_NESTING_DEPTH}
   */
  public byte[] encode(ObjectNode message) {
    Objects.requireNonNull(message, "message");
    byte[] body;
    try {
      body = mapper.writeValueAsBytes(message);
    } catch (StreamConstraintsException e) {
      throw new IllegalArgumentException(
          "message nests deeper than MAX_NESTING_DEPTH=" + MAX_NESTING_DEPTH, e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "message cannot be written as JSON: " + e.getOriginalMessage(), e);
    }
    return frameEncoder.encode(body);
  }
}
