package io.tokenworks.tau;

/** Receives the points of a range query in ascending timestamp order, without boxing. */
@FunctionalInterface
public interface PointSink {
  void accept(long timestamp, double value);
}
