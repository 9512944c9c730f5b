package io.tokenworks.cli.tau;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tokenworks bench tau}: end-to-end load against a running Tau server. */
@Command(
    name = "tau",
    mixinStandardHelpOptions = true,
    description =
        "Load a running Tau server with pipelined APPEND or APPEND_BATCH and report throughput and latency.")
public final class TauBenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Server host (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "7701",
      description = "Server port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--certificate",
      defaultValue = TauReplCommand.DEVELOPMENT_CERTIFICATE,
      description =
          "The server's 32-byte certificate as 64 hex digits (default: the development one).")
  String certificate;

  @Option(
      names = "--connections",
      defaultValue = "4",
      description = "Connections (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--depth",
      defaultValue = "128",
      description = "Requests in flight per connection (default: ${DEFAULT-VALUE}).")
  int depth;

  @Option(
      names = "--batch",
      defaultValue = "1",
      description =
          "Points per request: 1 sends APPEND, more sends APPEND_BATCH (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--duration",
      defaultValue = "10",
      description = "Measured seconds (default: ${DEFAULT-VALUE}).")
  int durationSeconds;

  @Option(
      names = "--warmup",
      defaultValue = "3",
      description = "Warm-up seconds, not measured (default: ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description =
          "Target requests/s over all connections; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
  long rate;

  @Override
  public Integer call() throws InterruptedException {
    TauLoadGenerator.Settings settings =
        new TauLoadGenerator.Settings(
            host,
            port,
            TauReplCommand.parseCertificate(certificate),
            connections,
            depth,
            batch,
            Duration.ofSeconds(durationSeconds),
            Duration.ofSeconds(warmupSeconds),
            rate);
    spec.commandLine()
        .getOut()
        .printf(
            "tau bench: %s:%d connections=%d depth=%d batch=%d duration=%ds warmup=%ds rate=%s%n",
            host,
            port,
            connections,
            depth,
            batch,
            durationSeconds,
            warmupSeconds,
            rate == 0 ? "max" : rate + "/s");
    TauLoadGenerator.Result result = new TauLoadGenerator(settings).run();
    spec.commandLine().getOut().println(result.describe());
    return result.errors() == 0 ? 0 : 1;
  }
}
