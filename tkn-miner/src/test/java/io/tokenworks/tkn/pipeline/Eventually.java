package io.tokenworks.tkn.pipeline;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds; the deadline only guards against hangs. */
final class Eventually {

  private Eventually() {}

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }
}
