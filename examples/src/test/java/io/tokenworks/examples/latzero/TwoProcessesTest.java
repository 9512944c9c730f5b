package io.tokenworks.examples.latzero;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.latzero.server.LatZeroServer;
import io.tokenworks.latzero.server.LatZeroServerConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example as its Javadoc says to run it: a real server, the counter app in a process of its
 * own, the caller here. RPC crosses the two processes and the caller reads the block the counter
 * wrote.
 */
class TwoProcessesTest {

  @Test
  void twoProcessesExchangeCallsAndShareABlock(@TempDir Path dir) throws Exception {
    try (LatZeroServer server =
        LatZeroServer.start(
            LatZeroServerConfig.builder()
                .port(0)
                .metricsPort(0)
                .dataDirectory(dir.resolve("data"))
                .memoryDirectory(dir.resolve("memory"))
                .build())) {
      String address = "127.0.0.1:" + server.port();
      Process counter =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "--add-exports",
                      "java.base/jdk.internal.misc=ALL-UNNAMED",
                      "-cp",
                      System.getProperty("java.class.path"),
                      TwoProcesses.class.getName(),
                      "counter",
                      address))
              .redirectErrorStream(true)
              .start();
      try {
        BufferedReader lines =
            new BufferedReader(
                new InputStreamReader(counter.getInputStream(), StandardCharsets.UTF_8));
        String line;
        do {
          line = lines.readLine();
        } while (line != null && !line.equals("counter ready"));
        assertThat(line).as("the counter process started").isEqualTo("counter ready");

        String output = TwoProcesses.caller(address, 3);

        assertThat(output)
            .isEqualTo(
                "add 1 -> 1\n"
                    + "add 2 -> 3\n"
                    + "add 3 -> 6\n"
                    + "block demo:total holds 6 (version 3)\n");
      } finally {
        counter.destroy();
        counter.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
