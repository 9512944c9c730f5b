package io.tokenworks.protocol.tkn;

/**
 * A {@link TknClient} call failed: either the server sent an ERROR frame ({@link #errorCode()}
 * names it, {@link #frameNumber()} is the data frame it concerns), or the connection failed (I/O
 * error, timeout, a frame that breaks the protocol; {@link #errorCode()} is {@code null}). After a
 * {@linkplain #isFatal() fatal} failure the client is closed.
 */
public final class TknClientException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int errorCodeValue;
  private final long frameNumber;
  private final boolean fatal;

  /** The server sent ERROR with the raw {@code code} about data frame {@code frameNumber}. */
  TknClientException(int code, long frameNumber, String message, boolean fatal) {
    super(message);
    this.errorCodeValue = code;
    this.frameNumber = frameNumber;
    this.fatal = fatal;
  }

  /** The connection failed or a wait timed out; {@code fatal} says whether the client closed. */
  TknClientException(String message, Throwable cause, boolean fatal) {
    super(message, cause);
    this.errorCodeValue = -1;
    this.frameNumber = 0;
    this.fatal = fatal;
  }

  /** The same failure, thrown again on another call so its stack trace shows that call. */
  TknClientException(TknClientException original) {
    super(original.getMessage(), original);
    this.errorCodeValue = original.errorCodeValue;
    this.frameNumber = original.frameNumber;
    this.fatal = original.fatal;
  }

  /**
   * The code of the server's ERROR frame, or {@code null} when the failure is no ERROR frame or its
   * code is unknown to this client (see {@link #errorCodeValue()}).
   */
  public TknErrorCode errorCode() {
    return errorCodeValue < 0 ? null : TknErrorCode.fromCode(errorCodeValue);
  }

  /** The raw u16 code of the server's ERROR frame, or -1 when the failure is no ERROR frame. */
  public int errorCodeValue() {
    return errorCodeValue;
  }

  /** Whether the server sent an ERROR frame (as opposed to the connection failing). */
  public boolean isErrorFrame() {
    return errorCodeValue >= 0;
  }

  /** The 1-based number of the data frame an ERROR concerns, or 0 when it concerns none. */
  public long frameNumber() {
    return frameNumber;
  }

  /** Whether the client is closed after this failure. */
  public boolean isFatal() {
    return fatal;
  }
}
