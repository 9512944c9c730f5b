package io.tokenworks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tokenworks.latzero.server.LatZeroServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code latzero start} in its own JVM, as the script runs it; {@code status} and {@code stop} from
 * here.
 */
class LatZeroProcessTest {

  @TempDir Path dir;

  @Test
  void statusAndStopWorkOnAServerInAnotherProcess() throws Exception {
    Path data = dir.resolve("data");
    Path log = dir.resolve("server.log");
    Process server =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-exports",
                    "java.base/jdk.internal.misc=ALL-UNNAMED",
                    "-Xmx256m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    TokenworksCommand.class.getName(),
                    "latzero",
                    "start",
                    "--port",
                    "0",
                    "--metrics-port",
                    "0",
                    "--data-dir",
                    data.toString(),
                    "--memory-dir",
                    dir.resolve("memory").toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> !server.isAlive() || Files.exists(data.resolve(LatZeroServer.ENDPOINT_FILE)));
      assertThat(server.isAlive()).as("server exited; it printed:%n%s", read(log)).isTrue();

      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandRunner cli = new CommandRunner(out, err);
      assertThat(cli.run("latzero", "status", "--data-dir", data.toString()))
          .as("%s%s", out, err)
          .isZero();
      assertThat(out.toString())
          .startsWith("latzero: running, pid " + server.pid() + ", 127.0.0.1:");

      assertThat(cli.run("latzero", "stop", "--data-dir", data.toString()))
          .as("%s%s", out, err)
          .isZero();
      assertThat(out.toString()).contains("latzero: stopped (pid " + server.pid() + " has exited)");
      assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(server.exitValue()).as(read(log)).isZero();
      assertThat(data.resolve(LatZeroServer.PID_FILE)).doesNotExist();
      assertThat(err.toString()).isEmpty();
    } finally {
      server.destroyForcibly();
    }
  }

  private static String read(Path log) throws Exception {
    return Files.exists(log) ? Files.readString(log) : "(nothing)";
  }

  /** The launcher's command line writing to strings. */
  private record CommandRunner(StringWriter out, StringWriter err) {
    int run(String... args) {
      return TokenworksCommand.commandLine(
              new PrintWriter(out, true), new PrintWriter(err, true), Map.of())
          .execute(args);
    }
  }
}
