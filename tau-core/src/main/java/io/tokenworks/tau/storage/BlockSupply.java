package io.tokenworks.tau.storage;

import io.tokenworks.tau.TauException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Where series get their empty blocks. A block is a fresh direct buffer, and allocating one costs
 * more than its size suggests: the memory is new to the process, so zeroing it faults in every page
 * (5% of a Tau event loop appending a million points a second to one series, in 100 µs stretches).
 * A supply made by {@link #ahead} keeps a few blocks allocated on a thread of its own and hands
 * them out, allocating on the caller's thread only when it has run dry; one made by {@link #inline}
 * always allocates on the caller's thread.
 *
 * <p>Blocks kept ready count against the direct-memory cap like any other. When the cap is reached
 * the supply stops allocating ahead and the caller's own allocation reports the limit.
 *
 * <p>The memory of a block a checkpoint has stored comes back through {@link #recycle} and is
 * handed out again before anything new is allocated, so an engine's blocks stay at the most it ever
 * needed at once (the heads and the chunks sealed between two checkpoints), not at everything it
 * ever ingested.
 */
public final class BlockSupply implements AutoCloseable {

  private final int chunkPoints;
  private final ArrayBlockingQueue<Block> ready;
  private final Thread filler;
  private final ConcurrentLinkedQueue<Block> recycled = new ConcurrentLinkedQueue<>();
  private final LongAdder allocated = new LongAdder();
  private volatile boolean closed;

  private BlockSupply(int chunkPoints, int kept) {
    if (chunkPoints < 1) {
      throw new IllegalArgumentException("chunkPoints must be positive: " + chunkPoints);
    }
    this.chunkPoints = chunkPoints;
    if (kept > 0) {
      this.ready = new ArrayBlockingQueue<>(kept);
      this.filler = new Thread(this::fill, "tau-blocks");
      this.filler.setDaemon(true);
      this.filler.setPriority(Thread.MIN_PRIORITY);
      this.filler.start();
    } else {
      this.ready = null;
      this.filler = null;
    }
  }

  /** A supply that always allocates on the caller's thread. */
  public static BlockSupply inline(int chunkPoints) {
    return new BlockSupply(chunkPoints, 0);
  }

  /**
   * A supply that keeps as many blocks allocated ahead as fit in {@code keptBytes} (at least one)
   * on a thread of its own.
   */
  public static BlockSupply ahead(int chunkPoints, long keptBytes) {
    long blockBytes = 2L * Long.BYTES * chunkPoints;
    return new BlockSupply(chunkPoints, (int) Math.max(1, Math.min(1024, keptBytes / blockBytes)));
  }

  /** Points in every block of this supply. */
  public int chunkPoints() {
    return chunkPoints;
  }

  /**
   * An empty block, allocated ahead when one is ready.
   *
   * @throws TauException LIMIT_REACHED when none is ready and there is no memory left for one
   */
  Block take() {
    Block block = recycled.poll();
    if (block != null) {
      return block;
    }
    if (ready == null) {
      return allocate();
    }
    block = ready.poll();
    if (block == null || wakesFiller(ready.size(), ready.remainingCapacity())) {
      LockSupport.unpark(filler);
    }
    if (block != null) {
      return block;
    }
    try {
      return allocate();
    } catch (TauException e) {
      // The filler may have taken the last of the memory for a block it is handing over now.
      Block late = ready.poll();
      if (late != null) {
        return late;
      }
      throw e;
    }
  }

  /**
   * Takes back the memory of {@code block}, which no snapshot hands out any more: the block is
   * retired (see {@link Block#intact}) and its memory becomes an empty block for the next take.
   */
  void recycle(Block block) {
    recycled.offer(block.retire());
  }

  /** Blocks allocated so far (not counting recycled ones handed out again). */
  public long allocated() {
    return allocated.sum();
  }

  private Block allocate() {
    Block block = new Block(chunkPoints);
    allocated.increment();
    return block;
  }

  /**
   * Whether a take that left {@code readyNow} blocks (room for {@code room} more) wakes the filler:
   * once half the blocks are gone, not at every take. Each wake-up made the filler preempt the
   * appending thread on its own core (in a trace at 3M points/s, 178 times a second); woken half as
   * often it refills several blocks in one go, and a block is never short because the half left
   * lasts as long as the refill takes many times over.
   */
  static boolean wakesFiller(int readyNow, int room) {
    return readyNow <= room;
  }

  /** Blocks allocated ahead and not yet taken. */
  int readyCount() {
    return ready == null ? 0 : ready.size();
  }

  private void fill() {
    while (!closed) {
      while (!closed && ready.remainingCapacity() > 0) {
        Block block;
        try {
          block = allocate();
        } catch (TauException e) {
          // The direct-memory cap: wait for the next take, whose own allocation reports it.
          break;
        }
        ready.offer(block);
      }
      LockSupport.park(this);
    }
    ready.clear();
  }

  /** Stops allocating ahead and lets the blocks kept ready go. */
  @Override
  public void close() {
    if (filler == null || closed) {
      return;
    }
    closed = true;
    LockSupport.unpark(filler);
    try {
      filler.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
