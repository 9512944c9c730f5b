package io.tokenworks.tau.storage;

import io.tokenworks.tau.Aggregate;
import io.tokenworks.tau.Point;
import io.tokenworks.tau.PointSink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The points of one series: sealed, immutable blocks plus a head block that its single writer (the
 * series' actor) fills. Readers take the current {@link Snapshot} (one volatile read) and the
 * head's published count, and never lock; a seal swaps in a new snapshot, so a reader sees either
 * the old head or the sealed copy of it, never a gap.
 *
 * <p>Timestamps increase strictly across the whole series, sealed blocks and head alike: the writer
 * keeps the last timestamp and checks every append against it (upstream checked only within a
 * segment).
 */
public final class SeriesData {

  /** Sealed blocks in order, the last timestamp of each, and the head. */
  /**
   * What readers see: the first {@code sealedCount} entries of {@code sealed} and {@code
   * sealedLast} (the last timestamp of each sealed block), then the head. The arrays have room to
   * spare and are shared by successive snapshots: sealing writes the next free slot and publishes a
   * snapshot with a count one higher, so a reader of an older snapshot never looks at that slot,
   * and a seal costs O(1) instead of a copy of the whole block list (which, at 270 seals a second,
   * grew to hundreds of MB/s of garbage within minutes, and made loading n chunks O(n²)).
   */
  private record Snapshot(Block[] sealed, long[] sealedLast, int sealedCount, Block head) {}

  private static final Block[] NO_BLOCKS = new Block[0];
  private static final long[] NO_TIMESTAMPS = new long[0];

  private final BlockSupply blocks;
  private final int chunkPoints;
  private volatile Snapshot snapshot;

  // Writer state: touched only by the series' actor (or by recovery before the actor starts).
  private long lastTimestamp;
  private long pointCount;
  private final List<Block> recoveredSeals = new ArrayList<>();
  private final List<Block> spareBlocks = new ArrayList<>(1);

  /** An empty series whose blocks come from {@code blocks}. */
  public SeriesData(BlockSupply blocks) {
    this.blocks = blocks;
    this.chunkPoints = blocks.chunkPoints();
    this.snapshot = new Snapshot(NO_BLOCKS, NO_TIMESTAMPS, 0, blocks.take());
  }

  /** An empty series of {@code chunkPoints}-point blocks allocated as they are needed. */
  public SeriesData(int chunkPoints) {
    this(BlockSupply.inline(chunkPoints));
  }

  // ---- writer side ----

  /** Whether a point at {@code timestamp} may be appended: strictly after the last one. */
  public boolean acceptsTimestamp(long timestamp) {
    return pointCount == 0 || timestamp > lastTimestamp;
  }

  /** Writer only. Timestamps strictly increasing within the batch and after the last point. */
  public boolean acceptsBatch(long[] timestamps, int offset, int count) {
    if (count <= 0 || !acceptsTimestamp(timestamps[offset])) {
      return false;
    }
    for (int i = offset + 1; i < offset + count; i++) {
      if (timestamps[i] <= timestamps[i - 1]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Writer only: appends a point whose order was checked. Returns true when the head is now full
   * and the caller must {@link #sealHead()} before the next append.
   */
  public boolean append(long timestamp, double value) {
    Block head = snapshot.head;
    head.append(timestamp, value);
    lastTimestamp = timestamp;
    pointCount++;
    return head.count() == head.capacity();
  }

  /**
   * Writer only: allocates now every block that appending {@code points} more points will need, so
   * that an append checked by this never fails halfway through.
   *
   * @throws io.tokenworks.tau.TauException LIMIT_REACHED when there is no memory left for points
   */
  public void ensureRoom(int points) {
    int seals = (int) ((snapshot.head.count() + (long) points) / chunkPoints);
    while (spareBlocks.size() < seals) {
      spareBlocks.add(blocks.take());
    }
  }

  /** Writer only: the full head becomes a sealed block, returned so the caller can persist it. */
  public Block sealHead() {
    Block next = spareBlocks.isEmpty() ? blocks.take() : spareBlocks.remove(spareBlocks.size() - 1);
    Snapshot current = snapshot;
    Block sealedHead = current.head;
    snapshot = withSealed(current, sealedHead, next);
    return sealedHead;
  }

  /**
   * Recovery only: adds a sealed block read from a chunk file, skipping it if it adds nothing new.
   */
  public void addRecoveredBlock(long[] timestamps, double[] values, int count) {
    if (count == 0 || (pointCount > 0 && timestamps[count - 1] <= lastTimestamp)) {
      return;
    }
    if (snapshot.head.count() > 0 || (pointCount > 0 && timestamps[0] <= lastTimestamp)) {
      // Overlaps what is loaded already (a head snapshot written before this chunk): append point
      // by point.
      appendRecovered(timestamps, values, 0, count);
      return;
    }
    Snapshot current = snapshot;
    snapshot = withSealed(current, new Block(timestamps, values, count), current.head);
    lastTimestamp = timestamps[count - 1];
    pointCount += count;
  }

  /**
   * Recovery only: appends the points after the last one loaded, skipping those already present (a
   * WAL record replayed over a chunk or head file that holds it). Returns how many were appended.
   */
  public int appendRecovered(long[] timestamps, double[] values, int offset, int count) {
    int appended = 0;
    for (int i = offset; i < offset + count; i++) {
      if (acceptsTimestamp(timestamps[i])) {
        if (append(timestamps[i], values[i])) {
          recoveredSeals.add(sealHead());
        }
        appended++;
      }
    }
    return appended;
  }

  /**
   * Recovery only: the blocks sealed while replaying, which no chunk file holds yet; clears the
   * list.
   */
  public List<Block> drainRecoveredSeals() {
    List<Block> sealed = List.copyOf(recoveredSeals);
    recoveredSeals.clear();
    return sealed;
  }

  private static Snapshot withSealed(Snapshot current, Block sealed, Block head) {
    int n = current.sealedCount;
    Block[] blocks = current.sealed;
    long[] last = current.sealedLast;
    if (n == blocks.length) {
      int capacity = Math.max(16, 2 * n);
      blocks = Arrays.copyOf(blocks, capacity);
      last = Arrays.copyOf(last, capacity);
    }
    blocks[n] = sealed;
    last[n] = sealed.timestamp(sealed.count() - 1);
    return new Snapshot(blocks, last, n + 1, head);
  }

  /** Writer only: the points of the head now, copied, for a head snapshot file. */
  public int copyHead(long[] timestampsOut, double[] valuesOut) {
    Block head = snapshot.head;
    int n = head.count();
    head.copyTo(timestampsOut, valuesOut, n);
    return n;
  }

  public int chunkPoints() {
    return chunkPoints;
  }

  /** Points in the series (writer's view). */
  public long pointCount() {
    return pointCount;
  }

  // ---- reader side ----

  /** The value at exactly {@code timestamp}. */
  public OptionalDouble valueAt(long timestamp) {
    Snapshot s = snapshot;
    int b = blockAtOrAfter(s, timestamp);
    Block block = block(s, b);
    if (block == null) {
      return OptionalDouble.empty();
    }
    int index = block.search(timestamp, count(s, b));
    return index >= 0 ? OptionalDouble.of(block.value(index)) : OptionalDouble.empty();
  }

  /** The last point at or before {@code timestamp}. */
  public Optional<Point> asOf(long timestamp) {
    Snapshot s = snapshot;
    int headCount = s.head.count();
    int b = blockAtOrAfter(s, timestamp);
    int index;
    if (b < 0) {
      // Every point is before the timestamp: the last point of the series.
      b = s.sealedCount;
      index = headCount - 1;
      if (index < 0) {
        b--;
        index = b >= 0 ? s.sealed[b].count() - 1 : -1;
      }
    } else {
      int found = block(s, b).search(timestamp, count(s, b));
      index = found >= 0 ? found : -found - 2;
      if (index < 0) {
        b--;
        index = b >= 0 ? s.sealed[b].count() - 1 : -1;
      }
    }
    if (b < 0 || index < 0) {
      return Optional.empty();
    }
    Block block = b == s.sealedCount ? s.head : s.sealed[b];
    return Optional.of(new Point(block.timestamp(index), block.value(index)));
  }

  /** The last point of the series. */
  public Optional<Point> latest() {
    return asOf(Long.MAX_VALUE);
  }

  /**
   * Delivers up to {@code limit} points with {@code from <= t <= to}, in order; returns how many.
   */
  public int range(long from, long to, int limit, PointSink sink) {
    if (from > to || limit <= 0) {
      return 0;
    }
    Snapshot s = snapshot;
    int b = blockAtOrAfter(s, from);
    if (b < 0) {
      return 0;
    }
    int delivered = 0;
    int index = start(block(s, b), from, count(s, b));
    for (; b <= s.sealedCount; b++, index = 0) {
      Block block = block(s, b);
      int n = count(s, b);
      for (; index < n; index++) {
        long t = block.timestamp(index);
        if (t > to) {
          return delivered;
        }
        sink.accept(t, block.value(index));
        if (++delivered == limit) {
          return delivered;
        }
      }
    }
    return delivered;
  }

  /** Count, min, max and sum of the values with {@code from <= t <= to}. */
  public Aggregate aggregate(long from, long to) {
    AggregateSink sink = new AggregateSink();
    range(from, to, Integer.MAX_VALUE, sink);
    return sink.count == 0
        ? Aggregate.EMPTY
        : new Aggregate(sink.count, sink.min, sink.max, sink.sum);
  }

  /**
   * Fills the {@code n} points ending exactly at {@code timestamp} (oldest first) and returns how
   * many were available: 0 when there is no point at {@code timestamp}, fewer than {@code n} near
   * the series' start.
   */
  public int pointsEndingAt(long timestamp, int n, double[] valuesOut) {
    Snapshot s = snapshot;
    int b = blockAtOrAfter(s, timestamp);
    if (b < 0) {
      return 0;
    }
    int index = block(s, b).search(timestamp, count(s, b));
    if (index < 0) {
      return 0;
    }
    int filled = 0;
    while (filled < n && b >= 0) {
      valuesOut[n - 1 - filled] = block(s, b).value(index);
      filled++;
      if (--index < 0 && --b >= 0) {
        index = count(s, b) - 1;
      }
    }
    if (filled < n) {
      System.arraycopy(valuesOut, n - filled, valuesOut, 0, filled);
    }
    return filled;
  }

  /**
   * Index of the first block whose last timestamp is {@code >= timestamp}, or -1 when there is
   * none.
   */
  private static int blockAtOrAfter(Snapshot s, long timestamp) {
    int found = Arrays.binarySearch(s.sealedLast, 0, s.sealedCount, timestamp);
    int b = found >= 0 ? found : -found - 1;
    if (b < s.sealedCount) {
      return b;
    }
    int headCount = s.head.count();
    return headCount > 0 && s.head.timestamp(headCount - 1) >= timestamp ? b : -1;
  }

  private static Block block(Snapshot s, int b) {
    if (b < 0) {
      return null;
    }
    return b < s.sealedCount ? s.sealed[b] : s.head;
  }

  private static int count(Snapshot s, int b) {
    return b < s.sealedCount ? s.sealed[b].count() : s.head.count();
  }

  private static int start(Block block, long from, int n) {
    int found = block.search(from, n);
    return found >= 0 ? found : -found - 1;
  }

  private static final class AggregateSink implements PointSink {
    long count;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum;

    @Override
    public void accept(long timestamp, double value) {
      count++;
      min = Math.min(min, value);
      max = Math.max(max, value);
      sum += value;
    }
  }
}
