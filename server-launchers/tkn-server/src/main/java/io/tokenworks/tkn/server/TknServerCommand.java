package io.tokenworks.tkn.server;

import io.tokenworks.server.kit.Config;
import io.tokenworks.server.kit.ConfigException;
import io.tokenworks.server.kit.ConfigKey;
import io.tokenworks.server.kit.ServerStartException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tokenworks tkn}: runs the TKN server until interrupted. One {@code --name} option per
 * setting of {@link TknServerConfig#KEYS}, each also read from its environment variable ({@code
 * TKN_PORT}, {@code METRICS_PORT}, {@code MEMGRAPH_URI}, ...) and the config file ({@code --config}
 * or {@code TKN_CONFIG}). Every effective setting is printed at startup; bad settings print one
 * line and exit 2, a failed start exits 1.
 */
@Command(
    name = "tkn",
    mixinStandardHelpOptions = true,
    description =
        "Run the TKN pattern-mining server (TKN v1 over TCP and WebSocket, default"
            + " 127.0.0.1:8080; metrics on 127.0.0.1:4000).")
public final class TknServerCommand implements Callable<Integer> {

  public static final int EXIT_CONFIG = 2;
  public static final int EXIT_START = 1;

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "config file (key=value lines)")
  Path configFile;

  private final Map<String, String> environment;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile TknServer server;

  public TknServerCommand() {
    this(System.getenv());
  }

  /** A command reading {@code environment} instead of the process' (for tests and `up`). */
  public TknServerCommand(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** This command with one option per setting, ready to be added as a subcommand. */
  public static CommandLine commandLine(TknServerCommand command) {
    CommandLine commandLine = new CommandLine(command);
    for (ConfigKey<?> key : TknServerConfig.KEYS) {
      commandLine
          .getCommandSpec()
          .addOption(
              OptionSpec.builder("--" + key.name())
                  .paramLabel("VALUE")
                  .type(String.class)
                  .description(
                      key.description()
                          + " (env "
                          + String.join(
                              " or ", key.environmentVariables(TknServerConfig.ENVIRONMENT_PREFIX))
                          + ")")
                  .build());
    }
    return commandLine;
  }

  @Override
  public Integer call() throws InterruptedException {
    int started = start();
    if (started != 0) {
      return started;
    }
    Thread hook = new Thread(this::stop, "tkn-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    stopped.await();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook is running.
    }
    return 0;
  }

  /**
   * Resolves the settings, prints them and starts the server without waiting for it to stop.
   *
   * @return 0 when the server runs, else the exit code ({@link #EXIT_CONFIG}, {@link #EXIT_START})
   */
  public int start() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    TknServerConfig config;
    try {
      Config resolved = resolve();
      config = TknServerConfig.from(resolved);
      out.println("tkn: effective settings");
      for (String line : resolved.describe()) {
        out.println("  " + line);
      }
      out.flush();
    } catch (ConfigException | IllegalArgumentException e) {
      err.println("tkn: " + e.getMessage());
      err.flush();
      return EXIT_CONFIG;
    }
    try {
      server = TknServer.start(config);
    } catch (ServerStartException e) {
      err.println(e.getMessage().startsWith("tkn") ? e.getMessage() : "tkn: " + e.getMessage());
      err.flush();
      return EXIT_START;
    }
    out.printf(
        "tkn: listening on %s (TCP and WebSocket), metrics on http://%s:%d/metrics, graph %s%n",
        server.address(),
        config.metricsBind(),
        server.metricsPort(),
        server.graphUri().isEmpty() ? "none" : server.graphUri());
    out.flush();
    return 0;
  }

  /** Stops a running server and lets {@link #call()} return. */
  public void stop() {
    TknServer running = server;
    if (running != null) {
      running.close();
    }
    stopped.countDown();
  }

  TknServer server() {
    return server;
  }

  Config resolve() {
    Path file = configFile;
    if (file == null && environment.containsKey("TKN_CONFIG")) {
      file = Path.of(environment.get("TKN_CONFIG"));
    }
    Config.Builder builder =
        Config.builder(TknServerConfig.ENVIRONMENT_PREFIX).keys(TknServerConfig.KEYS);
    for (ConfigKey<?> key : TknServerConfig.KEYS) {
      OptionSpec option = spec.findOption("--" + key.name());
      builder.commandLine(key, option == null ? null : option.getValue());
    }
    return builder.environment(environment).file(file).resolve();
  }
}
