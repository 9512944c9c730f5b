package io.tokenworks.protocol.tau;

/**
 * A {@link TauClient} call failed: either the server answered {@code ERR} ({@link #status()} says
 * why and the connection is still usable, unless the server closed it), or the connection failed
 * (I/O error, timeout, a reply that breaks the protocol; {@link #status()} is {@code null} and the
 * client is closed).
 */
public final class TauClientException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The status byte of an ERR reply, or -1 when the failure is no ERR reply. */
  private final int statusCode;

  /** The server answered ERR with {@code statusCode}. */
  public TauClientException(int statusCode, String message) {
    super(message, null, false, false);
    this.statusCode = statusCode & 0xFF;
  }

  /** The connection failed. */
  public TauClientException(String message, Throwable cause) {
    super(message, cause);
    this.statusCode = -1;
  }

  /**
   * The status of the server's ERR reply, or {@code null} when the connection failed or the server
   * sent a status this client does not know (see {@link #statusCode()}).
   */
  public TauStatus status() {
    return statusCode < 0 ? null : TauStatus.fromCode(statusCode);
  }

  /** The raw status byte of the server's ERR reply, or -1 when the connection failed. */
  public int statusCode() {
    return statusCode;
  }

  /** Whether the server answered ERR (as opposed to the connection failing). */
  public boolean isErrorReply() {
    return statusCode >= 0;
  }
}
