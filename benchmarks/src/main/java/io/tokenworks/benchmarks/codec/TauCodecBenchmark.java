package io.tokenworks.benchmarks.codec;

import io.tokenworks.protocol.tau.TauDecodeResult;
import io.tokenworks.protocol.tau.TauFrameDecoder;
import io.tokenworks.protocol.tau.TauFrameEncoder;
import io.tokenworks.protocol.tau.TauLabel;
import io.tokenworks.protocol.tau.TauOpcode;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * TAU v1 frames: decoding an APPEND (header checks, length check and reading label, timestamp and
 * value through the flyweight) and encoding one. Target: decode under 20 ns with zero allocation
 * ({@code -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = Jvm.AGRONA_EXPORTS)
public class TauCodecBenchmark {

  private final TauFrameDecoder decoder = new TauFrameDecoder();
  private final UnsafeBuffer appendFrame = new UnsafeBuffer(new byte[64]);
  private final UnsafeBuffer queryFrame = new UnsafeBuffer(new byte[64]);
  private final UnsafeBuffer out = new UnsafeBuffer(new byte[64]);
  private final TauLabel series = TauLabel.of("sensor.temperature.celsius");
  private int appendLength;
  private int queryLength;
  private long timestamp;

  @Setup
  public void setUp() {
    appendLength = TauFrameEncoder.append(appendFrame, 0, series, 1_700_000_000_000_000_000L, 21.5);
    queryLength =
        TauFrameEncoder.query(
            queryFrame, 0, TauOpcode.QUERY_POINT, series, 1_700_000_000_000_000_000L);
  }

  /** Decode and read every field an engine needs to apply the append. */
  @Benchmark
  public double decodeAppend() {
    if (decoder.decode(appendFrame, 0, appendLength) != TauDecodeResult.FRAME) {
      throw new IllegalStateException("benchmark frame did not decode");
    }
    return decoder.frame().timestamp()
        + decoder.frame().value()
        + decoder.frame().buffer().getByte(decoder.frame().labelOffset(0));
  }

  @Benchmark
  public long decodeQueryPoint() {
    if (decoder.decode(queryFrame, 0, queryLength) != TauDecodeResult.FRAME) {
      throw new IllegalStateException("benchmark frame did not decode");
    }
    return decoder.frame().timestamp();
  }

  @Benchmark
  public int encodeAppend() {
    return TauFrameEncoder.append(out, 0, series, ++timestamp, 21.5);
  }

  @Benchmark
  public int encodeQueryFoundReply() {
    return TauFrameEncoder.queryFound(out, 0, 21.5);
  }
}
