package io.tokenworks.protocol.tkn;

import static io.tokenworks.protocol.tkn.TknHelloDescriptor.ACK_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.ERROR_MIN_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.FLUSHED_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.FLUSH_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.HELLO_MIN_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.MAX_ERROR_MESSAGE_LENGTH;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.MAX_SESSION_ID_LENGTH;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.MAX_TENANT_LENGTH;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.MAX_TOKEN_LENGTH;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.READY_MIN_PAYLOAD_LENGTH;

/**
 * The control frame types of HELLO mode (see {@link TknHelloDescriptor}), in a range v1 never uses,
 * so a v1 server skips them as unknown types. Each type knows the payload lengths its layout
 * allows, which lets a decoder refuse an oversized control frame from its header alone.
 */
public enum TknControlType {
  /** Opens HELLO mode: magic, version, flags, tenant, auth token. */
  HELLO(
      0x10,
      false,
      HELLO_MIN_PAYLOAD_LENGTH,
      HELLO_MIN_PAYLOAD_LENGTH + MAX_TENANT_LENGTH + MAX_TOKEN_LENGTH),
  /** Accepts a HELLO: version, initial credit, max payload length, session id. */
  READY(0x11, true, READY_MIN_PAYLOAD_LENGTH, READY_MIN_PAYLOAD_LENGTH + MAX_SESSION_ID_LENGTH),
  /** Cumulative progress of the session and the credit it grants. */
  ACK(0x12, true, ACK_PAYLOAD_LENGTH, ACK_PAYLOAD_LENGTH),
  /** A {@link TknErrorCode}, the data frame it concerns and a message. */
  ERROR(0x13, true, ERROR_MIN_PAYLOAD_LENGTH, ERROR_MIN_PAYLOAD_LENGTH + MAX_ERROR_MESSAGE_LENGTH),
  /** Asks the server to emit the miner's window and answer once everything is stored. */
  FLUSH(0x14, false, FLUSH_PAYLOAD_LENGTH, FLUSH_PAYLOAD_LENGTH),
  /** Answers a FLUSH once every token so far is written. */
  FLUSHED(0x15, true, FLUSHED_PAYLOAD_LENGTH, FLUSHED_PAYLOAD_LENGTH);

  private static final TknControlType[] BY_CODE = new TknControlType[256];

  static {
    for (TknControlType type : values()) {
      BY_CODE[type.code] = type;
    }
  }

  private final int code;
  private final boolean fromServer;
  private final int minPayloadLength;
  private final int maxPayloadLength;

  TknControlType(int code, boolean fromServer, int minPayloadLength, int maxPayloadLength) {
    this.code = code;
    this.fromServer = fromServer;
    this.minPayloadLength = minPayloadLength;
    this.maxPayloadLength = maxPayloadLength;
  }

  /** The type byte. */
  public int code() {
    return code;
  }

  /** Whether the server sends this frame (READY, ACK, ERROR, FLUSHED) rather than the client. */
  public boolean fromServer() {
    return fromServer;
  }

  /** The shortest payload this type's layout allows. */
  public int minPayloadLength() {
    return minPayloadLength;
  }

  /** The longest payload this type's layout allows. */
  public int maxPayloadLength() {
    return maxPayloadLength;
  }

  /** The control type for a byte, or {@code null} when the byte is no control type. */
  public static TknControlType fromCode(int code) {
    return BY_CODE[code & 0xFF];
  }
}
