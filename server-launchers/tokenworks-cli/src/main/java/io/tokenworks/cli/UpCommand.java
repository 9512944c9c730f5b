package io.tokenworks.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tokenworks up}: the main job. It starts every engine server built so far on its embedded
 * defaults. No engine server has landed yet, so it reports the suite's state and exits
 * successfully.
 */
@Command(
    name = "up",
    description =
        "Start every engine server built so far, on embedded defaults, and run until stopped.")
final class UpCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

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
    out.printf("%nNo engine server is built yet, so there is nothing to start.%n");
    return 0;
  }
}
