package io.tokenworks.benchmarks.latzero;

import io.tokenworks.protocol.latzero.block.SharedBlockException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Cross-process write-to-visible latency of LatZero shared blocks. This JVM creates two blocks,
 * ping and pong, and starts a child JVM ({@link SharedBlockEcho}) that maps both. For each round
 * trip this side writes a sequence number (and the rest of the payload) into ping; the echo spins
 * on ping's content version, copies ping out and writes it into pong; this side spins on pong and
 * copies it out. Half a round trip is one write made visible to, and read by, another process.
 * Prints the percentiles of that half and the round trips per second.
 *
 * <pre>
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     io.tokenworks.benchmarks.latzero.SharedBlockPingPong --iterations 100000 --payload 64
 * </pre>
 *
 * <p>Exit codes: 0 done, 1 a block could not be created or mapped, 2 a bad option, 3 the echo
 * exited, 4 the echo did not answer in time, 5 the echo answered wrongly, 6 the echo could not be
 * started. The echo is killed whatever happens.
 */
public final class SharedBlockPingPong {

  private SharedBlockPingPong() {}

  public static void main(String[] args) {
    int exitCode = run(args, System.out, System.err);
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  /** Parses, runs and reports; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (List.of(args).contains("--help")) {
      out.println(PingPongOptions.USAGE);
      return 0;
    }
    try {
      PingPongOptions options = PingPongOptions.parse(args);
      out.printf(
          "shared-block ping-pong: %,d round trips after %,d warm-up, blocks under %s%n",
          options.iterations(), options.warmupIterations(), options.baseDirectory());
      out.println(new PingPong(options).run().describe());
      return 0;
    } catch (PingPongException e) {
      err.println("ping-pong: " + e.getMessage());
      if (e.failure() == PingPongException.Failure.USAGE) {
        err.println(PingPongOptions.USAGE);
      }
      return e.failure().exitCode();
    } catch (SharedBlockException e) {
      err.println("ping-pong: " + e.error() + ": " + e.getMessage());
      return 1;
    } catch (UncheckedIOException e) {
      err.println("ping-pong: " + e.getMessage() + ": " + e.getCause().getMessage());
      return 1;
    }
  }
}
