package io.tokenworks.tau.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A run of points in two parallel primitive arrays, timestamps strictly increasing. One thread (the
 * series' actor) appends; any thread reads the first {@link #count()} points without locking,
 * because the writer stores a point before it publishes the new count with release semantics and
 * readers load the count with acquire.
 */
public final class Block {

  private static final VarHandle COUNT;

  static {
    try {
      COUNT = MethodHandles.lookup().findVarHandle(Block.class, "count", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final long[] timestamps;
  final double[] values;

  @SuppressWarnings("unused") // accessed through COUNT
  private int count;

  Block(int capacity) {
    this.timestamps = new long[capacity];
    this.values = new double[capacity];
  }

  /** A full block over arrays read back from a chunk file. */
  Block(long[] timestamps, double[] values, int count) {
    this.timestamps = timestamps;
    this.values = values;
    COUNT.setRelease(this, count);
  }

  /** Points visible to readers. */
  public int count() {
    return (int) COUNT.getAcquire(this);
  }

  int capacity() {
    return timestamps.length;
  }

  long timestamp(int index) {
    return timestamps[index];
  }

  double value(int index) {
    return values[index];
  }

  /**
   * Writer only: stores a point at the end and publishes it. The caller checked order and capacity.
   */
  void append(long timestamp, double value) {
    int index = (int) COUNT.get(this);
    timestamps[index] = timestamp;
    values[index] = value;
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
    int low = 0;
    int high = n - 1;
    for (int guesses = 0; guesses < 2 && low < high; guesses++) {
      long lowTimestamp = timestamps[low];
      long highTimestamp = timestamps[high];
      if (timestamp <= lowTimestamp || timestamp >= highTimestamp) {
        break;
      }
      double fraction =
          ((double) timestamp - lowTimestamp) / ((double) highTimestamp - lowTimestamp);
      int guess = low + (int) (fraction * (high - low));
      guess = Math.max(low + 1, Math.min(high - 1, guess));
      long guessTimestamp = timestamps[guess];
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
      long midTimestamp = timestamps[mid];
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
