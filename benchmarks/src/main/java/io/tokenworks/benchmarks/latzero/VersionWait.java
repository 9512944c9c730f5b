package io.tokenworks.benchmarks.latzero;

import io.tokenworks.benchmarks.latzero.PingPongException.Failure;
import io.tokenworks.protocol.latzero.block.SharedBlock;

/**
 * Waiting for another process to write a block: spin on its content version for a bounded number of
 * rounds, then yield between polls, so a peer that answers within microseconds is seen at once and
 * one that does not (a descheduled process, a GC pause) does not cost a whole core forever.
 * Allocation-free until it fails.
 */
final class VersionWait {

  /**
   * Rounds of {@link Thread#onSpinWait()} before yielding: a few hundred microseconds, well above a
   * round trip between two running processes, well below a scheduler time slice.
   */
  static final int SPINS = 10_000;

  /** Checking whether the peer is alive is a system call; once per this many yields is enough. */
  private static final int YIELDS_PER_PEER_CHECK = 256;

  private VersionWait() {}

  /**
   * Returns the block's content version once it differs from {@code lastVersion}.
   *
   * @param timeoutNs how long to keep yielding after the spin phase
   * @throws PingPongException {@link Failure#PEER_GONE} when {@code peer} has exited, {@link
   *     Failure#TIMEOUT} past the timeout
   */
  static long awaitChange(SharedBlock block, long lastVersion, ProcessHandle peer, long timeoutNs) {
    for (int i = 0; i < SPINS; i++) {
      long version = block.contentVersion();
      if (version != lastVersion) {
        return version;
      }
      Thread.onSpinWait();
    }
    long deadlineNs = System.nanoTime() + timeoutNs;
    for (int yields = 1; ; yields++) {
      long version = block.contentVersion();
      if (version != lastVersion) {
        return version;
      }
      Thread.yield();
      if (yields % YIELDS_PER_PEER_CHECK == 0 && !peer.isAlive()) {
        throw new PingPongException(
            Failure.PEER_GONE, "process " + peer.pid() + " exited before writing " + block.path());
      }
      if (System.nanoTime() - deadlineNs >= 0) {
        throw new PingPongException(
            Failure.TIMEOUT,
            "process "
                + peer.pid()
                + " did not write "
                + block.path()
                + " within "
                + timeoutNs / 1_000_000
                + " ms");
      }
    }
  }
}
