package io.tokenworks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.tkn.server.TknServer;
import io.tokenworks.tkn.server.TknServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tokenworks bench tkn} through the launcher's command line, as a user runs it. */
class TknBenchCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return TokenworksCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
        .execute(args);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--batch 0                      | --batch=0 must be at least 1",
        "--connections 0                | --connections=0 must be at least 1",
        "--symbol-bytes 0               | --symbol-bytes=0 must be at least 1",
        "--duration 0                   | --duration=0 must be at least 1",
        "--warmup -1                    | --warmup=-1 must be at least 0",
        "--port 70000                   | --port=70000 must be in [1, 65535]",
        "--batch 3000000                | cannot fit in a frame of at most 16 MiB",
        "--mode turbo                   | 'turbo' is not a mode: use hello or compat",
        "--mode compat --flush          | --flush needs --mode hello",
        "--mode compat --tenant acme    | --tenant needs --mode hello",
        "--tenant a/b                   | --tenant:",
        "--text /no/such/corpus.txt     | --text: cannot read /no/such/corpus.txt (no such file)",
        "--batch ten                    | --batch",
      })
  void badOptionGivesOneClearLineAndExitCodeTwo(String options, String message) {
    String[] args = ("bench tkn " + options.trim()).split(" ");

    assertThat(run(args)).isEqualTo(2);
    String[] lines = err.toString().split("\\R");
    assertThat(lines[0]).startsWith("tokenworks: ").contains(message);
    assertThat(lines).hasSize(2);
    assertThat(lines[1]).contains("tokenworks bench tkn --help");
    assertThat(err.toString()).doesNotContain("Exception", "\tat ");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void emptyTextFileIsABadOption(@TempDir Path dir) throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.txt"));

    assertThat(run("bench", "tkn", "--text", empty.toString())).isEqualTo(2);
    assertThat(err.toString()).startsWith("tokenworks: --text: " + empty + " is empty");
  }

  @Test
  void unreachableServerIsOneLineAndExitCodeOne() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    assertThat(run("bench", "tkn", "--port", String.valueOf(port), "--duration", "1")).isEqualTo(1);
    assertThat(err.toString().trim())
        .startsWith("tkn bench: cannot connect to 127.0.0.1:" + port)
        .doesNotContain("\n");
  }

  @Test
  void runsAgainstARealServerAndReportsThroughputLatencyAndFlush(@TempDir Path dir)
      throws Exception {
    Path text = Files.writeString(dir.resolve("corpus.txt"), "the cat sat on the mat; ".repeat(50));
    try (TknServer server =
        TknServer.start(
            TknServerConfig.of(
                Map.of(
                    "port", 0, "metrics-port", 0, "graph", "none", "data-dir", dir.toString())))) {
      int exit =
          run(
              "bench",
              "tkn",
              "--port",
              String.valueOf(server.port()),
              "--duration",
              "1",
              "--warmup",
              "0",
              "--batch",
              "50",
              "--symbol-bytes",
              "3",
              "--text",
              text.toString(),
              "--tenant",
              "bench",
              "--flush");

      assertThat(exit).as(err.toString()).isZero();
    }
    assertThat(out.toString())
        .contains("mode=hello", "batch=50", "symbol-bytes=3")
        .contains("frames/s", "symbols/s", "MB/s", "errors 0", "failed connections 0")
        .contains("frame-ack latency µs p50", "p999", "last ACKs", "flush: drain");
  }

  @Test
  void benchHelpListsTkn() {
    assertThat(run("bench", "--help")).isZero();
    assertThat(out.toString()).contains("tau").contains("tkn");
  }
}
