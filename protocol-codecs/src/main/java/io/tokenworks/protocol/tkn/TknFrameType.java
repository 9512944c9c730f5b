package io.tokenworks.protocol.tkn;

/**
 * The TKN v1 frame types, as upstream's v1 server and client number them.
 *
 * <p>Codes 5..255 are free. The HELLO mode (a Tokenworks extension a client opts into with a
 * handshake) puts its control frames at 0x10..0x15 ({@link TknControlType}), so a v1 client never
 * sees them. Code 0 stays unassigned too: upstream's later v3 protocol sends every frame as type 0,
 * and a v1 server must keep skipping it as an unknown type.
 */
public enum TknFrameType {
  /** UTF-8 JSON text; the codec does not parse it. */
  JSON(1),
  /** UTF-8 text. */
  STRING(2),
  /** Raw bytes. */
  BINARY(3),
  /** Items, each a whole JSON, STRING or BINARY mini frame (see {@link TknFrameDescriptor}). */
  BATCH(4);

  private static final TknFrameType[] BY_CODE = new TknFrameType[256];

  static {
    for (TknFrameType type : values()) {
      BY_CODE[type.code] = type;
    }
  }

  private final int code;

  TknFrameType(int code) {
    this.code = code;
  }

  /** The type byte, 0..255. */
  public int code() {
    return code;
  }

  /** Whether a frame of this type may be an item of a BATCH: every type but BATCH itself. */
  public boolean isBatchItemType() {
    return this != BATCH;
  }

  /** The type for a byte, or {@code null} when the byte is no TKN v1 type. */
  public static TknFrameType fromCode(int code) {
    return BY_CODE[code & 0xFF];
  }
}
