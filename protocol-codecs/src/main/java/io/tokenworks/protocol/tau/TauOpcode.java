package io.tokenworks.protocol.tau;

import static io.tokenworks.protocol.tau.TauFrameDescriptor.APPEND_BATCH_MIN_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.APPEND_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.BATCH_COUNT_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.BYTE_ORDER;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.CERTIFICATE_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.ERR_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.LABEL_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.POINT_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.QUERY_AGGREGATE_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.QUERY_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.QUERY_RANGE_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.THREE_LABEL_PAYLOAD_LENGTH;

import org.agrona.DirectBuffer;

/**
 * The TAU v1 opcodes and the Tokenworks extensions, with the payload length each one requires.
 *
 * <p>Codes are sparse and grouped by purpose (0x0_ session, 0x1_ series, 0x2_ writes, 0x3_ reads,
 * 0x4_ lenses, 0xF_ replies), so the extensions take free codes inside their group (APPEND_BATCH
 * beside APPEND at 0x21, the range, latest and aggregate queries beside QUERY_POINT at 0x31..0x33,
 * LIST_SERIES at 0x12) and v1 clients never see them unless they ask.
 *
 * <p>Three length rules exist: an exact length, {@link #ANY_LENGTH} (ignored or reply-specific) and
 * {@link #VARIABLE_LENGTH}, validated against the payload itself by {@link #acceptsPayload}
 * (APPEND_BATCH: {@code 36 + 16 x count}).
 */
public enum TauOpcode {
  CONNECT(0x01, CERTIFICATE_LENGTH),
  DISCONNECT(0x02, TauOpcode.ANY_LENGTH),
  PING(0x03, TauOpcode.ANY_LENGTH),
  PONG(0x04, TauOpcode.ANY_LENGTH),
  CREATE_SERIES(0x10, LABEL_PAYLOAD_LENGTH),
  DROP_SERIES(0x11, LABEL_PAYLOAD_LENGTH),
  /** Extension: the labels of every series. Empty request; OK carries N×32 labels. */
  LIST_SERIES(0x12, 0),
  APPEND(0x20, APPEND_PAYLOAD_LENGTH),
  /** Extension: many points of one series in one frame, applied all or none. */
  APPEND_BATCH(0x21, TauOpcode.VARIABLE_LENGTH),
  QUERY_POINT(0x30, QUERY_PAYLOAD_LENGTH),
  /** Extension: the points in a closed time range, at most {@code limit}, paged. */
  QUERY_RANGE(0x31, QUERY_RANGE_PAYLOAD_LENGTH),
  /** Extension: the last point at or before a timestamp. */
  QUERY_LATEST(0x32, QUERY_PAYLOAD_LENGTH),
  /** Extension: count, min, max, sum and mean over a closed time range. */
  QUERY_AGGREGATE(0x33, QUERY_AGGREGATE_PAYLOAD_LENGTH),
  CREATE_LENS(0x40, THREE_LABEL_PAYLOAD_LENGTH),
  DROP_LENS(0x41, LABEL_PAYLOAD_LENGTH),
  QUERY_LENS(0x42, QUERY_PAYLOAD_LENGTH),
  COMPOSE_LENS(0x43, THREE_LABEL_PAYLOAD_LENGTH),
  LIST_LENSES(0x44, TauOpcode.ANY_LENGTH),
  /** Success reply; its payload depends on the request it answers. */
  OK(0xF0, TauOpcode.ANY_LENGTH),
  /** Error reply; its payload is one {@link TauStatus} byte. */
  ERR(0xFF, ERR_PAYLOAD_LENGTH);

  /** Marks an opcode whose payload may have any length (it is ignored or opcode-specific). */
  public static final int ANY_LENGTH = -1;

  /**
   * Marks an opcode whose payload length depends on its content; see {@link #acceptsPayload} and
   * {@link #minPayloadLength()}.
   */
  public static final int VARIABLE_LENGTH = -2;

  private static final TauOpcode[] BY_CODE = new TauOpcode[256];

  static {
    for (TauOpcode opcode : values()) {
      BY_CODE[opcode.code] = opcode;
    }
  }

  private final int code;
  private final int payloadLength;

  TauOpcode(int code, int payloadLength) {
    this.code = code;
    this.payloadLength = payloadLength;
  }

  /** The opcode byte, 0..255. */
  public int code() {
    return code;
  }

  /**
   * The exact payload length this opcode requires, {@link #ANY_LENGTH} or {@link #VARIABLE_LENGTH}.
   */
  public int payloadLength() {
    return payloadLength;
  }

  /** The shortest payload this opcode accepts (0 for {@link #ANY_LENGTH}). */
  public int minPayloadLength() {
    return switch (payloadLength) {
      case ANY_LENGTH -> 0;
      case VARIABLE_LENGTH -> APPEND_BATCH_MIN_PAYLOAD_LENGTH;
      default -> payloadLength;
    };
  }

  /**
   * Whether a payload of {@code length} bytes can be valid for this opcode. For a {@link
   * #VARIABLE_LENGTH} opcode this is only the shape check; {@link #acceptsPayload} reads the count.
   */
  public boolean acceptsPayloadLength(int length) {
    if (payloadLength == VARIABLE_LENGTH) {
      return length >= APPEND_BATCH_MIN_PAYLOAD_LENGTH
          && (length - APPEND_BATCH_MIN_PAYLOAD_LENGTH) % POINT_LENGTH == 0;
    }
    return payloadLength == ANY_LENGTH || payloadLength == length;
  }

  /**
   * Whether the {@code length}-byte payload at {@code payloadOffset} has the length this opcode
   * requires; for APPEND_BATCH, exactly {@code 36 + 16 x count} with {@code count} read from the
   * payload. Allocates nothing.
   */
  public boolean acceptsPayload(DirectBuffer buffer, int payloadOffset, int length) {
    if (!acceptsPayloadLength(length)) {
      return false;
    }
    if (payloadLength != VARIABLE_LENGTH) {
      return true;
    }
    long count = buffer.getInt(payloadOffset + BATCH_COUNT_OFFSET, BYTE_ORDER) & 0xFFFF_FFFFL;
    return TauFrameDescriptor.appendBatchPayloadLength(count) == length;
  }

  /** Whether only a server sends this opcode. */
  public boolean isReply() {
    return this == OK || this == ERR || this == PONG;
  }

  /** Whether this opcode is a Tokenworks extension that upstream TAU v1 does not know. */
  public boolean isExtension() {
    return this == LIST_SERIES
        || this == APPEND_BATCH
        || this == QUERY_RANGE
        || this == QUERY_LATEST
        || this == QUERY_AGGREGATE;
  }

  /** The opcode for a byte, or {@code null} when the byte is no TAU opcode. */
  public static TauOpcode fromCode(int code) {
    return BY_CODE[code & 0xFF];
  }
}
