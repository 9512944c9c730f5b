package io.tokenworks.tau;

import io.tokenworks.tau.storage.SeriesData;
import java.util.List;
import java.util.OptionalDouble;

/** Evaluating a lens' transform chain over its source series. */
final class Lenses {

  /** The most transforms one lens may chain (the manifest stores the count in a byte). */
  static final int MAX_CHAIN = 255;

  private Lenses() {}

  /**
   * The chain applied at exactly {@code timestamp}. Each transform that needs the previous point
   * consumes one point of history, so a chain with k of them reads the k+1 points ending at {@code
   * timestamp}; with less history there is no value, as there is none without a point at {@code
   * timestamp}.
   */
  static OptionalDouble evaluate(SeriesData source, List<Transform> chain, long timestamp) {
    int history = 0;
    for (Transform transform : chain) {
      if (transform.needsPrevious()) {
        history++;
      }
    }
    double[] window = new double[history + 1];
    if (source.pointsEndingAt(timestamp, window.length, window) < window.length) {
      return OptionalDouble.empty();
    }
    int length = window.length;
    for (Transform transform : chain) {
      if (transform.needsPrevious()) {
        for (int i = 0; i < length - 1; i++) {
          window[i] = transform.apply(window[i + 1], window[i]);
        }
        length--;
      } else {
        for (int i = 0; i < length; i++) {
          window[i] = transform.apply(window[i]);
        }
      }
    }
    return OptionalDouble.of(window[0]);
  }
}
