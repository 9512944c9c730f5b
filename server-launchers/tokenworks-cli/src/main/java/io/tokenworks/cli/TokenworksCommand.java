package io.tokenworks.cli;

import io.tokenworks.cli.latzero.LatZeroCommand;
import io.tokenworks.cli.tau.TauReplCommand;
import io.tokenworks.tau.server.TauServerCommand;
import io.tokenworks.tkn.server.TknServerCommand;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code tokenworks} command: one entry point for every Tokenworks server and tool. */
@Command(
    name = "tokenworks",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description =
        "Fast, embeddable engines, each also a server speaking the protocol of the system it re-implements.",
    subcommands = {
      VersionCommand.class,
      UpCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class TokenworksCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /**
   * Builds the command line with the launcher's conventions: one clear line per user error, exit
   * code 2.
   */
  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return commandLine(out, err, System.getenv());
  }

  /** As {@link #commandLine(PrintWriter, PrintWriter)}, LatZero reading {@code environment}. */
  static CommandLine commandLine(
      PrintWriter out, PrintWriter err, Map<String, String> environment) {
    CommandLine commandLine = new CommandLine(new TokenworksCommand());
    commandLine.addSubcommand(
        new CommandLine(new TauServerCommand()).addSubcommand(new TauReplCommand()));
    commandLine.addSubcommand(TknServerCommand.commandLine(new TknServerCommand()));
    commandLine.addSubcommand(LatZeroCommand.commandLine(environment));
    versionEverywhere(commandLine);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine failed = ex.getCommandLine();
          failed.getErr().println("tokenworks: " + ex.getMessage());
          failed
              .getErr()
              .println(
                  "Run '" + failed.getCommandSpec().qualifiedName() + " --help' for the options.");
          return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
    return commandLine;
  }

  /**
   * Gives every command that offers {@code -V} the launcher's version: the server commands come
   * from modules that do not know it, and printed an empty line.
   */
  private static void versionEverywhere(CommandLine commandLine) {
    CommandSpec spec = commandLine.getCommandSpec();
    if (spec.versionProvider() == null && spec.version().length == 0) {
      spec.versionProvider(new Version());
    }
    commandLine.getSubcommands().values().forEach(TokenworksCommand::versionEverywhere);
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(commandLine(out, err).execute(args));
  }
}
