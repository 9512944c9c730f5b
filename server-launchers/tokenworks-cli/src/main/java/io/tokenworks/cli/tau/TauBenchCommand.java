package io.tokenworks.cli.tau;

import io.tokenworks.cli.BenchWindow;
import io.tokenworks.protocol.tau.TauClientException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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

  @Mixin BenchWindow window;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description =
          "Target requests/s over all connections; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
  long rate;

  @Override
  public Integer call() {
    window.check();
    window.requirePort(port);
    window.requireAtLeast("--connections", connections, 1);
    window.requireAtLeast("--depth", depth, 1);
    window.requireAtLeast("--batch", batch, 1);
    window.requireAtLeast("--rate", rate, 0);
    byte[] key;
    try {
      key = TauReplCommand.parseCertificate(certificate);
    } catch (ParameterException e) {
      throw window.usage(e.getMessage()); // reported against this command, not the REPL's
    }
    TauLoadGenerator generator;
    try {
      generator =
          new TauLoadGenerator(
              new TauLoadGenerator.Settings(
                  host,
                  port,
                  key,
                  connections,
                  depth,
                  batch,
                  window.duration(),
                  window.warmup(),
                  rate));
    } catch (IllegalArgumentException e) {
      throw window.usage(e.getMessage());
    }
    spec.commandLine()
        .getOut()
        .printf(
            "tau bench: %s:%d connections=%d depth=%d batch=%d duration=%ds warmup=%ds rate=%s%n",
            host,
            port,
            connections,
            depth,
            batch,
            window.durationSeconds(),
            window.warmupSeconds(),
            rate == 0 ? "max" : rate + "/s");
    TauLoadGenerator.Result result;
    try {
      result = generator.run();
    } catch (TauClientException e) {
      spec.commandLine().getErr().println("tau bench: " + e.getMessage());
      return 1;
    }
    spec.commandLine().getOut().println(result.describe());
    return result.errors() == 0 ? 0 : 1;
  }
}
