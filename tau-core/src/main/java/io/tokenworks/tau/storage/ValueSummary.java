package io.tokenworks.tau.storage;

/**
 * The minimum, maximum and sum of a sealed chunk's values, kept beside the chunk (in its pack's
 * index) so that an aggregate over a window that covers the whole chunk reads these three numbers
 * instead of decoding the chunk's points. Min and max follow {@link Math#min} and {@link Math#max}
 * (a NaN value makes both NaN; -0.0 is below 0.0); the sum is compensated ({@link Aggregator}) and
 * kept as the running sum and the rounding error it carries, so that adding chunks loses no more
 * than adding their values one by one would.
 */
public record ValueSummary(double min, double max, double sum, double compensation) {

  /** The summary of the first {@code count} values (at least one). */
  public static ValueSummary of(double[] values, int count) {
    Aggregator aggregator = new Aggregator();
    for (int i = 0; i < count; i++) {
      aggregator.add(values[i]);
    }
    return aggregator.summary();
  }
}
