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
 * series' actor) fills. Readers take the current {@link Snapshot} (one volatile read) and the
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

  /**
   * What readers see: the first {@code sealedCount} entries of {@code sealed} and {@code
   * sealedLast} (the last timestamp of each sealed chunk), then the head. The arrays have room to
   * spare and are shared by successive snapshots: sealing writes the next free slot and publishes a
   * snapshot with a count one higher, so a reader of an older snapshot never looks at that slot,
   * and a seal costs O(1) instead of a copy of the whole list (which, at 270 seals a second, grew
   * to hundreds of MB/s of garbage within minutes, and made loading n chunks O(n²)). A checkpoint's
   * stored chunks replace their blocks in place: a reader finds either, and both hold the same
   * points.
   */
  private record Snapshot(SealedChunk[] sealed, long[] sealedLast, int sealedCount, Block head) {}

  private static final SealedChunk[] NO_CHUNKS = new SealedChunk[0];
  private static final Block RELEASED_HEAD = Block.empty();
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
    this.snapshot = new Snapshot(NO_CHUNKS, NO_TIMESTAMPS, 0, blocks.take());
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
   * Recovery only: adds a chunk stored in a pack file, whose first point is at {@code
   * firstTimestamp}, skipping it if it adds nothing new.
   */
  public void addStored(StoredChunk chunk, long firstTimestamp) {
    if (pointCount > 0 && chunk.lastTimestamp() <= lastTimestamp) {
      return;
    }
    if (snapshot.head.count() > 0 || (pointCount > 0 && firstTimestamp <= lastTimestamp)) {
      // Overlaps what is loaded already (a head snapshot written before this chunk): append point
      // by point.
      Block points = chunk.points();
      long[] timestamps = new long[points.count()];
      double[] values = new double[timestamps.length];
      points.copyTo(timestamps, values, timestamps.length);
      appendRecovered(timestamps, values, 0, timestamps.length);
      return;
    }
    Snapshot current = snapshot;
    snapshot = withSealed(current, chunk, current.head);
    lastTimestamp = chunk.lastTimestamp();
    pointCount += chunk.count();
  }

  /**
   * Writer only: a checkpoint stored {@code blocks} (sealed blocks of this series) as {@code
   * chunks}, in the same order. Each block's slot now holds its stored chunk, and its memory goes
   * back to the supply for new blocks.
   */
  public void stored(List<Block> blocks, List<StoredChunk> chunks) {
    Snapshot s = snapshot;
    int slot = -1;
    for (int i = 0; i < blocks.size(); i++) {
      Block block = blocks.get(i);
      // A checkpoint's blocks sit in consecutive slots: search only when the next one is not it.
      slot++;
      if (slot <= 0 || slot >= s.sealedCount || s.sealed[slot] != block) {
        slot = Arrays.binarySearch(s.sealedLast, 0, s.sealedCount, block.lastTimestamp());
      }
      if (slot >= 0 && s.sealed[slot] == block) {
        s.sealed[slot] = chunks.get(i);
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

  private static Snapshot withSealed(Snapshot current, SealedChunk sealed, Block head) {
    int n = current.sealedCount;
    SealedChunk[] blocks = current.sealed;
    long[] last = current.sealedLast;
    if (n == blocks.length) {
      int capacity = Math.max(16, 2 * n);
      blocks = Arrays.copyOf(blocks, capacity);
      last = Arrays.copyOf(last, capacity);
    }
    blocks[n] = sealed;
    last[n] = sealed.lastTimestamp();
    return new Snapshot(blocks, last, n + 1, head);
  }

  /**
   * Writer only, for a series that takes no more points (it was dropped): readers see it empty from
   * now on, and every block it holds in memory goes back to the supply. Calling it again does
   * nothing.
   */
  public void release() {
    Snapshot s = snapshot;
    snapshot = new Snapshot(NO_CHUNKS, NO_TIMESTAMPS, 0, RELEASED_HEAD);
    for (int i = 0; i < s.sealedCount; i++) {
      if (s.sealed[i] instanceof Block block) {
        blocks.recycle(block);
      }
    }
    if (s.head != RELEASED_HEAD) {
      blocks.recycle(s.head);
    }
    for (Block spare : spareBlocks) {
      blocks.recycle(spare);
    }
    spareBlocks.clear();
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
  //
  // Every read loops until it has read from blocks that were all still intact afterwards (see
  // Block#intact): the head it started from and each block it took points from. A retry needs a
  // reader to be overtaken by a whole checkpoint, so it is rare; it is what makes recycling a
  // stored block's memory safe for a reader that holds no lock.

  /** The value at exactly {@code timestamp}. */
  public OptionalDouble valueAt(long timestamp) {
    for (; ; ) {
      Snapshot s = snapshot;
      int n = s.sealedCount;
      long[] last = s.sealedLast;
      if (n > 2 && timestamp > last[0] && timestamp <= last[n - 1]) {
        // A regular series: one interpolation over the index places both the chunk and the point
        // in it, and a hit reads one cache line of the chunk (see blockAtOrAfter and Block.search).
        double chunks = ((double) timestamp - last[0]) / ((double) last[n - 1] - last[0]) * (n - 1);
        int b = Math.max(1, Math.min(n - 1, (int) Math.ceil(chunks)));
        if (last[b - 1] < timestamp && timestamp <= last[b]) {
          Block block = s.sealed[b].points();
          int count = block.count();
          int guess =
              Math.max(0, Math.min(count - 1, (int) Math.round((chunks - (b - 1)) * count) - 1));
          int index =
              block.timestamp(guess) == timestamp
                  ? guess
                  : block.search(timestamp, count, last[b - 1], last[b]);
          double value = index >= 0 ? block.value(index) : 0;
          if (block.intact()) {
            return index >= 0 ? OptionalDouble.of(value) : OptionalDouble.empty();
          }
          continue;
        }
      }
      int b = blockAtOrAfter(s, timestamp);
      if (b < 0) {
        if (s.head.intact()) {
          return OptionalDouble.empty();
        }
        continue;
      }
      Block block = points(s, b);
      int index = search(s, b, block, timestamp);
      double value = index >= 0 ? block.value(index) : 0;
      if (block.intact() && s.head.intact()) {
        return index >= 0 ? OptionalDouble.of(value) : OptionalDouble.empty();
      }
    }
  }

  /** The last point at or before {@code timestamp}. */
  public Optional<Point> asOf(long timestamp) {
    for (; ; ) {
      Snapshot s = snapshot;
      int b = blockAtOrAfter(s, timestamp);
      Block probed;
      int index;
      if (b < 0) {
        // Every point is before the timestamp: the last point of the series.
        b = s.sealedCount;
        probed = s.head;
        index = probed.count() - 1;
      } else {
        probed = points(s, b);
        int found = search(s, b, probed, timestamp);
        index = found >= 0 ? found : -found - 2;
      }
      Block block = probed;
      if (index < 0) {
        b--;
        block = b >= 0 ? s.sealed[b].points() : null;
        index = block != null ? block.count() - 1 : -1;
      }
      Point point = index >= 0 ? new Point(block.timestamp(index), block.value(index)) : null;
      if (probed.intact() && (block == null || block.intact()) && s.head.intact()) {
        return Optional.ofNullable(point);
      }
    }
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
    int delivered = 0;
    long next = from;
    retry:
    for (; ; ) {
      Snapshot s = snapshot;
      int b = blockAtOrAfter(s, next);
      if (b < 0) {
        if (s.head.intact()) {
          return delivered;
        }
        continue;
      }
      Block block = points(s, b);
      int found = search(s, b, block, next);
      int index = found >= 0 ? found : -found - 1;
      if (!block.intact() || !s.head.intact()) {
        continue;
      }
      for (; ; ) {
        for (int n = block.count(); index < n; index++) {
          long t = block.timestamp(index);
          double value = block.value(index);
          if (!block.intact()) {
            continue retry; // from the point after the last one delivered
          }
          if (t > to) {
            return delivered;
          }
          sink.accept(t, value);
          if (++delivered == limit || t == Long.MAX_VALUE) {
            return delivered;
          }
          next = t + 1;
        }
        if (++b > s.sealedCount) {
          return delivered;
        }
        block = points(s, b);
        index = 0;
      }
    }
  }

  /**
   * Count, min, max and sum of the values with {@code from <= t <= to} ({@link Aggregator}). A
   * sealed chunk inside the window adds its summary instead of its points (kept in the pack index
   * for stored chunks, worked out once for blocks still in memory), so a window over a long history
   * costs a few reads per chunk; only the chunks at the window's edges and the head are read point
   * by point.
   */
  public Aggregate aggregate(long from, long to) {
    if (from > to) {
      return Aggregate.EMPTY;
    }
    retry:
    for (; ; ) {
      Snapshot s = snapshot;
      Aggregator aggregator = new Aggregator();
      int b = blockAtOrAfter(s, from);
      if (b < 0) {
        if (s.head.intact()) {
          return Aggregate.EMPTY;
        }
        continue;
      }
      for (; b <= s.sealedCount; b++) {
        if (b > 0 && s.sealedLast[b - 1] >= to) {
          break; // every point from here on is after the window
        }
        if (b < s.sealedCount
            && b > 0
            && s.sealedLast[b - 1] + 1 >= from
            && s.sealedLast[b] <= to) {
          // Every point of the chunk is after the previous chunk's last (which is not MAX_VALUE, or
          // there would be no chunk after it), so all of them are in the window.
          SealedChunk chunk = s.sealed[b];
          ValueSummary summary = chunk.summary();
          if (summary == null) {
            Block block = chunk.points();
            summary = summarize(block);
            if (!block.intact() || !s.head.intact()) {
              continue retry;
            }
            chunk.summarized(summary);
          }
          aggregator.add(chunk.count(), summary);
          continue;
        }
        Block block = points(s, b);
        int n = block.count();
        int index = 0;
        if (b == 0 || s.sealedLast[b - 1] < from) {
          int found = search(s, b, block, from);
          index = found >= 0 ? found : -found - 1;
        }
        boolean past = false;
        for (; index < n; index++) {
          long t = block.timestamp(index);
          if (t > to) {
            past = true;
            break;
          }
          aggregator.add(block.value(index));
        }
        if (!block.intact() || !s.head.intact()) {
          continue retry;
        }
        if (past) {
          break;
        }
      }
      return aggregator.result();
    }
  }

  /** The summary of a sealed chunk's points (check the block is intact before trusting it). */
  private static ValueSummary summarize(Block points) {
    Aggregator aggregator = new Aggregator();
    for (int i = 0, n = points.count(); i < n; i++) {
      aggregator.add(points.value(i));
    }
    return aggregator.summary();
  }

  /**
   * Fills the {@code n} points ending exactly at {@code timestamp} (oldest first) and returns how
   * many were available: 0 when there is no point at {@code timestamp}, fewer than {@code n} near
   * the series' start.
   */
  public int pointsEndingAt(long timestamp, int n, double[] valuesOut) {
    retry:
    for (; ; ) {
      Snapshot s = snapshot;
      int b = blockAtOrAfter(s, timestamp);
      if (b < 0) {
        if (s.head.intact()) {
          return 0;
        }
        continue;
      }
      Block block = points(s, b);
      int index = search(s, b, block, timestamp);
      if (index < 0) {
        if (block.intact() && s.head.intact()) {
          return 0;
        }
        continue;
      }
      int filled = 0;
      while (filled < n) {
        valuesOut[n - 1 - filled] = block.value(index);
        filled++;
        if (--index < 0) {
          if (!block.intact()) {
            continue retry;
          }
          if (--b < 0) {
            break;
          }
          block = s.sealed[b].points();
          index = block.count() - 1;
        }
      }
      if (!block.intact() || !s.head.intact()) {
        continue;
      }
      if (filled < n) {
        System.arraycopy(valuesOut, n - filled, valuesOut, 0, filled);
      }
      return filled;
    }
  }

  /**
   * Index of the first chunk whose last timestamp is {@code >= timestamp} ({@code sealedCount} for
   * the head), or -1 when there is none.
   */
  private static int blockAtOrAfter(Snapshot s, long timestamp) {
    int n = s.sealedCount;
    long[] last = s.sealedLast;
    if (n > 2 && timestamp > last[0] && timestamp <= last[n - 1]) {
      // Chunks of a regular series span equal times: guess the chunk from the time alone, a few
      // instructions where a binary search over the index takes a dozen unpredictable branches,
      // and keep the guess if the index confirms it.
      double fraction = ((double) timestamp - last[0]) / ((double) last[n - 1] - last[0]);
      int guess = Math.max(1, Math.min(n - 1, (int) Math.ceil(fraction * (n - 1))));
      if (last[guess - 1] < timestamp && timestamp <= last[guess]) {
        return guess;
      }
    }
    int found = Arrays.binarySearch(last, 0, n, timestamp);
    int b = found >= 0 ? found : -found - 1;
    if (b < n) {
      return b;
    }
    int headCount = s.head.count();
    return headCount > 0 && s.head.timestamp(headCount - 1) >= timestamp ? b : -1;
  }

  /** The points of chunk {@code b} (the head for {@code sealedCount}), read back if stored. */
  private static Block points(Snapshot s, int b) {
    return b < s.sealedCount ? s.sealed[b].points() : s.head;
  }

  /**
   * Where {@code timestamp} is in chunk {@code b} (whose points are {@code block}), as {@link
   * Block#search(long, int)}: past the first chunk the index's last timestamps bound the chunk, so
   * the search starts without reading the block's ends.
   */
  private static int search(Snapshot s, int b, Block block, long timestamp) {
    int n = block.count();
    if (b == 0 || n == 0) {
      return block.search(timestamp, n);
    }
    long last = b < s.sealedCount ? s.sealedLast[b] : block.timestamp(n - 1);
    return block.search(timestamp, n, s.sealedLast[b - 1], last);
  }
}
