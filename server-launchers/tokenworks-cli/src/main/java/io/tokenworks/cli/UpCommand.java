package io.tokenworks.cli;

import io.tokenworks.latzero.server.LatZeroServerCommand;
import io.tokenworks.tau.server.TauServerCommand;
import io.tokenworks.tkn.server.TknServerCommand;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tokenworks up}: the main job. Starts every engine server built so far on its embedded
 * defaults, in this order: Tau on 127.0.0.1:7701 with data in {@code ./tau-data}; TKN on
 * 127.0.0.1:8080 with an embedded graph in {@code ./tkn-data}; LatZero on 127.0.0.1:45227 with data
 * in {@code ./latzero-data} and metrics on 45228. Runs until stopped (Ctrl-C), then stops them in
 * reverse order. Environment variables and config files apply as for each server's own command. If
 * one server cannot start, the ones already started are stopped and the exit code is that server's.
 * {@code tokenworks latzero stop} stops LatZero alone; the others keep running.
 */
@Command(
    name = "up",
    description =
        "Start every engine server built so far, on embedded defaults, and run until stopped.")
final class UpCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  private final Map<String, String> environment;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile TauServerCommand tau;
  private volatile TknServerCommand tkn;
  private volatile LatZeroServerCommand latzero;

  UpCommand() {
    this(System.getenv());
  }

  /** An {@code up} whose servers read {@code environment} instead of the process' (for tests). */
  UpCommand(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** Stops the servers {@link #call()} started and lets it return. */
  void stop() {
    LatZeroServerCommand runningLatZero = latzero;
    if (runningLatZero != null) {
      runningLatZero.stop();
    }
    TknServerCommand runningTkn = tkn;
    if (runningTkn != null) {
      runningTkn.stop();
    }
    TauServerCommand runningTau = tau;
    if (runningTau != null) {
      runningTau.stop();
    }
    stopped.countDown();
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    out.printf("tokenworks %s%n%n", Version.current());
    out.printf("%-12s %-40s %-24s %s%n", "engine", "re-implements", "default ports", "status");
    for (Engine engine : Engine.ALL) {
      out.printf(
          "%-12s %-40s %-24s %s%n",
          engine.name(), engine.reimplements(), engine.ports(), engine.status());
    }
    out.println();
    out.flush();

    TauServerCommand tauCommand = new TauServerCommand(environment);
    prepare(new CommandLine(tauCommand), out, err);
    int code = tauCommand.start();
    if (code != 0) {
      return code;
    }
    tau = tauCommand;
    TknServerCommand tknCommand = new TknServerCommand(environment);
    prepare(TknServerCommand.commandLine(tknCommand), out, err);
    code = tknCommand.start();
    if (code != 0) {
      stop();
      return code;
    }
    tkn = tknCommand;
    LatZeroServerCommand latzeroCommand = new LatZeroServerCommand(environment);
    prepare(new CommandLine(latzeroCommand), out, err);
    code = latzeroCommand.start();
    if (code != 0) {
      stop();
      return code;
    }
    latzero = latzeroCommand;
    Thread hook = new Thread(this::stop, "tokenworks-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    stopped.await();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook is running.
    }
    return 0;
  }

  private static void prepare(CommandLine commandLine, PrintWriter out, PrintWriter err) {
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.parseArgs();
  }
}
