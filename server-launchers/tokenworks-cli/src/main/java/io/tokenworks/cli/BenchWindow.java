package io.tokenworks.cli;

import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What every load generator shares: the measured window after a warm-up, and the checks that turn a
 * bad option into one line and exit code 2. Used as a picocli {@code @Mixin}.
 */
public final class BenchWindow {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--duration",
      defaultValue = "10",
      description = "Measured seconds (default: ${DEFAULT-VALUE}).")
  int durationSeconds;

  @Option(
      names = "--warmup",
      defaultValue = "3",
      description = "Warm-up seconds, not measured (default: ${DEFAULT-VALUE}).")
  int warmupSeconds;

  /** Checks the window; call before anything else is done. */
  public void check() {
    requireAtLeast("--duration", durationSeconds, 1);
    requireAtLeast("--warmup", warmupSeconds, 0);
  }

  public Duration duration() {
    return Duration.ofSeconds(durationSeconds);
  }

  public Duration warmup() {
    return Duration.ofSeconds(warmupSeconds);
  }

  public int durationSeconds() {
    return durationSeconds;
  }

  public int warmupSeconds() {
    return warmupSeconds;
  }

  /** Refuses {@code value} below {@code min} as a usage error of the command. */
  public void requireAtLeast(String option, long value, long min) {
    if (value < min) {
      throw usage(option + "=" + value + " must be at least " + min);
    }
  }

  /** Refuses a port outside 1..65535. */
  public void requirePort(int port) {
    if (port < 1 || port > 65535) {
      throw usage("--port=" + port + " must be in [1, 65535]");
    }
  }

  /** A usage error of the command: one line, then the help hint, exit code 2. */
  public ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
