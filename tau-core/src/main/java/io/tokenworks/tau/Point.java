package io.tokenworks.tau;

/**
 * One point of a series: a timestamp and a value, kept bit-exact (NaN payloads, -0.0, infinities).
 */
public record Point(long timestamp, double value) {

  @Override
  public boolean equals(Object other) {
    return other instanceof Point point
        && timestamp == point.timestamp
        && Double.doubleToRawLongBits(value) == Double.doubleToRawLongBits(point.value);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(timestamp) * 31 + Long.hashCode(Double.doubleToRawLongBits(value));
  }
}
