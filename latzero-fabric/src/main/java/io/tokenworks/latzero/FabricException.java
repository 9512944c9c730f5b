package io.tokenworks.latzero;

import java.util.Objects;

/**
 * A fabric operation off the call path (handshake, pool administration, opening) failed for the
 * reason {@link #error()} names. The call path returns {@link FabricResult} instead of throwing.
 * Carries no stack trace except for {@link FabricError#STORAGE_FAILURE}, which is a fault rather
 * than an answer.
 */
public final class FabricException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final FabricError error;

  public FabricException(FabricError error, String message) {
    super(message, null, false, error == FabricError.STORAGE_FAILURE);
    this.error = Objects.requireNonNull(error, "error");
  }

  public FabricException(FabricError error, String message, Throwable cause) {
    super(message, cause, false, true);
    this.error = Objects.requireNonNull(error, "error");
  }

  public FabricError error() {
    return error;
  }
}
