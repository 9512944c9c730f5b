package io.tokenworks.tau.storage;

import io.tokenworks.tau.Aggregate;
import io.tokenworks.tau.Point;
import io.tokenworks.tau.PointSink;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The queries over a {@link SeriesData}, run on the caller's thread without locks. Every query
 * loops until it has read from blocks that were all still intact afterwards (see {@link
 * Block#intact}): the head it started from and each block it took points from. A retry needs a
 * reader to be overtaken by a whole checkpoint, so it is rare; it is what makes recycling a stored
 * block's memory safe for a reader that holds no lock.
 */
final class SeriesReads {

  private SeriesReads() {}

  /** See {@link SeriesData#valueAt}. */
  static OptionalDouble valueAt(SeriesData data, long timestamp) {
    for (; ; ) {
      SeriesSnapshot s = data.snapshot();
      int n = s.sealedCount();
      long[] last = s.sealedLast();
      if (n > 2 && timestamp > last[0] && timestamp <= last[n - 1]) {
        // A regular series: one interpolation over the index places both the chunk and the point
        // in it, and a hit reads one cache line of the chunk (see blockAtOrAfter and Block.search).
        double chunks = ((double) timestamp - last[0]) / ((double) last[n - 1] - last[0]) * (n - 1);
        int b = Math.max(1, Math.min(n - 1, (int) Math.ceil(chunks)));
        if (last[b - 1] < timestamp && timestamp <= last[b]) {
          Block block = s.sealed()[b].points();
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
      int b = s.blockAtOrAfter(timestamp);
      if (b < 0) {
        if (s.head().intact()) {
          return OptionalDouble.empty();
        }
        continue;
      }
      Block block = s.points(b);
      int index = s.search(b, block, timestamp);
      double value = index >= 0 ? block.value(index) : 0;
      if (block.intact() && s.head().intact()) {
        return index >= 0 ? OptionalDouble.of(value) : OptionalDouble.empty();
      }
    }
  }

  /** See {@link SeriesData#asOf}. */
  static Optional<Point> asOf(SeriesData data, long timestamp) {
    for (; ; ) {
      SeriesSnapshot s = data.snapshot();
      int b = s.blockAtOrAfter(timestamp);
      Block probed;
      int index;
      if (b < 0) {
        // Every point is before the timestamp: the last point of the series.
        b = s.sealedCount();
        probed = s.head();
        index = probed.count() - 1;
      } else {
        probed = s.points(b);
        int found = s.search(b, probed, timestamp);
        index = found >= 0 ? found : -found - 2;
      }
      Block block = probed;
      if (index < 0) {
        b--;
        block = b >= 0 ? s.sealed()[b].points() : null;
        index = block != null ? block.count() - 1 : -1;
      }
      Point point = index >= 0 ? new Point(block.timestamp(index), block.value(index)) : null;
      if (probed.intact() && (block == null || block.intact()) && s.head().intact()) {
        return Optional.ofNullable(point);
      }
    }
  }

  /** See {@link SeriesData#range}. */
  static int range(SeriesData data, long from, long to, int limit, PointSink sink) {
    if (from > to || limit <= 0) {
      return 0;
    }
    int delivered = 0;
    long next = from;
    retry:
    for (; ; ) {
      SeriesSnapshot s = data.snapshot();
      int b = s.blockAtOrAfter(next);
      if (b < 0) {
        if (s.head().intact()) {
          return delivered;
        }
        continue;
      }
      Block block = s.points(b);
      int found = s.search(b, block, next);
      int index = found >= 0 ? found : -found - 1;
      if (!block.intact() || !s.head().intact()) {
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
        if (++b > s.sealedCount()) {
          return delivered;
        }
        block = s.points(b);
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
  static Aggregate aggregate(SeriesData data, long from, long to) {
    if (from > to) {
      return Aggregate.EMPTY;
    }
    retry:
    for (; ; ) {
      SeriesSnapshot s = data.snapshot();
      Aggregator aggregator = new Aggregator();
      int b = s.blockAtOrAfter(from);
      if (b < 0) {
        if (s.head().intact()) {
          return Aggregate.EMPTY;
        }
        continue;
      }
      for (; b <= s.sealedCount(); b++) {
        if (b > 0 && s.sealedLast()[b - 1] >= to) {
          break; // every point from here on is after the window
        }
        if (b < s.sealedCount()
            && b > 0
            && s.sealedLast()[b - 1] + 1 >= from
            && s.sealedLast()[b] <= to) {
          // Every point of the chunk is after the previous chunk's last (which is not MAX_VALUE, or
          // there would be no chunk after it), so all of them are in the window.
          SealedChunk chunk = s.sealed()[b];
          ValueSummary summary = chunk.summary();
          if (summary == null) {
            Block block = chunk.points();
            summary = summarize(block);
            if (!block.intact() || !s.head().intact()) {
              continue retry;
            }
            chunk.summarized(summary);
          }
          aggregator.add(chunk.count(), summary);
          continue;
        }
        Block block = s.points(b);
        int n = block.count();
        int index = 0;
        if (b == 0 || s.sealedLast()[b - 1] < from) {
          int found = s.search(b, block, from);
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
        if (!block.intact() || !s.head().intact()) {
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

  /** See {@link SeriesData#pointsEndingAt}. */
  static int pointsEndingAt(SeriesData data, long timestamp, int n, double[] valuesOut) {
    retry:
    for (; ; ) {
      SeriesSnapshot s = data.snapshot();
      int b = s.blockAtOrAfter(timestamp);
      if (b < 0) {
        if (s.head().intact()) {
          return 0;
        }
        continue;
      }
      Block block = s.points(b);
      int index = s.search(b, block, timestamp);
      if (index < 0) {
        if (block.intact() && s.head().intact()) {
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
          block = s.sealed()[b].points();
          index = block.count() - 1;
        }
      }
      if (!block.intact() || !s.head().intact()) {
        continue;
      }
      if (filled < n) {
        System.arraycopy(valuesOut, n - filled, valuesOut, 0, filled);
      }
      return filled;
    }
  }
}
