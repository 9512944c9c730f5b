package io.tokenworks.tau;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Points live in direct memory, which has its own cap. Reaching it must refuse the append that
 * needed the room with LIMIT_REACHED and leave the series whole; a worker thread that died of an
 * OutOfMemoryError would leave the actor scheduled forever and every later request hanging. The cap
 * is per JVM, so the scenario runs in a child JVM started with a small one.
 */
class PointMemoryLimitTest {

  @Test
  void runningOutOfPointMemoryRefusesAppendsAndKeepsTheSeriesReadable() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-XX:MaxDirectMemorySize=4m",
                    "--add-exports",
                    "java.base/jdk.internal.misc=ALL-UNNAMED",
                    "-cp",
                    System.getProperty("java.class.path"),
                    Child.class.getName()))
            .redirectErrorStream(true)
            .start();
    boolean exited = child.waitFor(60, TimeUnit.SECONDS);
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!exited) {
      child.destroyForcibly();
    }
    assertThat(exited).as("child exited; output:%n%s", output).isTrue();
    assertThat(child.exitValue()).as(output).isZero();
    assertThat(output).contains("LIMIT_REACHED", "MaxDirectMemorySize", "readable");
  }

  /** Appends until the cap refuses one, then checks the refusal and what came before it. */
  public static final class Child {
    public static void main(String[] args) throws IOException {
      Label label = Label.of("filling");
      try (TauEngine engine = TauEngine.open(TauConfig.inMemory().chunkPoints(4096).build())) {
        engine.createSeries(label).join();
        long acknowledged = 0;
        TauException refusal = null;
        while (refusal == null && acknowledged < 10_000_000) {
          try {
            engine.append(label, acknowledged, acknowledged * 0.5).join();
            acknowledged++;
          } catch (CompletionException e) {
            refusal = (TauException) e.getCause();
          }
        }
        if (refusal == null || refusal.error() != TauError.LIMIT_REACHED) {
          throw new AssertionError("expected LIMIT_REACHED, got " + refusal);
        }
        System.out.println(refusal.error() + ": " + refusal.getMessage());
        for (long t = 0; t < acknowledged; t++) {
          if (engine.valueAt(label, t).orElseThrow() != t * 0.5) {
            throw new AssertionError("point " + t + " lost");
          }
        }
        if (engine.latest(label).orElseThrow().timestamp() != acknowledged - 1) {
          throw new AssertionError("the refused point is visible");
        }
        // Still refused, still answered: the actor did not die with its worker. Blocks the supply
        // allocated ahead while the cap was being reached may still take a few more points first.
        long ahead = 0;
        TauException again = null;
        while (again == null && ahead <= 17 * 4096) {
          try {
            engine.append(label, acknowledged, acknowledged * 0.5).join();
            acknowledged++;
            ahead++;
          } catch (CompletionException e) {
            again = (TauException) e.getCause();
          }
        }
        if (again == null || again.error() != TauError.LIMIT_REACHED) {
          throw new AssertionError("appends past the cap kept succeeding: " + ahead);
        }
        System.out.println("again " + again.error());
        if (engine.latest(label).orElseThrow().timestamp() != acknowledged - 1) {
          throw new AssertionError("a refused point is visible");
        }
        System.out.println(acknowledged + " points readable");
      }
    }
  }
}
