package io.tokenworks.tau.storage;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Keeps a background job (a checkpoint encoding and writing its chunk packs) to a share of one
 * core, in slices long enough for the scheduler to notice: after each {@link #SLICE_NANOS} of work
 * it rests {@link #REST_PER_WORK} times as long.
 *
 * <p>Why slices and not a rest after every step: resting as long as each 64 KiB block took (0.1-0.3
 * ms) left the other vCPU of a 2-vCPU machine idle for equally short spells, shorter than the
 * kernel's migration cost (0.5 ms), so the scheduler never pulled a waiting thread over. A Tau
 * server's event loop and the load generator then shared one vCPU for the length of a checkpoint
 * while the other half-idled, and at 3M APPEND/s that was a backlog of 160 ms.
 */
public final class Pacer {

  /** Work between two rests. */
  static final long SLICE_NANOS = 2_000_000;

  /** A rest lasts this many times the work before it: a third of a core. */
  static final int REST_PER_WORK = 2;

  private final LongConsumer rest;
  private long worked;

  /** Rests by parking the calling thread. */
  public Pacer() {
    this(LockSupport::parkNanos);
  }

  Pacer(LongConsumer rest) {
    this.rest = rest;
  }

  /** Counts {@code nanos} of work just done, and rests when a slice is full. */
  public void worked(long nanos) {
    worked += nanos;
    if (worked >= SLICE_NANOS) {
      rest.accept(worked * REST_PER_WORK);
      worked = 0;
    }
  }
}
