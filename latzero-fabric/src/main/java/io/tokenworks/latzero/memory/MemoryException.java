package io.tokenworks.latzero.memory;

/**
 * A {@link BlockManager} operation failed for the reason {@link #error()} names. Carries no stack
 * trace except for storage failures: the other outcomes are answers to the caller, not bugs.
 */
public final class MemoryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final MemoryError error;

  public MemoryException(MemoryError error, String message) {
    super(message, null, false, error == MemoryError.STORAGE_FAILURE);
    this.error = error;
  }

  public MemoryException(MemoryError error, String message, Throwable cause) {
    super(message, cause, false, true);
    this.error = error;
  }

  public MemoryError error() {
    return error;
  }
}
