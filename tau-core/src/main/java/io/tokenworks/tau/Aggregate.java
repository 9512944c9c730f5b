package io.tokenworks.tau;

/**
 * Count, minimum, maximum, sum and mean of the values in a time window. An empty window has count 0
 * and NaN for the rest. A NaN value in the window makes min, max, sum and mean NaN, as {@link
 * Math#min} and IEEE addition say. The sum is compensated (Kahan-Neumaier): at least as accurate as
 * adding the values in order, so it may differ from a plain in-order sum in the last bits; +inf and
 * -inf together give NaN.
 */
public record Aggregate(long count, double min, double max, double sum) {

  public static final Aggregate EMPTY = new Aggregate(0, Double.NaN, Double.NaN, Double.NaN);

  public double mean() {
    return count == 0 ? Double.NaN : sum / count;
  }
}
