package io.tokenworks.tkn.server;

import io.tokenworks.server.kit.Config;
import io.tokenworks.server.kit.ConfigKey;
import io.tokenworks.server.kit.ServerCommand;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

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
public final class TknServerCommand extends ServerCommand {

  @Option(names = "--config", paramLabel = "FILE", description = "config file (key=value lines)")
  Path configFile;

  private final Map<String, String> environment;
  private volatile TknServer server;
  private TknServerConfig config;

  public TknServerCommand() {
    this(System.getenv());
  }

  /** A command reading {@code environment} instead of the process' (for tests and `up`). */
  public TknServerCommand(Map<String, String> environment) {
    super("tkn");
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
  protected void configure(Config resolved) {
    config = TknServerConfig.from(resolved);
  }

  @Override
  protected String startServer() {
    server = TknServer.start(config);
    return String.format(
        "tkn: listening on %s (TCP and WebSocket), metrics on http://%s:%d/metrics, graph %s",
        server.address(),
        config.metricsBind(),
        server.metricsPort(),
        server.graphUri().isEmpty() ? "none" : server.graphUri());
  }

  @Override
  protected void stopServer() {
    TknServer running = server;
    if (running != null) {
      running.close();
    }
  }

  TknServer server() {
    return server;
  }

  @Override
  protected Config resolve() {
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
