package io.tokenworks.benchmarks.tau;

import io.tokenworks.tau.storage.BlockSupply;
import io.tokenworks.tau.storage.SeriesData;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-memory series structure on one thread, as upstream's core benchmarks measure theirs:
 * appending to the head (sealing a chunk every 4096 points) and exact point lookups over 1M points.
 * Upstream on a 16-thread laptop: 105.6M appends/s, about 6M lookups/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx4g"})
public class TauStorageBenchmark {

  static final int LOOKUP_POINTS = 1_000_000;
  static final int LOOKUPS_PER_OP = 1024;
  private static final int APPENDS_PER_OP = 1_000_000;

  private final BlockSupply appendBlocks = BlockSupply.inline(4096);
  private SeriesData lookupSeries;
  private long[] probes;
  private int probe;

  @Setup(Level.Trial)
  public void setUp() {
    lookupSeries = new SeriesData(4096);
    long t = 1_700_000_000_000L;
    for (int i = 0; i < LOOKUP_POINTS; i++) {
      if (lookupSeries.append(t + i * 1000L, i)) {
        lookupSeries.sealHead();
      }
    }
    SplittableRandom random = new SplittableRandom(42);
    probes = new long[1 << 16];
    for (int i = 0; i < probes.length; i++) {
      probes[i] = t + random.nextInt(LOOKUP_POINTS) * 1000L;
    }
  }

  /**
   * One million appends into a fresh series per invocation; the score is appends per second. The
   * series is released at the end, as a dropped one is, so the next one reuses its memory the way
   * an engine reuses the blocks its checkpoints have stored: what is measured is appending, not the
   * first touch of 16 MB of new memory and the collector's reclaiming of the last 16 MB (which made
   * iterations on a 2-vCPU VM vary between 47M and 300M points/s).
   */
  @Benchmark
  @OperationsPerInvocation(APPENDS_PER_OP)
  public long headAppend() {
    SeriesData series = new SeriesData(appendBlocks);
    long t = 0;
    for (int i = 0; i < APPENDS_PER_OP; i++) {
      t += 1000;
      if (series.append(t, i)) {
        series.sealHead();
      }
    }
    long points = series.pointCount();
    series.release();
    return points;
  }

  /**
   * Exact lookups of random existing timestamps over 1M points; the score is lookups per second.
   */
  @Benchmark
  @OperationsPerInvocation(LOOKUPS_PER_OP)
  public double pointLookup() {
    double sum = 0;
    for (int i = 0; i < LOOKUPS_PER_OP; i++) {
      sum += lookupSeries.valueAt(probes[probe++ & (probes.length - 1)]).getAsDouble();
    }
    return sum;
  }
}
