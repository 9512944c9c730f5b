package io.tokenworks.protocol.tkn;

/**
 * The codes of a HELLO mode ERROR frame. After a {@linkplain #fatal() fatal} error the server
 * closes the connection; after any other the session goes on.
 */
public enum TknErrorCode {
  /** The first frame was no valid HELLO (bad magic, flags, lengths or tenant). */
  BAD_HELLO(1, true),
  /** The HELLO asks for a version the server does not speak. */
  UNSUPPORTED_VERSION(2, true),
  /** The server refuses the auth token or tenant. */
  AUTH_FAILED(3, true),
  /** A frame of a type the server does not know; it was skipped. */
  UNKNOWN_TYPE(4, false),
  /** A payload above the max payload length announced in READY. */
  FRAME_TOO_LARGE(5, true),
  /**
   * A data frame the server cannot read whole (bad JSON, a truncated batch item, a nested batch);
   * what it does with the frame's valid symbols is the server's business.
   */
  MALFORMED_FRAME(6, false),
  /** A data frame sent without credit. */
  CREDIT_EXCEEDED(7, true),
  /** The tenant's symbol table is full. */
  SYMBOL_TABLE_FULL(8, true),
  /** The graph sink failed to store tokens. */
  STORAGE_FAILED(9, true),
  /** The server is shutting down. */
  SHUTTING_DOWN(10, true),
  /** Any other server failure. */
  INTERNAL(11, true);

  private static final TknErrorCode[] BY_CODE = new TknErrorCode[12];

  static {
    for (TknErrorCode code : values()) {
      BY_CODE[code.code] = code;
    }
  }

  private final int code;
  private final boolean fatal;

  TknErrorCode(int code, boolean fatal) {
    this.code = code;
    this.fatal = fatal;
  }

  /** The u16 on the wire. */
  public int code() {
    return code;
  }

  /** Whether the server closes the connection after sending this error. */
  public boolean fatal() {
    return fatal;
  }

  /** The error for a wire code, or {@code null} when the code is unknown. */
  public static TknErrorCode fromCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
