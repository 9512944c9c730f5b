package io.tokenworks.protocol.tau;

import static io.tokenworks.protocol.tau.TauFrameDescriptor.APPEND_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.CERTIFICATE_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.ERR_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.LABEL_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.QUERY_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.THREE_LABEL_PAYLOAD_LENGTH;

/**
 * The TAU v1 opcodes, with the exact payload length each one requires.
 *
 * <p>Codes are sparse and grouped by purpose (0x0_ session, 0x1_ series, 0x2_ writes, 0x3_ reads,
 * 0x4_ lenses, 0xF_ replies), so Tokenworks extensions take free codes inside their group (e.g. a
 * batch append beside APPEND at 0x2_, a range query beside QUERY_POINT at 0x3_) and v1 clients
 * never see them unless they ask.
 */
public enum TauOpcode {
  CONNECT(0x01, CERTIFICATE_LENGTH),
  DISCONNECT(0x02, TauOpcode.ANY_LENGTH),
  PING(0x03, TauOpcode.ANY_LENGTH),
  PONG(0x04, TauOpcode.ANY_LENGTH),
  CREATE_SERIES(0x10, LABEL_PAYLOAD_LENGTH),
  DROP_SERIES(0x11, LABEL_PAYLOAD_LENGTH),
  APPEND(0x20, APPEND_PAYLOAD_LENGTH),
  QUERY_POINT(0x30, QUERY_PAYLOAD_LENGTH),
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

  /** The exact payload length this opcode requires, or {@link #ANY_LENGTH}. */
  public int payloadLength() {
    return payloadLength;
  }

  /** Whether a payload of {@code length} bytes is valid for this opcode. */
  public boolean acceptsPayloadLength(int length) {
    return payloadLength == ANY_LENGTH || payloadLength == length;
  }

  /** Whether only a server sends this opcode. */
  public boolean isReply() {
    return this == OK || this == ERR || this == PONG;
  }

  /** The opcode for a byte, or {@code null} when the byte is no TAU v1 opcode. */
  public static TauOpcode fromCode(int code) {
    return BY_CODE[code & 0xFF];
  }
}
