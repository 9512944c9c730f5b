package io.tokenworks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tokenworks bench tau}: bad options and an unreachable server are one line, no trace. */
class TauBenchCommandTest {

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
        "--duration 0       | --duration=0 must be at least 1",
        "--warmup -1        | --warmup=-1 must be at least 0",
        "--connections 0    | --connections=0 must be at least 1",
        "--depth 0          | --depth=0 must be at least 1",
        "--batch 0          | --batch=0 must be at least 1",
        "--rate -5          | --rate=-5 must be at least 0",
        "--port 0           | --port=0 must be in [1, 65535]",
        "--certificate abc  | --certificate must be 64 hex digits",
        "--batch 300000     | a batch of 300000 points exceeds the protocol's",
      })
  void badOptionGivesOneClearLineAndExitCodeTwo(String options, String message) {
    assertThat(run(("bench tau " + options.trim()).split("\\s+"))).isEqualTo(2);
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
    assertThat(run("bench", "tau", "--port", String.valueOf(port), "--duration", "1")).isEqualTo(1);
    assertThat(err.toString().trim())
        .startsWith("tau bench: cannot connect")
        .doesNotContain("\tat ");
  }
}
