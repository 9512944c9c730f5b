package io.tokenworks.cli;

import io.tokenworks.cli.latzero.LatZeroBenchCommand;
import io.tokenworks.cli.tau.TauBenchCommand;
import io.tokenworks.cli.tkn.TknBenchCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tokenworks bench <engine>}: end-to-end load generators against running servers. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "End-to-end load generators against a running server.",
    subcommands = {TauBenchCommand.class, TknBenchCommand.class, LatZeroBenchCommand.class})
final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }
}
