package io.tokenworks.protocol.tau;

/** One (timestamp, value) point as the TAU wire carries it; equality is bit-exact on the value. */
public record TauPoint(long timestamp, double value) {

  @Override
  public boolean equals(Object other) {
    return other instanceof TauPoint point
        && timestamp == point.timestamp
        && Double.doubleToRawLongBits(value) == Double.doubleToRawLongBits(point.value);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(timestamp) * 31 + Long.hashCode(Double.doubleToRawLongBits(value));
  }
}
