package io.tokenworks.benchmarks.codec;

import io.tokenworks.protocol.tkn.TknBatchEncoder;
import io.tokenworks.protocol.tkn.TknBatchItems;
import io.tokenworks.protocol.tkn.TknDecodeResult;
import io.tokenworks.protocol.tkn.TknFrameDecoder;
import io.tokenworks.protocol.tkn.TknFrameEncoder;
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
 * TKN v1 frames in the shape upstream's clients send them: a STRING frame, and a BATCH of 64
 * one-character STRING items (upstream's intended usage), decoded with every item visited, and
 * encoded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = Jvm.AGRONA_EXPORTS)
public class TknCodecBenchmark {

  static final int BATCH_ITEMS = 64;
  private static final String TEXT =
      "the cat sat on the mat and the cat sat on the hat, then it ran off";

  private final TknFrameDecoder decoder = new TknFrameDecoder();
  private final TknBatchEncoder batchEncoder = new TknBatchEncoder();
  private final UnsafeBuffer stringFrame = new UnsafeBuffer(new byte[64]);
  private final UnsafeBuffer batchFrame = new UnsafeBuffer(new byte[BATCH_ITEMS * 6 + 5]);
  private final UnsafeBuffer out = new UnsafeBuffer(new byte[BATCH_ITEMS * 6 + 5]);
  private final String[] symbols = new String[BATCH_ITEMS];
  private int stringLength;
  private int batchLength;

  @Setup
  public void setUp() {
    stringLength = TknFrameEncoder.string(stringFrame, 0, "hello");
    for (int i = 0; i < BATCH_ITEMS; i++) {
      symbols[i] = String.valueOf(TEXT.charAt(i % TEXT.length()));
    }
    batchLength = encodeBatch(batchFrame);
  }

  @Benchmark
  public int decodeString() {
    if (decoder.decode(stringFrame, 0, stringLength) != TknDecodeResult.FRAME) {
      throw new IllegalStateException("benchmark frame did not decode");
    }
    return decoder.frame().payloadLength()
        + decoder.frame().buffer().getByte(decoder.frame().payloadOffset());
  }

  /** Decode (which validates every item) and then visit every item's first byte. */
  @Benchmark
  public long decodeBatchOf64() {
    if (decoder.decode(batchFrame, 0, batchLength) != TknDecodeResult.FRAME) {
      throw new IllegalStateException("benchmark frame did not decode");
    }
    TknBatchItems items = decoder.batchItems();
    long sum = 0;
    while (items.next()) {
      sum += items.buffer().getByte(items.payloadOffset());
    }
    return sum;
  }

  @Benchmark
  public int encodeString() {
    return TknFrameEncoder.string(out, 0, "hello");
  }

  @Benchmark
  public int encodeBatchOf64() {
    return encodeBatch(out);
  }

  private int encodeBatch(UnsafeBuffer buffer) {
    batchEncoder.wrap(buffer, 0);
    for (String symbol : symbols) {
      batchEncoder.addString(symbol);
    }
    return batchEncoder.finish();
  }
}
