package io.tokenworks.protocol;

import java.util.function.LongSupplier;

/**
 * Measures heap allocation on the current thread in rounds, so that the JIT's one-off charges do
 * not fail a test: when a method gets hot enough for C2, the thread that requests the compilation
 * resolves the string literals of the method's class on its own heap, and those bytes land in
 * whichever window is being measured (seen here: a few hundred bytes, once). A real allocation per
 * call shows in every round, so a test asserts on the fewest bytes of several rounds.
 */
public final class Allocations {

  private static final int DEFAULT_ROUNDS = 10;

  /** Where each round's result goes, so the JIT cannot drop the work. */
  private static volatile long sink;

  private Allocations() {}

  /** The fewest bytes any of ten runs of {@code work} allocated on this thread. */
  public static long fewestBytesAllocated(LongSupplier work) {
    return fewestBytesAllocated(DEFAULT_ROUNDS, 0, work);
  }

  /**
   * The fewest bytes any of up to {@code rounds} runs of {@code work} allocated on this thread,
   * stopping early once a run stays within {@code enoughBytes}. {@code work} returns a value
   * derived from what it read.
   */
  public static long fewestBytesAllocated(int rounds, long enoughBytes, LongSupplier work) {
    long fewest = Long.MAX_VALUE;
    for (int round = 0; round < rounds && fewest > enoughBytes; round++) {
      long before = Bytes.allocatedBytes();
      sink = work.getAsLong();
      fewest = Math.min(fewest, Bytes.allocatedBytes() - before);
    }
    return fewest;
  }
}
