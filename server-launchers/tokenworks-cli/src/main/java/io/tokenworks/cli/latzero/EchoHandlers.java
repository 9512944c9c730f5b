package io.tokenworks.cli.latzero;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The echo handler processes of one bench run ({@link BenchEchoHandler}), each a JVM on this
 * launcher's class path and Java, with its output in a file of a temporary directory. {@link
 * #close()} ends them all (and a shutdown hook does on Ctrl-C); each also ends by itself when this
 * process is gone, as its standard input then closes.
 */
final class EchoHandlers implements AutoCloseable {

  /** One handler process and the file its output goes to. */
  record Handler(String appId, Process process, Path log) {

    /** The last line the handler printed, for a failure message. */
    String lastLine() {
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        for (int i = lines.size() - 1; i >= 0; i--) {
          if (!lines.get(i).isBlank()) {
            return lines.get(i).strip();
          }
        }
        return "(no output)";
      } catch (IOException e) {
        return "(output unreadable: " + e.getMessage() + ")";
      }
    }
  }

  private final List<Handler> handlers = new ArrayList<>();
  private final Path logs;
  private final Thread hook = new Thread(this::end, "latzero-bench-handlers");

  private EchoHandlers(Path logs) {
    this.logs = logs;
  }

  /**
   * Starts {@code appIds.size()} handlers of {@code trigger} in {@code pool} on {@code host:port}.
   *
   * @throws UncheckedIOException when a JVM cannot be started
   */
  static EchoHandlers start(
      String host, int port, String pool, String trigger, List<String> appIds) {
    Path logs;
    try {
      logs = Files.createTempDirectory("latzero-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for the handlers' output", e);
    }
    EchoHandlers started = new EchoHandlers(logs);
    Runtime.getRuntime().addShutdownHook(started.hook);
    try {
      for (String appId : appIds) {
        started.handlers.add(started.spawn(host, port, pool, trigger, appId));
      }
    } catch (IOException e) {
      started.close();
      throw new UncheckedIOException("cannot start a handler JVM: " + e.getMessage(), e);
    }
    return started;
  }

  private Handler spawn(String host, int port, String pool, String trigger, String appId)
      throws IOException {
    Path log = logs.resolve(appId + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Agrona (in the client's codec) reads through jdk.internal.misc, as in the launcher itself.
    command.add("--add-exports");
    command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
    // A small fixed heap, touched at start: a collection paying for fresh pages would show as a
    // latency spike of the fabric.
    command.add("-Xms256m");
    command.add("-Xmx256m");
    command.add("-XX:+AlwaysPreTouch");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(BenchEchoHandler.class.getName());
    command.addAll(List.of(host, Integer.toString(port), appId, pool, trigger));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new Handler(appId, process, log);
  }

  List<Handler> handlers() {
    return handlers;
  }

  /** The first handler that has exited, or null while all run. */
  Handler exited() {
    for (Handler handler : handlers) {
      if (!handler.process().isAlive()) {
        return handler;
      }
    }
    return null;
  }

  /** Ends every handler (closing its input first, then SIGTERM, then SIGKILL) and its files. */
  @Override
  public void close() {
    end();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook ends the handlers itself.
    }
  }

  private synchronized void end() {
    kill();
    for (Handler handler : handlers) {
      deleteQuietly(handler.log());
    }
    deleteQuietly(logs);
  }

  private void kill() {
    for (Handler handler : handlers) {
      try {
        handler.process().getOutputStream().close();
      } catch (IOException e) {
        // Already closed: the handler is ending anyway.
      }
    }
    for (Handler handler : handlers) {
      awaitOrDestroy(handler.process());
    }
  }

  private static void awaitOrDestroy(Process process) {
    try {
      if (process.waitFor(2, TimeUnit.SECONDS)) {
        return;
      }
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A temporary file left behind changes no result.
    }
  }
}
