package io.tokenworks.protocol.latzero.block;

/**
 * A {@link SharedBlock} operation failed for the reason {@link #error()} names. Expected outcomes
 * (a held lease, a lost lease) carry no stack trace: they are answers, not bugs.
 */
public final class SharedBlockException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final SharedBlockError error;

  public SharedBlockException(SharedBlockError error, String message) {
    super(message, null, false, error == SharedBlockError.IO_ERROR);
    this.error = error;
  }

  public SharedBlockException(SharedBlockError error, String message, Throwable cause) {
    super(message, cause, false, true);
    this.error = error;
  }

  public SharedBlockError error() {
    return error;
  }
}
