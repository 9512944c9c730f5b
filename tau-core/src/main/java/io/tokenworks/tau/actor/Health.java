package io.tokenworks.tau.actor;

import io.tokenworks.tau.TauError;
import io.tokenworks.tau.TauException;

/**
 * Fail-stop for storage errors: after the first failed write or force the engine refuses further
 * writes, so a point that may be visible in memory but is not durable is never followed by more
 * such points. Reads go on.
 */
public final class Health {

  private volatile String failure;

  /** Records the first storage failure; later ones keep the first message. */
  public void fail(String what) {
    if (failure == null) {
      failure = what;
    }
  }

  public boolean failed() {
    return failure != null;
  }

  /** A STORAGE_FAILURE exception naming the first failure. */
  public TauException exception() {
    return new TauException(
        TauError.STORAGE_FAILURE, "storage failed, writes are refused until restart: " + failure);
  }
}
