package io.tokenworks.latzero.store;

/**
 * The LatZero database could not be opened, read or written. The message names the file and what
 * went wrong.
 */
public final class StoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
