package io.tokenworks.cli.latzero;

import io.tokenworks.latzero.server.LatZeroServerCommand;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tokenworks latzero}: {@code start} runs the LatZero server in the foreground; {@code
 * status} and {@code stop} find a running one through its data directory ({@code --data-dir},
 * {@code LATZERO_DATA_DIR}, the config file, or {@code ./latzero-data}) and talk to it as the
 * loopback admin. Without a subcommand it prints its usage.
 */
@Command(name = "latzero", description = "Run, inspect and stop the LatZero process-fabric server.")
public final class LatZeroCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  // Help only: the version is the launcher's (tokenworks --version).
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  private LatZeroCommand() {}

  /** The {@code latzero} command and its subcommands, reading {@code environment}. */
  public static CommandLine commandLine(Map<String, String> environment) {
    return new CommandLine(new LatZeroCommand())
        .addSubcommand(new LatZeroServerCommand(environment))
        .addSubcommand(new LatZeroStatusCommand(environment))
        .addSubcommand(new LatZeroStopCommand(environment));
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
