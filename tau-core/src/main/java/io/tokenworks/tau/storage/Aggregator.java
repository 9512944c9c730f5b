package io.tokenworks.tau.storage;

import io.tokenworks.tau.Aggregate;

/**
 * Adds up the count, minimum, maximum and sum of values, one at a time or a whole chunk at a time
 * from its {@link ValueSummary}.
 *
 * <p>The sum is compensated (Neumaier's variant of Kahan summation): the rounding error of each
 * addition is carried in a second term, so the result is as accurate as adding in order or better
 * (1e16 + 1 - 1e16 gives 1, not 0), and adding a chunk's summed values at once gives what adding
 * them one by one would, up to the last bits. Once the running sum is infinite or NaN the
 * compensation means nothing and the IEEE result stands: +inf and -inf together give NaN, as in
 * plain addition.
 */
final class Aggregator {

  private long count;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;
  private double sum;
  private double compensation;

  void add(double value) {
    count++;
    min = Math.min(min, value);
    max = Math.max(max, value);
    addToSum(value);
  }

  /** Adds a chunk of {@code points} values (at least one) summarized by {@code summary}. */
  void add(int points, ValueSummary summary) {
    count += points;
    min = Math.min(min, summary.min());
    max = Math.max(max, summary.max());
    addToSum(summary.sum());
    compensation += summary.compensation();
  }

  private void addToSum(double value) {
    double total = sum + value;
    if (Math.abs(sum) >= Math.abs(value)) {
      compensation += (sum - total) + value;
    } else {
      compensation += (value - total) + sum;
    }
    sum = total;
  }

  private double sum() {
    return Double.isFinite(sum) ? sum + compensation : sum;
  }

  /** What was added, as a chunk's summary; at least one value must have been. */
  ValueSummary summary() {
    return new ValueSummary(min, max, sum, compensation);
  }

  Aggregate result() {
    return count == 0 ? Aggregate.EMPTY : new Aggregate(count, min, max, sum());
  }
}
