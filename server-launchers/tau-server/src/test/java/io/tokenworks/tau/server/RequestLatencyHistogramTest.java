package io.tokenworks.tau.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.tokenworks.protocol.tau.TauOpcode;
import io.tokenworks.protocol.tau.TauStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Batched latency counting: bucket edges, what a scrape sees before and after a flush. */
class RequestLatencyHistogramTest {

  private static HistogramDataPointSnapshot point(RequestLatencyHistogram histogram, String op) {
    return ((HistogramSnapshot) histogram.collect())
        .getDataPoints().stream()
            .filter(p -> p.getLabels().get("op").equals(op))
            .findFirst()
            .orElseThrow();
  }

  @Test
  void aLatencyOnABoundGoesToThatBucketAndAboveTheLastToInfinity() {
    RequestLatencyHistogram histogram = new RequestLatencyHistogram(new double[] {1e-5, 1e-4});
    assertThat(histogram.buckets()).isEqualTo(3);
    assertThat(histogram.bucket(0)).isZero();
    assertThat(histogram.bucket(10_000)).isZero();
    assertThat(histogram.bucket(10_001)).isEqualTo(1);
    assertThat(histogram.bucket(100_000)).isEqualTo(1);
    assertThat(histogram.bucket(100_001)).isEqualTo(2);
    assertThat(histogram.bucket(Long.MAX_VALUE)).isEqualTo(2);
  }

  @Test
  void batchesAddUpPerOpcode() {
    RequestLatencyHistogram histogram = new RequestLatencyHistogram(new double[] {1e-5, 1e-4});
    histogram.add(TauOpcode.APPEND, new long[] {9, 2, 3, 1}, 1, 7_000_000);
    histogram.add(TauOpcode.APPEND, new long[] {1, 0, 0}, 0, 5_000);

    HistogramDataPointSnapshot append = point(histogram, "append");
    assertThat(append.getClassicBuckets().getCount(0)).isEqualTo(3);
    assertThat(append.getClassicBuckets().getCount(1)).isEqualTo(3);
    assertThat(append.getClassicBuckets().getCount(2)).isEqualTo(1);
    assertThat(append.getCount()).isEqualTo(7);
    assertThat(append.getSum()).isEqualTo(0.007005);
    assertThat(point(histogram, "ping").getCount()).isZero();
  }

  @Test
  void aTallyReachesTheScrapeOnlyWhenFlushed() throws Exception {
    TauMetrics metrics = new TauMetrics(2);
    TauMetrics.Tally tally = metrics.tally();
    tally.request(TauOpcode.APPEND);
    tally.request(TauOpcode.APPEND);
    tally.replied(TauOpcode.APPEND, 20_000); // 20 us: the 25 us bucket
    tally.replied(TauOpcode.APPEND, 20_000); // the same latency again (a read's replies share one)
    tally.replied(TauOpcode.APPEND, 3_000_000); // 3 ms: the 5 ms bucket
    tally.replied(TauOpcode.PING, 3_000_000); // the same latency for another opcode
    tally.replied(TauOpcode.APPEND, 20_000);
    tally.error(TauStatus.OUT_OF_ORDER);

    assertThat(scrape(metrics))
        .contains("tau_requests_total{op=\"append\"} 0.0")
        .contains("tau_request_latency_seconds_count{op=\"append\"} 0");

    tally.flush();
    String text = scrape(metrics);
    assertThat(text)
        .contains("tau_requests_total{op=\"append\"} 2.0")
        .contains("tau_errors_total{status=\"out_of_order\"} 1.0")
        .contains("tau_request_latency_seconds_bucket{op=\"append\",le=\"1.0E-5\"} 0")
        .contains("tau_request_latency_seconds_bucket{op=\"append\",le=\"2.5E-5\"} 3")
        .contains("tau_request_latency_seconds_bucket{op=\"append\",le=\"0.0025\"} 3")
        .contains("tau_request_latency_seconds_bucket{op=\"append\",le=\"0.005\"} 4")
        .contains("tau_request_latency_seconds_bucket{op=\"append\",le=\"+Inf\"} 4")
        .contains("tau_request_latency_seconds_count{op=\"append\"} 4")
        .contains("tau_request_latency_seconds_sum{op=\"append\"} 0.00306")
        .contains("tau_request_latency_seconds_bucket{op=\"ping\",le=\"0.0025\"} 0")
        .contains("tau_request_latency_seconds_bucket{op=\"ping\",le=\"0.005\"} 1");

    tally.flush(); // nothing new: nothing added twice
    assertThat(scrape(metrics)).contains("tau_requests_total{op=\"append\"} 2.0");
  }

  private static String scrape(TauMetrics metrics) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
    return out.toString(StandardCharsets.UTF_8);
  }
}
