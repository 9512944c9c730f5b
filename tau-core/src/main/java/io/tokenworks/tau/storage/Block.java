package io.tokenworks.tau.storage;

import io.tokenworks.tau.TauError;
import io.tokenworks.tau.TauException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A run of points, timestamps strictly increasing, held off the Java heap: each point's timestamp
 * then its value, 8 bytes each in native order, in one direct buffer. One thread (the series'
 * actor) appends; any thread reads the first {@link #count()} points without locking, because the
 * writer stores a point before it publishes the new count with release semantics (which orders the
 * off-heap stores too) and readers load the count with acquire.
 *
 * <p>Why off the heap: every point a series keeps used to live in two primitive arrays that each
 * young collection copied between survivor spaces until they were old enough to be promoted, so
 * pauses grew with the ingest rate (about 16 bytes per point copied several times; 7-70 ms pauses
 * at 350K appends/s, which set the server's latency tail). A direct buffer is a small object whose
 * points are never copied by the collector. The memory is released by the buffer's cleaner once no
 * reader's snapshot can reach the block, so a lock-free reader never sees freed memory; it counts
 * against {@code -XX:MaxDirectMemorySize}.
 *
 * <p>Once a checkpoint has stored a sealed block in a pack file, the series reads those points from
 * the file instead and the block's memory goes to a new, empty block ({@link #retire}): waiting for
 * the collector to free it would wait for an old-generation cycle, which a heap with little garbage
 * may not run for hours. A reader that may still hold a retired block (it took a snapshot before
 * the swap) checks {@link #intact} after reading and, when the block was retired meanwhile, reads
 * again from a fresh snapshot, as a seqlock reader does. The memory itself is never freed while the
 * engine runs, so a late reader reads stale points, never unmapped memory.
 */
public final class Block implements SealedChunk {

  private static final VarHandle COUNT;

  /** A point's timestamp then its value, side by side: a lookup's hit reads one cache line. */
  private static final int POINT_BYTES = 2 * Long.BYTES;

  static {
    try {
      COUNT = MethodHandles.lookup().findVarHandle(Block.class, "count", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final UnsafeBuffer points;
  private final int capacity;

  @SuppressWarnings("unused") // accessed through COUNT
  private int count;

  /** Set once this block's memory has gone to another block; see {@link #intact}. */
  private volatile boolean retired;

  /**
   * Once sealed, the min, max and sum of its values, worked out the first time an aggregate covered
   * the whole block (while it was intact); null until then.
   */
  private volatile ValueSummary summary;

  Block(int capacity) {
    this(new UnsafeBuffer(allocate(checkedBytes(capacity))), capacity);
  }

  private Block(UnsafeBuffer points, int capacity) {
    this.capacity = capacity;
    this.points = points;
  }

  private static int checkedBytes(int capacity) {
    if (capacity < 1 || capacity > Integer.MAX_VALUE / POINT_BYTES) {
      throw new IllegalArgumentException("block capacity out of range: " + capacity);
    }
    return capacity * POINT_BYTES;
  }

  private static ByteBuffer allocate(int bytes) {
    try {
      return ByteBuffer.allocateDirect(bytes);
    } catch (OutOfMemoryError e) {
      // Direct memory has its own cap, and reaching it is a limit of this engine's configuration,
      // not a broken JVM: the append that needed the room fails and the series stays usable.
      throw new TauException(
          TauError.LIMIT_REACHED,
          "no memory left for points ("
              + e.getMessage()
              + "); give the JVM more with -XX:MaxDirectMemorySize");
    }
  }

  /**
   * A full block on the Java heap holding a copy of the first {@code count} points, read back from
   * a chunk file: short-lived in a cache, so the collector frees it, and never retired.
   */
  static Block onHeap(long[] timestamps, double[] values, int count) {
    Block block = new Block(new UnsafeBuffer(new byte[checkedBytes(count)]), count);
    for (int i = 0; i < count; i++) {
      block.points.putLong(i * POINT_BYTES, timestamps[i]);
      block.points.putDouble(i * POINT_BYTES + Long.BYTES, values[i]);
    }
    COUNT.setRelease(block, count);
    return block;
  }

  /** An empty block with no room, never written: what a released series shows its readers. */
  static Block empty() {
    return new Block(new UnsafeBuffer(new byte[POINT_BYTES]), 1);
  }

  /** Points visible to readers. */
  @Override
  public int count() {
    return (int) COUNT.getAcquire(this);
  }

  @Override
  public long lastTimestamp() {
    return timestamp(count() - 1);
  }

  @Override
  public Block points() {
    return this;
  }

  @Override
  public ValueSummary summary() {
    return summary;
  }

  @Override
  public void summarized(ValueSummary known) {
    summary = known;
  }

  /**
   * Whether every point read from this block so far is what the block held: false once the block
   * was retired, after which its memory may hold another series' points. Call it after the reads it
   * vouches for.
   */
  boolean intact() {
    VarHandle.loadLoadFence();
    return !retired;
  }

  /**
   * Writer only, for a block no snapshot will hand out again: marks it retired and returns an empty
   * block over the same memory. Whoever fills the new block stores after the mark, so a reader that
   * saw any of those stores sees the mark too.
   */
  Block retire() {
    retired = true;
    VarHandle.storeStoreFence();
    return new Block(points, capacity);
  }

  int capacity() {
    return capacity;
  }

  long timestamp(int index) {
    return points.getLong(index * POINT_BYTES);
  }

  double value(int index) {
    return points.getDouble(index * POINT_BYTES + Long.BYTES);
  }

  /** Copies the first {@code n} points (n at most {@link #count()}) into the arrays given. */
  void copyTo(long[] timestampsOut, double[] valuesOut, int n) {
    for (int i = 0; i < n; i++) {
      timestampsOut[i] = points.getLong(i * POINT_BYTES);
      valuesOut[i] = points.getDouble(i * POINT_BYTES + Long.BYTES);
    }
  }

  /**
   * Writer only: stores a point at the end and publishes it. The caller checked order and capacity.
   */
  void append(long timestamp, double value) {
    int index = (int) COUNT.get(this);
    points.putLong(index * POINT_BYTES, timestamp);
    points.putDouble(index * POINT_BYTES + Long.BYTES, value);
    COUNT.setRelease(this, index + 1);
  }

  /**
   * Index of {@code timestamp} among the first {@code n} points, or {@code -(insertion point) - 1}.
   *
   * <p>Time series are usually close to regular, so the search first guesses the index by
   * interpolating between the ends (a hit in one or two probes, each a likely cache miss saved) and
   * falls back to binary search over the narrowed range when the guesses do not land.
   */
  int search(long timestamp, int n) {
    return search(timestamp, 0, n - 1);
  }

  /**
   * {@link #search(long, int)} for a caller that knows every point is after {@code before} and the
   * last of the {@code n} is at {@code last} (a sealed chunk's neighbours in the series' index):
   * the first guess interpolates between those without reading the block's ends, so in a regular
   * series a lookup reads one cache line of the block, where timestamp and value sit side by side.
   */
  int search(long timestamp, int n, long before, long last) {
    if (timestamp >= last) {
      return timestamp == last ? n - 1 : -(n + 1);
    }
    if (timestamp <= before) {
      return -1;
    }
    double fraction = ((double) timestamp - before) / ((double) last - before);
    int guess = Math.max(0, Math.min(n - 1, (int) Math.round(fraction * n) - 1));
    long guessTimestamp = timestamp(guess);
    if (guessTimestamp == timestamp) {
      return guess;
    }
    return guessTimestamp < timestamp
        ? search(timestamp, guess + 1, n - 1)
        : search(timestamp, 0, guess - 1);
  }

  /** The search over points {@code low..high}, which hold the insertion point or end beside it. */
  private int search(long timestamp, int low, int high) {
    for (int guesses = 0; guesses < 2 && low < high; guesses++) {
      long lowTimestamp = timestamp(low);
      long highTimestamp = timestamp(high);
      if (timestamp <= lowTimestamp || timestamp >= highTimestamp) {
        break;
      }
      double fraction =
          ((double) timestamp - lowTimestamp) / ((double) highTimestamp - lowTimestamp);
      int guess = low + (int) (fraction * (high - low));
      guess = Math.max(low + 1, Math.min(high - 1, guess));
      long guessTimestamp = timestamp(guess);
      if (guessTimestamp == timestamp) {
        return guess;
      }
      if (guessTimestamp < timestamp) {
        low = guess + 1;
      } else {
        high = guess - 1;
      }
    }
    while (low <= high) {
      int mid = (low + high) >>> 1;
      long midTimestamp = timestamp(mid);
      if (midTimestamp < timestamp) {
        low = mid + 1;
      } else if (midTimestamp > timestamp) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -(low + 1);
  }
}
