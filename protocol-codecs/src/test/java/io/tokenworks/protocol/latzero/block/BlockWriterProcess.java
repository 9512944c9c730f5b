package io.tokenworks.protocol.latzero.block;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * The other process of the two-process tests, run in a child JVM. It reports on stdout, one line
 * per event, and exits by itself after {@code lifetimeMs} so a failed test leaves no process
 * behind.
 *
 * <ul>
 *   <li>{@code pattern <file> <lifetimeMs>}: takes the lease and writes the whole block over and
 *       over in bursts of eight, every byte of write number n set to {@code (byte) n}; prints
 *       {@code READY <token>} first and {@code DONE <writes>} at the end.
 *   <li>{@code hold <file> <lifetimeMs> <leaseMs>}: takes the lease, fills the block with 7s,
 *       prints {@code HELD <token> <expiresAtEpochMs>} and waits to be killed.
 * </ul>
 */
final class BlockWriterProcess {

  private static final int BURST = 8;

  private BlockWriterProcess() {}

  public static void main(String[] args) throws InterruptedException {
    String mode = args[0];
    Path file = Path.of(args[1]);
    long endNs = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000;
    long pid = ProcessHandle.current().pid();
    try (SharedBlock block = SharedBlock.open(file, BlockAccess.READ_WRITE)) {
      switch (mode) {
        case "pattern" -> writePatterns(block, pid, endNs);
        case "hold" -> hold(block, pid, Long.parseLong(args[3]), endNs);
        default -> throw new IllegalArgumentException("mode=" + mode);
      }
    }
  }

  private static void writePatterns(SharedBlock block, long pid, long endNs) {
    WriteLease lease = block.acquireWrite(pid, 60_000);
    System.out.println("READY " + lease.fencingToken());
    System.out.flush();
    byte[] pattern = new byte[block.size()];
    long writes = 0;
    while (System.nanoTime() - endNs < 0) {
      writes++;
      Arrays.fill(pattern, (byte) writes);
      block.write(lease, 0, pattern, 0, pattern.length);
      if (writes % BURST == 0) {
        // Bursts overlap the reader's copies; the pauses let its copies complete.
        LockSupport.parkNanos(100_000);
      }
    }
    block.release(lease);
    System.out.println("DONE " + writes);
  }

  private static void hold(SharedBlock block, long pid, long leaseMs, long endNs)
      throws InterruptedException {
    WriteLease lease = block.acquireWrite(pid, leaseMs);
    byte[] sevens = new byte[block.size()];
    Arrays.fill(sevens, (byte) 7);
    block.write(lease, 0, sevens, 0, sevens.length);
    System.out.println("HELD " + lease.fencingToken() + " " + lease.expiresAtEpochMs());
    System.out.flush();
    while (System.nanoTime() - endNs < 0) {
      Thread.sleep(50);
    }
  }
}
