package io.tokenworks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.latzero.server.LatZeroServer;
import io.tokenworks.latzero.server.LatZeroServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code tokenworks bench latzero}: bad options, an unreachable server, and real runs with echo
 * handler JVMs against a server in this JVM.
 */
class LatZeroBenchCommandTest {

  private static final Pattern CALLS =
      Pattern.compile("calls ([\\d,]+) +rejected ([\\d,]+) +errors ([\\d,]+)");

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return TokenworksCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
        .execute(args);
  }

  private LatZeroServer server(Consumer<LatZeroServerConfig.Builder> settings) {
    LatZeroServerConfig.Builder builder =
        LatZeroServerConfig.builder()
            .port(0)
            .metricsPort(0)
            .dataDirectory(dir.resolve("data"))
            .memoryDirectory(dir.resolve("memory"))
            .ioThreads(2);
    settings.accept(builder);
    return LatZeroServer.start(builder.build());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--duration 0                   | --duration=0 must be at least 1",
        "--warmup -1                    | --warmup=-1 must be at least 0",
        "--port 70000                   | --port=70000 must be in [1, 65535]",
        "--outstanding 0                | --outstanding=0 must be at least 1",
        "--connections 0                | --connections=0 must be at least 1",
        "--connections 4 --outstanding 2 | --outstanding=2 must be at least --connections=4",
        "--handlers 0                   | --handlers=0 must be at least 1",
        "--handlers 65                  | --handlers=65 must be at most 64",
        "--payload-bytes -1             | --payload-bytes=-1 must be at least 0",
        "--payload-bytes 1048577        | --payload-bytes=1048577 must be at most 1048576",
        "--pool a/b                     | --pool=a/b is not a pool name",
        "--handler-start-timeout 0      | --handler-start-timeout=0 must be at least 1",
      })
  void badOptionGivesOneClearLineAndExitCodeTwo(String options, String message) {
    assertThat(run(("bench latzero " + options.trim()).split("\\s+"))).isEqualTo(2);
    String[] lines = err.toString().split("\\R");
    assertThat(lines[0]).startsWith("tokenworks: ").contains(message);
    assertThat(lines).hasSize(2);
    assertThat(err.toString()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void anUnreachableServerIsOneLineAndExitCodeOne() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    assertThat(run("bench", "latzero", "--port", String.valueOf(port), "--duration", "1"))
        .isEqualTo(1);
    assertThat(err.toString().trim())
        .startsWith("latzero bench: cannot connect to 127.0.0.1:" + port)
        .doesNotContain("\n");
  }

  @Test
  void callsGoThroughTheServerToAHandlerProcessWithoutErrors() {
    try (LatZeroServer server = server(settings -> {})) {
      int code =
          run(
              "bench",
              "latzero",
              "--port",
              String.valueOf(server.port()),
              "--duration",
              "1",
              "--warmup",
              "0",
              "--outstanding",
              "16",
              "--connections",
              "2");
      assertThat(code).as("%s%s", out, err).isZero();
      Matcher calls = figures();
      assertThat(number(calls.group(1))).isPositive();
      assertThat(number(calls.group(2))).isZero();
      assertThat(number(calls.group(3))).isZero();
      assertThat(out.toString())
          .startsWith(
              "latzero bench: 127.0.0.1:"
                  + server.port()
                  + " pool=bench connections=2 outstanding=16 handlers=1");
      assertThat(server.fabric().status().callsSucceeded())
          .isGreaterThanOrEqualTo(number(calls.group(1)));
    }
  }

  @Test
  void overloadIsCountedAsRejectionsNotErrors() {
    try (LatZeroServer server = server(settings -> settings.maxOutstandingCalls(2))) {
      int code =
          run(
              "bench",
              "latzero",
              "--port",
              String.valueOf(server.port()),
              "--duration",
              "1",
              "--warmup",
              "0",
              "--outstanding",
              "8");
      assertThat(code).as("%s%s", out, err).isZero();
      Matcher calls = figures();
      assertThat(number(calls.group(1))).isPositive();
      assertThat(number(calls.group(2))).isPositive();
      assertThat(number(calls.group(3))).isZero();
    }
  }

  @Test
  void aHandlerThatCannotConnectEndsTheRunWithItsReason() {
    // One connection: the caller's. The handler is refused and exits.
    try (LatZeroServer server = server(settings -> settings.maxConnections(1))) {
      int code =
          run(
              "bench",
              "latzero",
              "--port",
              String.valueOf(server.port()),
              "--duration",
              "1",
              "--warmup",
              "0");
      assertThat(code).isEqualTo(1);
      assertThat(err.toString().trim())
          .startsWith("latzero bench: handler bench-echo-")
          .contains("exited with code 1: bench handler")
          .doesNotContain("\n");
    }
  }

  private Matcher figures() {
    Matcher matcher = CALLS.matcher(out.toString());
    assertThat(matcher.find()).as("no figures in:%n%s%s", out, err).isTrue();
    return matcher;
  }

  private static long number(String figure) {
    return Long.parseLong(figure.replace(",", ""));
  }
}
