package io.tokenworks.cli.latzero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.protocol.latzero.client.LatZeroClientException;
import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** How the bench, status and stop commands put their figures and failures into words. */
class LatZeroReportTest {

  @Test
  void benchReportListsErrorsByCodeApartFromRejections() {
    Histogram latency = new Histogram(3);
    latency.recordValue(500_000);
    latency.recordValue(2_000_000);
    LatZeroLoadGenerator.Result result =
        new LatZeroLoadGenerator.Result(
            1_000, 7, Map.of("HANDLER_GONE", 2L, "TIMEOUT", 3L), 2.0, latency);

    assertThat(result.errorCount()).isEqualTo(5);
    assertThat(result.callsPerSecond()).isEqualTo(500.0);
    assertThat(result.describe())
        .startsWith("calls/s 500   calls 1,000   rejected 7   errors 5   latency µs p50 500.")
        .contains("max 2000.")
        .endsWith("errors by code: HANDLER_GONE 2 TIMEOUT 3");
  }

  @Test
  void benchReportWithoutErrorsIsOneLine() {
    LatZeroLoadGenerator.Result result =
        new LatZeroLoadGenerator.Result(10, 0, Map.of(), 1.0, new Histogram(3));

    assertThat(result.describe()).doesNotContain("\n").contains("errors 0");
  }

  @Test
  void generatorRefusesFewerOutstandingCallsThanConnections() {
    LatZeroLoadGenerator.Settings settings =
        new LatZeroLoadGenerator.Settings(
            "127.0.0.1",
            45227,
            "bench",
            4,
            2,
            1,
            64,
            Duration.ofSeconds(1),
            Duration.ZERO,
            Duration.ofSeconds(1));

    assertThatThrownBy(() -> new LatZeroLoadGenerator(settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outstanding >= connections");
  }

  @Test
  void aRefusedTokenSaysWhichServerRefusedItAndWhy() {
    LatZeroClientException refused = new LatZeroClientException("ACCESS_DENIED", "token refused");

    assertThat(
            LocalServerCommand.failure(
                    new ServerState.Running(42, "192.0.2.7", 45227, false, 0), refused)
                .getMessage())
        .contains("(pid 42 at 192.0.2.7:45227)", "refused the admin token: token refused")
        .contains("must come from this host");
  }

  @Test
  void uptimeIsShownFromItsLargestUnit() {
    assertThat(LatZeroStatusCommand.uptime(1_234)).isEqualTo("1.234s");
    assertThat(LatZeroStatusCommand.uptime(Duration.ofSeconds(65).toMillis())).isEqualTo("1m 05s");
    assertThat(LatZeroStatusCommand.uptime(Duration.ofMinutes(121).toMillis()))
        .isEqualTo("2h 01m 00s");
    assertThat(LatZeroStatusCommand.uptime(Duration.ofHours(49).plusSeconds(3).toMillis()))
        .isEqualTo("2d 01h 00m 03s");
  }
}
