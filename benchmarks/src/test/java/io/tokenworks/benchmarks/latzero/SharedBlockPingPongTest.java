package io.tokenworks.benchmarks.latzero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.benchmarks.latzero.PingPongException.Failure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ping-pong runs against a real echo JVM (and echoes that misbehave). Numbers are checked for
 * sanity only: a shared machine gives no timing guarantees.
 */
class SharedBlockPingPongTest {

  @TempDir Path directory;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @AfterEach
  void leavesNoEchoProcessAndNoBlockFiles() throws IOException {
    assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
    try (Stream<Path> files = Files.list(directory)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void timesEveryMeasuredRoundTripThroughAnEchoJvm() {
    PingPong.Result result =
        new PingPong(
                PingPongOptions.parse(
                    "--iterations",
                    "300",
                    "--warmup",
                    "100",
                    "--payload",
                    "4096",
                    "--dir",
                    directory.toString()))
            .run();

    Histogram oneWay = result.oneWayNanos();
    assertThat(result.roundTrips()).isEqualTo(300);
    assertThat(oneWay.getTotalCount()).isEqualTo(300);
    assertThat(oneWay.getMinValue()).isPositive();
    assertThat(oneWay.getValueAtPercentile(50))
        .isLessThanOrEqualTo(oneWay.getValueAtPercentile(99.9))
        .isLessThanOrEqualTo(oneWay.getMaxValue());
    assertThat(oneWay.getMaxValue()).isLessThan(PingPong.MAX_TRACKED_NANOS);
    // Every round trip is two one-way trips, so the run cannot be faster than its histogram says.
    assertThat(result.elapsedNanos()).isGreaterThanOrEqualTo(2 * oneWay.getMinValue() * 300);
    assertThat(result.roundTripsPerSecond()).isPositive();
  }

  @Test
  void commandLinePrintsPercentilesAndRoundTripsPerSecond() {
    int exitCode = run("--iterations", "200", "--warmup", "50", "--dir", directory.toString());

    assertThat(exitCode).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("200 round trips after 50 warm-up")
        .containsPattern("payload 64 B   round trips/s [0-9,]+   one-way write-to-visible µs")
        .containsPattern("p50 [0-9.]+  p99 [0-9.]+  p999 [0-9.]+  max [0-9.]+");
  }

  @Test
  void commandLineExplainsABadOptionWithTheUsageExitCode() {
    int exitCode = run("--payload", "4");

    assertThat(exitCode).isEqualTo(Failure.USAGE.exitCode());
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("ping-pong: --payload=4 must be at least 8")
        .contains("usage: SharedBlockPingPong");
  }

  @Test
  void commandLinePrintsUsageOnHelp() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: SharedBlockPingPong");
  }

  @Test
  void killsAnEchoThatNeverAnswers() {
    PingPong pingPong = withEcho(SilentEcho.class.getName(), "--timeout", "1");

    assertThatThrownBy(pingPong::run)
        .isInstanceOfSatisfying(
            PingPongException.class, e -> assertThat(e.failure()).isEqualTo(Failure.TIMEOUT))
        .hasMessage("the echo process did not start within 1 s");
  }

  @Test
  void reportsAnEchoThatExitsBeforeItIsReady() {
    PingPong pingPong = withEcho("io.tokenworks.benchmarks.latzero.NoSuchEcho");

    assertThatThrownBy(pingPong::run)
        .isInstanceOfSatisfying(
            PingPongException.class, e -> assertThat(e.failure()).isEqualTo(Failure.PEER_GONE))
        .hasMessage("the echo process stopped before it was ready (exit code 1)");
  }

  @Test
  void rejectsAnEchoThatAnswersWithAnotherSequence() {
    PingPong pingPong = withEcho(WrongEcho.class.getName());

    assertThatThrownBy(pingPong::run)
        .isInstanceOfSatisfying(
            PingPongException.class, e -> assertThat(e.failure()).isEqualTo(Failure.WRONG_ECHO))
        .hasMessage("sent sequence 1, echo returned " + WrongEcho.ANSWER);
  }

  @Test
  void reportsAJavaLauncherThatCannotBeStarted() {
    PingPong pingPong =
        new PingPong(
            options(),
            directory.resolve("no-such-jdk").resolve("java"),
            SharedBlockEcho.class.getName());

    assertThatThrownBy(pingPong::run)
        .isInstanceOfSatisfying(
            PingPongException.class, e -> assertThat(e.failure()).isEqualTo(Failure.SPAWN_FAILED))
        .hasMessageContaining("cannot start the echo JVM");
  }

  private PingPong withEcho(String echoMainClass, String... extraArgs) {
    return new PingPong(options(extraArgs), SharedBlockEchoTest.javaLauncher(), echoMainClass);
  }

  private PingPongOptions options(String... extraArgs) {
    String[] args =
        Stream.concat(
                Stream.of("--iterations", "10", "--warmup", "0", "--dir", directory.toString()),
                Stream.of(extraArgs))
            .toArray(String[]::new);
    return PingPongOptions.parse(args);
  }

  private int run(String... args) {
    return SharedBlockPingPong.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }
}
