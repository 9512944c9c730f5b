package io.tokenworks.tau.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.protocol.tau.TauClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The picocli command: settings precedence, printing, one-line errors and exit codes. */
class TauServerCommandTest {

  @TempDir Path directory;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private CommandLine commandLine(TauServerCommand command) {
    CommandLine commandLine = new CommandLine(command);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine;
  }

  @Test
  void runsUntilStoppedAndPrintsEverySettingWithItsOrigin() throws Exception {
    Path config = directory.resolve("tau.properties");
    Files.writeString(config, "max-connections=7\nidle-timeout=45s\n");
    TauServerCommand command =
        new TauServerCommand(Map.of("TAU_METRICS_PORT", "0", "TAU_IDLE_TIMEOUT", "10s"));
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                commandLine(command)
                    .execute(
                        "--port",
                        "0",
                        "--data-dir",
                        directory.resolve("data").toString(),
                        "--config",
                        config.toString()));
    TauTestServer.await(() -> command.server() != null || exit.isDone());
    assertThat(exit.isDone()).as("command exited early: %s", err).isFalse();
    try (TauClient client =
        TauClient.connect(
            "127.0.0.1", command.server().port(), TauServerConfig.DEFAULT_CERTIFICATE)) {
      client.ping();
    }
    command.stop();
    assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    assertThat(out.toString())
        .contains("port            = 0 (command line --port)")
        .contains("metrics-port    = 0 (environment TAU_METRICS_PORT)")
        .contains("idle-timeout    = 10s (environment TAU_IDLE_TIMEOUT)")
        .contains("max-connections = 7 (config file " + config + ")")
        .contains("bind            = 127.0.0.1 (default)")
        .contains("certificate     = <default development certificate 00..1f> (default)")
        .contains("fsync           = always (default)")
        .contains("fsync-interval  = 10ms (default)")
        .contains("tau: listening on");
  }

  @Test
  void aPublicBindWithTheDefaultCertificateExitsWithOneLine() {
    int code =
        commandLine(new TauServerCommand(Map.of()))
            .execute("--bind", "0.0.0.0", "--data-dir", directory.toString());
    assertThat(code).isEqualTo(TauServerCommand.EXIT_START);
    assertThat(err.toString().strip())
        .startsWith("tau: refusing to listen on 0.0.0.0 with the default development certificate")
        .doesNotContain("\n")
        .doesNotContain("Exception");
  }

  @Test
  void aBadValueExitsWithOneLineNamingItsOrigin() {
    int code = commandLine(new TauServerCommand(Map.of("TAU_PORT", "seventy"))).execute();
    assertThat(code).isEqualTo(TauServerCommand.EXIT_CONFIG);
    assertThat(err.toString().strip())
        .isEqualTo("tau: invalid port=\"seventy\" from environment TAU_PORT: not an integer");
  }

  @Test
  void aZeroFsyncIntervalExitsWithOneLine() {
    int code =
        commandLine(new TauServerCommand(Map.of()))
            .execute("--fsync", "batch", "--fsync-interval", "0ms");
    assertThat(code).isEqualTo(TauServerCommand.EXIT_CONFIG);
    assertThat(err.toString().strip())
        .startsWith("tau: ")
        .contains("fsync-interval")
        .contains("> 0");
  }

  @Test
  void aBadCertificateExitsWithOneLine() {
    int code = commandLine(new TauServerCommand(Map.of())).execute("--certificate", "abcd");
    assertThat(code).isEqualTo(TauServerCommand.EXIT_CONFIG);
    assertThat(err.toString().strip())
        .isEqualTo(
            "tau: invalid certificate=\"abcd\" from command line --certificate: must be 64 hex"
                + " characters (32 bytes), got 4 characters");
  }

  @Test
  void anUnknownConfigFileKeyExitsWithOneLine() throws Exception {
    Path config = directory.resolve("tau.properties");
    Files.writeString(config, "prot=7701\n");
    int code = commandLine(new TauServerCommand(Map.of("TAU_CONFIG", config.toString()))).execute();
    assertThat(code).isEqualTo(TauServerCommand.EXIT_CONFIG);
    assertThat(err.toString().strip())
        .startsWith("tau: config file " + config + ": unknown key prot (known keys: port, bind,")
        .doesNotContain("\n");
  }
}
