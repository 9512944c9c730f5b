package io.tokenworks.benchmarks.latzero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.benchmarks.latzero.PingPongException.Failure;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PingPongOptionsTest {

  @Test
  void readsBothOptionFormsOverTheDefaults() {
    PingPongOptions options =
        PingPongOptions.parse(
            "--iterations",
            "500",
            "--warmup=0",
            "--payload",
            "4096",
            "--dir",
            "/tmp/x",
            "--timeout=7",
            "--echo-jvm-arg",
            "-Xint",
            "--echo-jvm-arg=-Xmx64m");

    assertThat(options.iterations()).isEqualTo(500);
    assertThat(options.warmupIterations()).isZero();
    assertThat(options.payloadBytes()).isEqualTo(4096);
    assertThat(options.baseDirectory()).isEqualTo(Path.of("/tmp/x"));
    assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(options.echoJvmArgs()).containsExactly("-Xint", "-Xmx64m");
  }

  @Test
  void defaultsToOneHundredThousandSixtyFourByteRoundTrips() {
    PingPongOptions options = PingPongOptions.parse();

    assertThat(options.iterations()).isEqualTo(100_000);
    assertThat(options.warmupIterations()).isEqualTo(20_000);
    assertThat(options.payloadBytes()).isEqualTo(64);
    assertThat(options.baseDirectory()).isEqualTo(BlockDirectories.defaultBase());
  }

  @Test
  void rejectsAPayloadTooSmallForTheSequenceNumber() {
    assertUsageError("--payload=7 must be at least 8", "--payload", "7");
  }

  @Test
  void rejectsAPayloadAboveTheLimit() {
    assertUsageError("--payload=67108865 must be at most 67108864", "--payload", "67108865");
  }

  @Test
  void rejectsZeroIterationsAndNegativeWarmup() {
    assertUsageError("--iterations=0 must be at least 1", "--iterations", "0");
    assertUsageError("--warmup=-1 must be at least 0", "--warmup", "-1");
  }

  @Test
  void rejectsAZeroTimeout() {
    assertUsageError("--timeout=0 must be at least 1 second", "--timeout", "0");
  }

  @Test
  void rejectsUnknownOptionsMissingValuesAndNonNumbers() {
    assertUsageError("unknown option --rate", "--rate", "5");
    assertUsageError("--payload needs a value", "--payload");
    assertUsageError("--iterations=lots is not a whole number", "--iterations=lots");
  }

  private static void assertUsageError(String message, String... args) {
    assertThatThrownBy(() -> PingPongOptions.parse(args))
        .isInstanceOfSatisfying(
            PingPongException.class, e -> assertThat(e.failure()).isEqualTo(Failure.USAGE))
        .hasMessage(message);
  }
}
