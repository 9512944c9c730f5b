package io.tokenworks.tkn.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.server.kit.ServerCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TknServerCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int start(Map<String, String> environment, String... args) {
    TknServerCommand command = new TknServerCommand(environment);
    CommandLine line = TknServerCommand.commandLine(command);
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    line.parseArgs(args);
    int code = command.start();
    command.stop();
    return code;
  }

  @Test
  void upstreamEnvironmentNamesApplyAndOptionsWin(@TempDir Path data) {
    int code =
        start(
            Map.of("TKN_PORT", "1", "METRICS_PORT", "0", "TKN_DATA_DIR", data.toString()),
            "--port",
            "0",
            "--graph",
            "none");
    assertThat(code).isZero();
    assertThat(out.toString())
        .contains("port            = 0 (command line --port)")
        .contains("metrics-port    = 0 (environment METRICS_PORT)")
        .contains("graph           = none (command line --graph)")
        .contains("tkn: listening on");
  }

  @Test
  void aBadValueIsOneLineAndExitCodeTwo() {
    assertThat(start(Map.of("TKN_PORT", "eighty"))).isEqualTo(ServerCommand.EXIT_CONFIG);
    assertThat(err.toString().trim())
        .isEqualTo("tkn: invalid port=\"eighty\" from environment TKN_PORT: not an integer");
  }

  @Test
  void boltWithoutAUriIsAConfigurationError() {
    assertThat(start(Map.of(), "--graph", "bolt")).isEqualTo(ServerCommand.EXIT_CONFIG);
    assertThat(err.toString()).contains("graph=bolt needs graph-uri").contains("MEMGRAPH_URI");
  }

  @Test
  void anUnreachableGraphAtStartIsNotFatalButUnhealthy(@TempDir Path data) throws Exception {
    TknServer server =
        Servers.start(data, Map.of("graph", "bolt", "graph-uri", "bolt://127.0.0.1:9"));
    try {
      assertThat(Servers.get(server, "/health").statusCode()).isEqualTo(503);
      assertThat(Servers.get(server, "/health").body()).contains("graph not reachable");
    } finally {
      server.close();
    }
  }

  @Test
  void aPortInUseIsExitCodeOne(@TempDir Path data) throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      int code =
          start(
              Map.of("METRICS_PORT", "0", "TKN_DATA_DIR", data.toString()),
              "--port",
              String.valueOf(taken.getLocalPort()),
              "--graph",
              "none");
      assertThat(code).isEqualTo(ServerCommand.EXIT_START);
      assertThat(err.toString()).startsWith("tkn: ").contains(String.valueOf(taken.getLocalPort()));
    }
  }
}
