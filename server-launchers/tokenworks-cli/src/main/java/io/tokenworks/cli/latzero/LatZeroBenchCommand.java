package io.tokenworks.cli.latzero;

import io.tokenworks.cli.BenchWindow;
import io.tokenworks.latzero.Names;
import io.tokenworks.protocol.latzero.client.LatZeroClientException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tokenworks bench latzero}: RPC load through a running LatZero server, with caller, echo
 * handler(s) and server as separate processes and a fixed number of calls outstanding (upstream's
 * report used 64). Exit 0 when every measured call succeeded or was explicitly rejected, 1 when
 * calls failed or the run could not start (server unreachable, handler not starting), 2 for a bad
 * option.
 */
@Command(
    name = "latzero",
    description = {
      "Load a running LatZero server with trigger calls to echo handlers in their own processes,"
          + " and report calls/s, latency (send to result) and failures by code.",
      "Exit 0 no errors (rejections are reported apart), 1 errors or the run failed, 2 bad"
          + " options."
    })
public final class LatZeroBenchCommand implements Callable<Integer> {

  /** Exit code when the run failed or calls failed. */
  public static final int EXIT_FAILED = 1;

  /** The largest payload: a call's echo frame must stay well within the 16 MiB frame limit. */
  static final int MAX_PAYLOAD_BYTES = 1 << 20;

  /** More handler JVMs than this would measure the machine's memory, not the fabric. */
  static final int MAX_HANDLERS = 64;

  @Spec CommandSpec spec;

  // Help only: the version is the launcher's (tokenworks --version).
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Server host (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "45227",
      description = "Server port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--outstanding",
      defaultValue = "64",
      description = "Calls in flight over all caller connections (default: ${DEFAULT-VALUE}).")
  int outstanding;

  @Option(
      names = "--connections",
      defaultValue = "1",
      description =
          "Caller connections, sharing the outstanding calls (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--handlers",
      defaultValue = "1",
      description =
          "Echo handler processes; calls go round-robin among them (default: ${DEFAULT-VALUE}).")
  int handlers;

  @Option(
      names = "--payload-bytes",
      defaultValue = "64",
      description =
          "Characters of the JSON string each call sends and gets back (default: ${DEFAULT-VALUE}).")
  int payloadBytes;

  @Option(
      names = "--pool",
      defaultValue = "bench",
      description =
          "Pool of callers and handlers; created at the handshake when the server auto-creates"
              + " pools (default: ${DEFAULT-VALUE}).")
  String pool;

  @Option(
      names = "--handler-start-timeout",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description =
          "How long the handler JVMs get to start and register (default: ${DEFAULT-VALUE}).")
  int handlerStartSeconds;

  @Mixin BenchWindow window;

  @Override
  public Integer call() throws InterruptedException {
    LatZeroLoadGenerator.Settings settings = settings();
    spec.commandLine()
        .getOut()
        .printf(
            "latzero bench: %s:%d pool=%s connections=%d outstanding=%d handlers=%d"
                + " payload-bytes=%d duration=%ds warmup=%ds%n",
            host,
            port,
            pool,
            connections,
            outstanding,
            handlers,
            payloadBytes,
            window.durationSeconds(),
            window.warmupSeconds());
    spec.commandLine().getOut().flush();
    LatZeroLoadGenerator.Result result;
    try {
      result = new LatZeroLoadGenerator(settings).run();
    } catch (LatZeroClientException
        | LatZeroLoadGenerator.HandlerException
        | UncheckedIOException e) {
      spec.commandLine().getErr().println("latzero bench: " + e.getMessage());
      return EXIT_FAILED;
    }
    spec.commandLine().getOut().println(result.describe());
    return result.errorCount() == 0 ? 0 : EXIT_FAILED;
  }

  private LatZeroLoadGenerator.Settings settings() {
    window.check();
    window.requirePort(port);
    window.requireAtLeast("--connections", connections, 1);
    window.requireAtLeast("--outstanding", outstanding, 1);
    if (outstanding < connections) {
      throw window.usage(
          "--outstanding="
              + outstanding
              + " must be at least --connections="
              + connections
              + " (each connection keeps a call in flight)");
    }
    window.requireAtLeast("--handlers", handlers, 1);
    if (handlers > MAX_HANDLERS) {
      throw window.usage("--handlers=" + handlers + " must be at most " + MAX_HANDLERS);
    }
    window.requireAtLeast("--payload-bytes", payloadBytes, 0);
    if (payloadBytes > MAX_PAYLOAD_BYTES) {
      throw window.usage(
          "--payload-bytes=" + payloadBytes + " must be at most " + MAX_PAYLOAD_BYTES);
    }
    window.requireAtLeast("--handler-start-timeout", handlerStartSeconds, 1);
    if (!Names.isValidPoolName(pool)) {
      throw window.usage("--pool=" + pool + " is not a pool name (1-64 of A-Z a-z 0-9 . _ -)");
    }
    return new LatZeroLoadGenerator.Settings(
        host,
        port,
        pool,
        connections,
        outstanding,
        handlers,
        payloadBytes,
        window.duration(),
        window.warmup(),
        Duration.ofSeconds(handlerStartSeconds));
  }
}
