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
 * The points of one series: sealed, immutable chunks plus a head block that its single writer (the
 * series' actor) fills. Readers take the current {@link SeriesSnapshot} (one volatile read) and the
 * head's published count, and never lock; a seal swaps in a new snapshot, so a reader sees either
 * the old head or the sealed copy of it, never a gap.
 *
 * <p>A sealed chunk is a {@link Block} in memory until a checkpoint stores it in a pack file; then
 * it becomes a {@link StoredChunk} read back on demand and the block's memory is recycled for new
 * points, so what a series keeps in memory is its head and the chunks sealed since the last
 * checkpoint, however long it grows. A reader that read a block which was retired meanwhile
 * (checked with {@link Block#intact} after the read) reads again from a fresh snapshot.
 *
 * <p>Timestamps increase strictly across the whole series, sealed blocks and head alike: the writer
 * keeps the last timestamp and checks every append against it (upstream checked only within a
 * segment).
 */
public final class SeriesData {

  private static final Block RELEASED_HEAD = Block.empty();

  private final BlockSupply blocks;
  private final int chunkPoints;
  private volatile SeriesSnapshot snapshot;

  // Writer state: touched only by the series' actor (or by recovery before the actor starts).
  private long lastTimestamp;
  private long pointCount;
  private final List<Block> recoveredSeals = new ArrayList<>();
  private final List<Block> spareBlocks = new ArrayList<>(1);

  /** An empty series whose blocks come from {@code blocks}. */
  public SeriesData(BlockSupply blocks) {
    this.blocks = blocks;
    this.chunkPoints = blocks.chunkPoints();
    this.snapshot = SeriesSnapshot.of(blocks.take());
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
    Block head = snapshot.head();
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
    int seals = (int) ((snapshot.head().count() + (long) points) / chunkPoints);
    while (spareBlocks.size() < seals) {
      spareBlocks.add(blocks.take());
    }
  }

  /** Writer only: the full head becomes a sealed block, returned so the caller can persist it. */
  public Block sealHead() {
    Block next = spareBlocks.isEmpty() ? blocks.take() : spareBlocks.remove(spareBlocks.size() - 1);
    SeriesSnapshot current = snapshot;
    Block sealedHead = current.head();
    snapshot = current.withSealed(sealedHead, next);
    return sealedHead;
  }

  /**
   * Recovery only: adds a chunk stored in a pack file, whose first point is at {@code
   * firstTimestamp}, skipping it if it adds nothing new.
   */
  public void addStored(StoredChunk chunk, long firstTimestamp) {
    if (pointCount > 0 && chunk.lastTimestamp() <= lastTimestamp) {
      return;
    }
    if (snapshot.head().count() > 0 || (pointCount > 0 && firstTimestamp <= lastTimestamp)) {
      // Overlaps what is loaded already (a head snapshot written before this chunk): append point
      // by point.
      Block points = chunk.points();
      long[] timestamps = new long[points.count()];
      double[] values = new double[timestamps.length];
      points.copyTo(timestamps, values, timestamps.length);
      appendRecovered(timestamps, values, 0, timestamps.length);
      return;
    }
    SeriesSnapshot current = snapshot;
    snapshot = current.withSealed(chunk, current.head());
    lastTimestamp = chunk.lastTimestamp();
    pointCount += chunk.count();
  }

  /**
   * Writer only: a checkpoint stored {@code blocks} (sealed blocks of this series) as {@code
   * chunks}, in the same order. Each block's slot now holds its stored chunk, and its memory goes
   * back to the supply for new blocks.
   */
  public void stored(List<Block> blocks, List<StoredChunk> chunks) {
    SeriesSnapshot s = snapshot;
    int slot = -1;
    for (int i = 0; i < blocks.size(); i++) {
      Block block = blocks.get(i);
      // A checkpoint's blocks sit in consecutive slots: search only when the next one is not it.
      slot++;
      if (slot <= 0 || slot >= s.sealedCount() || s.sealed()[slot] != block) {
        slot = Arrays.binarySearch(s.sealedLast(), 0, s.sealedCount(), block.lastTimestamp());
      }
      if (slot >= 0 && s.sealed()[slot] == block) {
        s.sealed()[slot] = chunks.get(i);
        this.blocks.recycle(block);
      }
    }
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

  /**
   * Writer only, for a series that takes no more points (it was dropped): readers see it empty from
   * now on, and every block it holds in memory goes back to the supply. Calling it again does
   * nothing.
   */
  public void release() {
    SeriesSnapshot s = snapshot;
    snapshot = SeriesSnapshot.of(RELEASED_HEAD);
    for (int i = 0; i < s.sealedCount(); i++) {
      if (s.sealed()[i] instanceof Block block) {
        blocks.recycle(block);
      }
    }
    if (s.head() != RELEASED_HEAD) {
      blocks.recycle(s.head());
    }
    for (Block spare : spareBlocks) {
      blocks.recycle(spare);
    }
    spareBlocks.clear();
  }

  /** Writer only: the points of the head now, copied, for a head snapshot file. */
  public int copyHead(long[] timestampsOut, double[] valuesOut) {
    Block head = snapshot.head();
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

  // ---- reader side: see SeriesReads ----

  /** The current snapshot (one volatile read). */
  SeriesSnapshot snapshot() {
    return snapshot;
  }

  /** The value at exactly {@code timestamp}. */
  public OptionalDouble valueAt(long timestamp) {
    return SeriesReads.valueAt(this, timestamp);
  }

  /** The last point at or before {@code timestamp}. */
  public Optional<Point> asOf(long timestamp) {
    return SeriesReads.asOf(this, timestamp);
  }

  /** The last point of the series. */
  public Optional<Point> latest() {
    return SeriesReads.asOf(this, Long.MAX_VALUE);
  }

  /**
   * Delivers up to {@code limit} points with {@code from <= t <= to}, in order; returns how many.
   */
  public int range(long from, long to, int limit, PointSink sink) {
    return SeriesReads.range(this, from, to, limit, sink);
  }

  /**
   * Count, min, max and sum of the values with {@code from <= t <= to} ({@link Aggregator}). A
   * sealed chunk inside the window adds its summary instead of its points (kept in the pack index
   * for stored chunks, worked out once for blocks still in memory), so a window over a long history
   * costs a few reads per chunk; only the chunks at the window's edges and the head are read point
   * by point.
   */
  public Aggregate aggregate(long from, long to) {
    return SeriesReads.aggregate(this, from, to);
  }

  /**
   * Fills the {@code n} points ending exactly at {@code timestamp} (oldest first) and returns how
   * many were available: 0 when there is no point at {@code timestamp}, fewer than {@code n} near
   * the series' start.
   */
  public int pointsEndingAt(long timestamp, int n, double[] valuesOut) {
    return SeriesReads.pointsEndingAt(this, timestamp, n, valuesOut);
  }
}
