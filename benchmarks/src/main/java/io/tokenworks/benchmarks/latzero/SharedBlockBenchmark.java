package io.tokenworks.benchmarks.latzero;

import io.tokenworks.protocol.latzero.block.SharedBlock;
import io.tokenworks.protocol.latzero.block.WriteLease;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One thread moving whole payloads through a LatZero shared block mapped from {@code /dev/shm}
 * (else {@code java.io.tmpdir}): a write under a lease held for the whole trial, a
 * seqlock-consistent copy out, and an optimistic zero-copy read that sums the payload as longs
 * straight from the mapping. The score is operations per second; one operation moves {@code
 * payloadBytes}, so bytes per second is the score times the payload. No writer races the readers
 * here: these are the costs of the protocols themselves, not of retries.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class SharedBlockBenchmark {

  /** Far longer than any trial, so the measured writes never pay for a renewal. */
  private static final long LEASE_MILLIS = TimeUnit.HOURS.toMillis(1);

  @Param({"4096", "65536", "1048576"})
  public int payloadBytes;

  Path directory;
  private SharedBlock block;
  private WriteLease lease;
  private DirectBuffer view;
  byte[] source;
  byte[] target;

  @Setup(Level.Trial)
  public void open() {
    if (payloadBytes < 32 || payloadBytes % 32 != 0) {
      // The zero-copy read consumes the payload 32 bytes (four longs) at a time.
      throw new IllegalArgumentException(
          "payloadBytes=" + payloadBytes + " must be a positive multiple of 32");
    }
    directory = BlockDirectories.createUnder(BlockDirectories.defaultBase(), "lz-block-bench-");
    block = SharedBlock.create(directory.resolve("bench.block"), payloadBytes);
    lease = block.acquireWrite(ProcessHandle.current().pid(), LEASE_MILLIS);
    // Created once: view() wraps the mapping in a new buffer object on every call.
    view = block.view();
    source = new byte[payloadBytes];
    new SplittableRandom(42).nextBytes(source);
    target = new byte[payloadBytes];
    block.write(lease, 0, source, 0, payloadBytes);
  }

  @TearDown(Level.Trial)
  public void close() {
    if (block != null) {
      block.close();
    }
    BlockDirectories.deleteRecursively(directory);
  }

  /** One payload copied into the block as one version; returns the version it published. */
  @Benchmark
  public long write() {
    return block.write(lease, 0, source, 0, payloadBytes);
  }

  /** One payload copied out of the block, all from one version; returns that version. */
  @Benchmark
  public long consistentRead() {
    return block.read(0, target, 0, payloadBytes);
  }

  /**
   * The payload summed as little-endian longs through the view, retried until the seqlock shows no
   * write overlapped it. Written as a careful consumer would: fields read once into locals
   * (measured faster here than reading them in the loop) and four sums, so the adds do not wait on
   * one another and the figure shows the loads rather than one long chain of additions.
   */
  @Benchmark
  public long zeroCopyRead() {
    DirectBuffer buffer = view;
    int length = payloadBytes;
    while (true) {
      long stamp = block.readVersion();
      long sum0 = 0;
      long sum1 = 0;
      long sum2 = 0;
      long sum3 = 0;
      for (int i = 0; i < length; i += 4 * Long.BYTES) {
        sum0 += buffer.getLong(i, ByteOrder.LITTLE_ENDIAN);
        sum1 += buffer.getLong(i + Long.BYTES, ByteOrder.LITTLE_ENDIAN);
        sum2 += buffer.getLong(i + 2 * Long.BYTES, ByteOrder.LITTLE_ENDIAN);
        sum3 += buffer.getLong(i + 3 * Long.BYTES, ByteOrder.LITTLE_ENDIAN);
      }
      if (block.validate(stamp)) {
        return sum0 + sum1 + sum2 + sum3;
      }
    }
  }
}
