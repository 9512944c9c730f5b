package io.tokenworks.cli.tau;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.protocol.tau.TauClientException;
import io.tokenworks.tau.FsyncPolicy;
import io.tokenworks.tau.server.TauServer;
import io.tokenworks.tau.server.TauServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Tau load generator against a real server on an ephemeral port. */
class TauLoadGeneratorTest {

  private static TauServer startServer(Path dataDir) {
    return TauServer.start(
        TauServerConfig.builder()
            .port(0)
            .metricsPort(0)
            .dataDirectory(dataDir)
            .fsyncPolicy(FsyncPolicy.NONE)
            .build());
  }

  private static TauLoadGenerator.Result run(Path dataDir, long rate, int batch) throws Exception {
    try (TauServer server = startServer(dataDir)) {
      return new TauLoadGenerator(
              new TauLoadGenerator.Settings(
                  "127.0.0.1",
                  server.port(),
                  TauServerConfig.DEFAULT_CERTIFICATE,
                  1,
                  16,
                  batch,
                  Duration.ofMillis(700),
                  Duration.ofMillis(200),
                  rate))
          .run();
    }
  }

  @Test
  void aPacedRunReportsLatencyAndHowLateTheGeneratorItselfWas(@TempDir Path dataDir)
      throws Exception {
    TauLoadGenerator.Result result = run(dataDir, 2_000, 1);

    assertThat(result.errors()).isZero();
    assertThat(result.requests()).isBetween(500L, 2_000L);
    assertThat(result.latencyNanos().getTotalCount()).isEqualTo(result.requests());
    assertThat(result.senderLagNanos().getTotalCount()).isPositive();
    assertThat(result.describe())
        .contains("requests/s", "latency µs p50", "generator lag µs p50", "p999");
  }

  @Test
  void anUnpacedRunHasNoScheduleToBeLateFor(@TempDir Path dataDir) throws Exception {
    TauLoadGenerator.Result result = run(dataDir, 0, 10);

    assertThat(result.errors()).isZero();
    assertThat(result.points()).isEqualTo(result.requests() * 10).isPositive();
    assertThat(result.senderLagNanos().getTotalCount()).isZero();
    assertThat(result.describe()).doesNotContain("generator lag");
  }

  @Test
  void aServerThatGoesAwayMidRunEndsTheRunWithAClearError(@TempDir Path dataDir) throws Exception {
    TauServer server = startServer(dataDir);
    TauLoadGenerator generator =
        new TauLoadGenerator(
            new TauLoadGenerator.Settings(
                "127.0.0.1",
                server.port(),
                TauServerConfig.DEFAULT_CERTIFICATE,
                2,
                64,
                1,
                Duration.ofSeconds(60),
                Duration.ZERO,
                5_000));
    CompletableFuture<TauLoadGenerator.Result> run = CompletableFuture.supplyAsync(generator::run);
    Thread.sleep(300);
    server.close();

    assertThatThrownBy(() -> run.get(20, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TauClientException.class)
        .cause()
        .hasMessageMatching("(server closed the connection|read failed|write failed).*");
  }

  @Test
  void aBatchLargerThanOneFrameIsRefusedBeforeConnecting() {
    assertThatThrownBy(
            () ->
                new TauLoadGenerator(
                    new TauLoadGenerator.Settings(
                        "127.0.0.1",
                        1,
                        TauServerConfig.DEFAULT_CERTIFICATE,
                        1,
                        1,
                        300_000,
                        Duration.ofSeconds(1),
                        Duration.ZERO,
                        0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds the protocol's");
  }
}
