package io.tokenworks.protocol.tau;

import java.util.ArrayList;
import java.util.List;

/**
 * One page of a QUERY_RANGE reply: up to {@code limit} points in ascending timestamp order, and
 * whether more points lie in the range. Ask for the next page from {@link #nextFrom()}.
 */
public final class TauRangePage {

  private final long[] timestamps;
  private final double[] values;
  private final boolean hasMore;

  TauRangePage(long[] timestamps, double[] values, boolean hasMore) {
    this.timestamps = timestamps;
    this.values = values;
    this.hasMore = hasMore;
  }

  public int count() {
    return timestamps.length;
  }

  public long timestamp(int index) {
    return timestamps[index];
  }

  /** The value of point {@code index}, bit-exact. */
  public double value(int index) {
    return values[index];
  }

  /** Whether the server has more points in the range than this page holds. */
  public boolean hasMore() {
    return hasMore;
  }

  /**
   * Where the next page starts: one past the last timestamp of this page. Meaningful only when
   * {@link #hasMore()} and the page is not empty.
   */
  public long nextFrom() {
    return timestamps[timestamps.length - 1] + 1;
  }

  /** The points as records. Allocates. */
  public List<TauPoint> points() {
    List<TauPoint> points = new ArrayList<>(timestamps.length);
    for (int i = 0; i < timestamps.length; i++) {
      points.add(new TauPoint(timestamps[i], values[i]));
    }
    return points;
  }

  @Override
  public String toString() {
    return "TauRangePage{count=" + count() + ", hasMore=" + hasMore + "}";
  }
}
