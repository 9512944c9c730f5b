package io.tokenworks.cli;

import io.tokenworks.tau.server.TauServerCommand;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tokenworks up}: the main job. Starts every engine server built so far on its embedded
 * defaults (today: Tau on 127.0.0.1:7701, metrics on 7702, data in {@code ./tau-data}) and runs
 * until stopped (Ctrl-C). Environment variables and a config file apply as for each server's own
 * command.
 */
@Command(
    name = "up",
    description =
        "Start every engine server built so far, on embedded defaults, and run until stopped.")
final class UpCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  private final Map<String, String> environment;
  private volatile TauServerCommand tau;

  UpCommand() {
    this(System.getenv());
  }

  /** An {@code up} whose servers read {@code environment} instead of the process' (for tests). */
  UpCommand(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** Stops the servers {@link #call()} started and lets it return. */
  void stop() {
    TauServerCommand running = tau;
    if (running != null) {
      running.stop();
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.printf("tokenworks %s%n%n", Version.current());
    out.printf("%-12s %-40s %-24s %s%n", "engine", "re-implements", "default ports", "status");
    for (Engine engine : Engine.ALL) {
      out.printf(
          "%-12s %-40s %-24s %s%n",
          engine.name(), engine.reimplements(), engine.ports(), engine.status());
    }
    out.println();
    out.flush();
    tau = new TauServerCommand(environment);
    CommandLine tauCommand = new CommandLine(tau);
    tauCommand.setOut(out);
    tauCommand.setErr(spec.commandLine().getErr());
    return tauCommand.execute();
  }
}
