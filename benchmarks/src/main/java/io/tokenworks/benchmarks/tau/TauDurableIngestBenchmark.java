package io.tokenworks.benchmarks.tau;

import io.tokenworks.tau.FsyncPolicy;
import io.tokenworks.tau.Label;
import io.tokenworks.tau.TauConfig;
import io.tokenworks.tau.TauEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable ingest through the whole engine: each of 4 threads appends batches to its own series with
 * fsync policy ALWAYS (an append completes only after its WAL force), so concurrent batches share
 * forces (group commit). The score is points per second. Upstream: 197.6K durable points/s (one
 * fdatasync per point).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(4)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx8g"})
public class TauDurableIngestBenchmark {

  static final int BATCH = 10_000;

  @Param({"ALWAYS"})
  public String fsync;

  private Path directory;
  private TauEngine engine;
  private final AtomicInteger nextSeries = new AtomicInteger();

  @Setup(Level.Trial)
  public void open() throws IOException {
    directory = Files.createTempDirectory("tau-bench-");
    engine =
        TauEngine.open(
            TauConfig.builder(directory).fsyncPolicy(FsyncPolicy.valueOf(fsync)).build());
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    engine.close();
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** Per-thread series and batch arrays. */
  @State(Scope.Thread)
  public static class Writer {
    Label series;
    long next;
    final long[] timestamps = new long[BATCH];
    final double[] values = new double[BATCH];

    @Setup(Level.Trial)
    public void create(TauDurableIngestBenchmark benchmark) {
      series = Label.of("bench-" + benchmark.nextSeries.incrementAndGet());
      benchmark.engine.createSeries(series).join();
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void appendBatch(Writer writer) {
    for (int i = 0; i < BATCH; i++) {
      writer.timestamps[i] = ++writer.next;
      writer.values[i] = 20.0 + (writer.next % 100) * 0.1;
    }
    engine.appendBatch(writer.series, writer.timestamps, writer.values, 0, BATCH).join();
  }
}
