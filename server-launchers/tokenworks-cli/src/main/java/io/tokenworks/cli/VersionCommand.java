package io.tokenworks.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tokenworks version}: prints the version, the Java runtime and the operating system. */
@Command(name = "version", description = "Print the Tokenworks version and the runtime it runs on.")
final class VersionCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine()
        .getOut()
        .printf(
            "tokenworks %s%njava %s (%s)%nos %s %s%n",
            Version.current(),
            System.getProperty("java.version"),
            System.getProperty("java.vendor"),
            System.getProperty("os.name"),
            System.getProperty("os.arch"));
    return 0;
  }
}
