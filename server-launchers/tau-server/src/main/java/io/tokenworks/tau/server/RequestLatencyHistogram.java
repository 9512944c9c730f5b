package io.tokenworks.tau.server;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.tokenworks.protocol.tau.TauOpcode;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code tau_request_latency_seconds{op}}: a classic Prometheus histogram that takes its
 * observations in batches. The client library's histogram costs each observation a bucket search in
 * doubles, two striped adders and a scrape-consistency counter; at a million requests a second
 * that, with the request counter, was a tenth of a Tau event loop. Here a connection counts its
 * replies in a {@link TauMetrics.Tally} of plain longs (a bucket found by a few integer compares)
 * and adds them in once per read batch: a handful of atomic adds for a hundred replies.
 *
 * <p>A scrape reads the buckets one by one while batches keep arriving, so it may see a batch in
 * some buckets and not in others; the count it reports is the sum of the buckets it read, so the
 * histogram it exposes is always consistent with itself.
 */
final class RequestLatencyHistogram implements Collector {

  static final String NAME = "tau_request_latency_seconds";

  private static final TauOpcode[] OPCODES = TauOpcode.values();

  private final double[] upperBounds;
  private final long[] upperBoundsNanos;
  private final int buckets;

  /** Per opcode (by ordinal), {@code buckets} non-cumulative counts, the last one for +Inf. */
  private final AtomicLongArray counts;

  private final AtomicLongArray sumNanos = new AtomicLongArray(OPCODES.length);
  private final Labels[] labels = new Labels[OPCODES.length];

  /** {@code upperBoundsSeconds}: finite, increasing; +Inf is added. */
  RequestLatencyHistogram(double[] upperBoundsSeconds) {
    this.upperBounds = Arrays.copyOf(upperBoundsSeconds, upperBoundsSeconds.length + 1);
    this.upperBounds[upperBoundsSeconds.length] = Double.POSITIVE_INFINITY;
    this.upperBoundsNanos = new long[upperBoundsSeconds.length];
    for (int i = 0; i < upperBoundsSeconds.length; i++) {
      upperBoundsNanos[i] = Math.round(upperBoundsSeconds[i] * 1e9);
    }
    this.buckets = upperBounds.length;
    this.counts = new AtomicLongArray(OPCODES.length * buckets);
    for (TauOpcode opcode : OPCODES) {
      labels[opcode.ordinal()] = Labels.of("op", opcode.name().toLowerCase(Locale.ROOT));
    }
  }

  int buckets() {
    return buckets;
  }

  /** The bucket a latency falls in: the first whose upper bound it does not exceed. */
  int bucket(long nanos) {
    long[] bounds = upperBoundsNanos;
    int i = 0;
    while (i < bounds.length && nanos > bounds[i]) {
      i++;
    }
    return i;
  }

  /**
   * Adds a batch for {@code opcode}: {@code batchCounts[from + b]} replies in bucket {@code b},
   * whose latencies sum to {@code batchSumNanos}.
   */
  void add(TauOpcode opcode, long[] batchCounts, int from, long batchSumNanos) {
    int base = opcode.ordinal() * buckets;
    for (int b = 0; b < buckets; b++) {
      long n = batchCounts[from + b];
      if (n != 0) {
        counts.getAndAdd(base + b, n);
      }
    }
    sumNanos.getAndAdd(opcode.ordinal(), batchSumNanos);
  }

  @Override
  public String getPrometheusName() {
    return NAME;
  }

  @Override
  public MetricSnapshot collect() {
    HistogramSnapshot.Builder snapshot =
        HistogramSnapshot.builder()
            .name(NAME)
            .help("Time from a request's arrival to its reply being queued, by opcode");
    for (TauOpcode opcode : OPCODES) {
      int base = opcode.ordinal() * buckets;
      long[] bucketCounts = new long[buckets]; // per bucket, not cumulative: the writer sums them
      for (int b = 0; b < buckets; b++) {
        bucketCounts[b] = counts.get(base + b);
      }
      snapshot.dataPoint(
          HistogramDataPointSnapshot.builder()
              .labels(labels[opcode.ordinal()])
              .classicHistogramBuckets(ClassicHistogramBuckets.of(upperBounds, bucketCounts))
              .sum(sumNanos.get(opcode.ordinal()) / 1e9)
              .build());
    }
    return snapshot.build();
  }
}
