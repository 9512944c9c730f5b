package io.tokenworks.latzero;

import java.util.Objects;

/**
 * The immediate answer of a call-path operation ({@link FabricSession#call}, {@link
 * FabricSession#reply}, {@link FabricSession#emit}): accepted, or refused with a typed error. The
 * accepted answer is one shared instance, so the common case allocates nothing.
 */
public final class FabricResult {

  private static final FabricResult OK = new FabricResult(null, "ok");

  private final FabricError error;
  private final String message;

  private FabricResult(FabricError error, String message) {
    this.error = error;
    this.message = message;
  }

  /** The shared accepted result. */
  public static FabricResult ok() {
    return OK;
  }

  /** A refusal naming why. */
  public static FabricResult failure(FabricError error, String message) {
    return new FabricResult(Objects.requireNonNull(error, "error"), message);
  }

  /** Whether the operation was accepted. */
  public boolean isOk() {
    return error == null;
  }

  /** Why it was refused, or {@code null} when accepted. */
  public FabricError error() {
    return error;
  }

  /** A human-readable reason ({@code "ok"} when accepted). */
  public String message() {
    return message;
  }

  @Override
  public String toString() {
    return error == null ? "ok" : error.wireName() + ": " + message;
  }
}
