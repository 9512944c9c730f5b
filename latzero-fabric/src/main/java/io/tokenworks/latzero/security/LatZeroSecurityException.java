package io.tokenworks.latzero.security;

import java.util.Objects;

/**
 * A security operation failed for the reason {@link #error()} names. Denials and bad input are
 * answers rather than bugs, so they carry no stack trace; TLS configuration problems keep theirs
 * and their cause. Messages never contain key material.
 */
public final class LatZeroSecurityException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final SecurityError error;

  /**
   * @param error the reason
   * @param message one line for a human, without key material
   */
  public LatZeroSecurityException(SecurityError error, String message) {
    super(message, null, false, error == SecurityError.TLS_CONFIG);
    this.error = Objects.requireNonNull(error, "error");
  }

  /**
   * @param error the reason
   * @param message one line for a human, without key material
   * @param cause the underlying failure (e.g. an {@link java.io.IOException})
   */
  public LatZeroSecurityException(SecurityError error, String message, Throwable cause) {
    super(message, cause, false, true);
    this.error = Objects.requireNonNull(error, "error");
  }

  /** The reason, for mapping to a wire error. */
  public SecurityError error() {
    return error;
  }
}
