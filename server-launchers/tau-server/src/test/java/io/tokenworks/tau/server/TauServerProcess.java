package io.tokenworks.tau.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A Tau server in its own JVM, started through the same command line as {@code tokenworks tau}, so
 * a test can {@code kill -9} it ({@link Process#destroyForcibly()} sends SIGKILL on Linux).
 */
final class TauServerProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening on .*:(\\d+),");

  private final Process process;
  private final int port;

  private TauServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Entry point of the child JVM. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new TauServerCommand()).execute(args));
  }

  static TauServerProcess start(Path dataDirectory) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--add-exports");
    command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(TauServerProcess.class.getName());
    command.addAll(
        List.of(
            "--port",
            "0",
            "--metrics-port",
            "0",
            "--data-dir",
            dataDirectory.toString(),
            "--fsync",
            "always"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader output =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String line;
    while (System.nanoTime() < deadline && (line = output.readLine()) != null) {
      seen.append(line).append('\n');
      Matcher matcher = LISTENING.matcher(line);
      if (matcher.find()) {
        int port = Integer.parseInt(matcher.group(1));
        Thread drain = new Thread(() -> drain(output), "tau-child-output");
        drain.setDaemon(true);
        drain.start();
        return new TauServerProcess(process, port);
      }
    }
    process.destroyForcibly();
    throw new IOException("the Tau server process did not start; it printed:\n" + seen);
  }

  private static void drain(BufferedReader output) {
    try {
      while (output.readLine() != null) {
        // Keep the pipe empty so the child never blocks on a full stdout.
      }
    } catch (IOException e) {
      // The child is gone.
    }
  }

  int port() {
    return port;
  }

  /** SIGKILL: no shutdown hook, no final checkpoint, no flush. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill9();
      }
    }
  }
}
