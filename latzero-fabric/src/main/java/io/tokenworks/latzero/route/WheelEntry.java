package io.tokenworks.latzero.route;

/**
 * Something with a deadline that can sit in a {@link TimerWheel}. The links are intrusive, so
 * scheduling and cancelling allocate nothing. The wheel links are touched only by the deadline
 * thread; the two stack links by whoever pushes the entry (each entry is pushed at most once on
 * each stack) and then by the deadline thread.
 */
abstract class WheelEntry {

  final long deadlineMs;

  // Owned by the deadline thread.
  WheelEntry previous;
  WheelEntry next;
  boolean inWheel;
  int slot;

  // Written before the entry is published on the corresponding stack.
  WheelEntry nextScheduled;
  WheelEntry nextCancelled;

  WheelEntry(long deadlineMs) {
    this.deadlineMs = deadlineMs;
  }

  /** Whether the entry still needs its deadline; a finished one is not put into the wheel. */
  abstract boolean isPending();
}
