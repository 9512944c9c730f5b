package io.tokenworks.protocol.latzero.block;

import java.util.concurrent.locks.LockSupport;

/**
 * Waiting for a seqlock to become even: a few spins (a write of a few kilobytes ends within
 * microseconds), then yields, then parks of growing length, and a deadline so a writer that died
 * mid-write cannot hold a reader forever. Allocation-free; the caller keeps the attempt count and
 * the deadline.
 */
final class Backoff {

  private static final int SPINS = 128;
  private static final int YIELDS = 32;
  private static final long MIN_PARK_NS = 1_000;
  private static final long MAX_PARK_NS = 1_000_000;

  private Backoff() {}

  /**
   * Waits once.
   *
   * @param attempt how many times the caller has waited so far
   * @param deadlineNs the value this method returned last time (anything on the first call)
   * @param timeoutNs how long to wait in all, counted from the end of the spin phase
   * @return the deadline to pass next time
   * @throws SharedBlockException with {@link SharedBlockError#TIMEOUT} past the deadline
   */
  static long pause(int attempt, long deadlineNs, long timeoutNs, String what) {
    if (attempt < SPINS) {
      Thread.onSpinWait();
      return deadlineNs;
    }
    long nowNs = System.nanoTime();
    if (attempt == SPINS) {
      deadlineNs = nowNs + timeoutNs;
    } else if (nowNs - deadlineNs >= 0) {
      throw new SharedBlockException(
          SharedBlockError.TIMEOUT,
          what + ": the seqlock stayed odd (a write in progress) for over " + timeoutNs + " ns");
    }
    if (attempt < SPINS + YIELDS) {
      Thread.yield();
    } else {
      int doublings = Math.min(attempt - SPINS - YIELDS, 10);
      LockSupport.parkNanos(Math.min(MIN_PARK_NS << doublings, MAX_PARK_NS));
    }
    return deadlineNs;
  }
}
