package io.tokenworks.benchmarks.latzero;

import io.tokenworks.benchmarks.latzero.PingPongException.Failure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of one ping-pong run, from the command line.
 *
 * @param iterations measured round trips
 * @param warmupIterations round trips before measuring, so both JVMs have compiled their loops
 * @param payloadBytes bytes written and read on each leg; the first 8 carry the sequence number
 * @param baseDirectory where the run makes its own directory for the two blocks
 * @param timeout how long to wait for the echo process to start, to answer, and to exit
 * @param echoJvmArgs extra JVM options for the echo process (a GC, a heap size, {@code -Xint})
 */
record PingPongOptions(
    int iterations,
    int warmupIterations,
    int payloadBytes,
    Path baseDirectory,
    Duration timeout,
    List<String> echoJvmArgs) {

  static final int MIN_PAYLOAD_BYTES = Long.BYTES;

  /** Two buffers of this size live on each side; beyond it the run measures memcpy, not latency. */
  static final int MAX_PAYLOAD_BYTES = 64 << 20;

  static final String USAGE =
      String.join(
          System.lineSeparator(),
          "usage: SharedBlockPingPong [--iterations N] [--warmup N] [--payload BYTES]",
          "                           [--dir PATH] [--timeout SECONDS] [--echo-jvm-arg ARG]...",
          "  --iterations N       measured round trips (default 100000)",
          "  --warmup N           round trips before measuring (default 20000)",
          "  --payload BYTES      bytes per write, 8 to 67108864 (default 64)",
          "  --dir PATH           where to create the blocks (default /dev/shm, else java.io.tmpdir)",
          "  --timeout SECONDS    wait for the echo process to start or answer (default 30)",
          "  --echo-jvm-arg ARG   an extra JVM option for the echo process (repeatable)");

  PingPongOptions {
    requireAtLeast("--iterations", iterations, 1);
    requireAtLeast("--warmup", warmupIterations, 0);
    requireAtLeast("--payload", payloadBytes, MIN_PAYLOAD_BYTES);
    if (payloadBytes > MAX_PAYLOAD_BYTES) {
      throw usage("--payload=" + payloadBytes + " must be at most " + MAX_PAYLOAD_BYTES);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw usage("--timeout=" + timeout.toSeconds() + " must be at least 1 second");
    }
    echoJvmArgs = List.copyOf(echoJvmArgs);
  }

  /**
   * Reads {@code --name value} and {@code --name=value} options over the defaults in {@link
   * #USAGE}.
   *
   * @throws PingPongException {@link Failure#USAGE} naming the option that is wrong
   */
  static PingPongOptions parse(String... args) {
    int iterations = 100_000;
    int warmup = 20_000;
    int payload = 64;
    Path base = BlockDirectories.defaultBase();
    int timeoutSeconds = 30;
    List<String> echoJvmArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg : arg.substring(0, equals);
      String value;
      if (equals >= 0) {
        value = arg.substring(equals + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw usage(name + " needs a value");
      }
      switch (name) {
        case "--iterations" -> iterations = parseInt(name, value);
        case "--warmup" -> warmup = parseInt(name, value);
        case "--payload" -> payload = parseInt(name, value);
        case "--dir" -> base = Path.of(value);
        case "--timeout" -> timeoutSeconds = parseInt(name, value);
        case "--echo-jvm-arg" -> echoJvmArgs.add(value);
        default -> throw usage("unknown option " + name);
      }
    }
    return new PingPongOptions(
        iterations, warmup, payload, base, Duration.ofSeconds(timeoutSeconds), echoJvmArgs);
  }

  private static int parseInt(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw usage(name + "=" + value + " is not a whole number");
    }
  }

  private static void requireAtLeast(String name, int value, int min) {
    if (value < min) {
      throw usage(name + "=" + value + " must be at least " + min);
    }
  }

  private static PingPongException usage(String message) {
    return new PingPongException(Failure.USAGE, message);
  }
}
