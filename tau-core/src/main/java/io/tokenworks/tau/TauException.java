package io.tokenworks.tau;

/**
 * An engine operation failed for the reason {@link #error()} names. Thrown by synchronous calls and
 * used to complete the futures of asynchronous ones. Carries no stack trace for the expected
 * outcomes (out of order, not found, busy), which are answers rather than bugs.
 */
public final class TauException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final TauError error;

  public TauException(TauError error, String message) {
    super(message, null, false, error == TauError.STORAGE_FAILURE);
    this.error = error;
  }

  public TauException(TauError error, String message, Throwable cause) {
    super(message, cause, false, true);
    this.error = error;
  }

  public TauError error() {
    return error;
  }
}
