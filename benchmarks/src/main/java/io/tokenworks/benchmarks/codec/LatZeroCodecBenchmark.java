package io.tokenworks.benchmarks.codec;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenworks.protocol.latzero.LatZeroDecodeResult;
import io.tokenworks.protocol.latzero.LatZeroFrameDecoder;
import io.tokenworks.protocol.latzero.LatZeroMessageCodec;
import io.tokenworks.protocol.latzero.LatZeroMessageResult;
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
 * LatZero Gen-1 frames carrying a typical {@code trigger} message: finding the frame
 * (allocation-free), parsing its JSON envelope with Jackson, and encoding a message into a frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = Jvm.AGRONA_EXPORTS)
public class LatZeroCodecBenchmark {

  private final LatZeroFrameDecoder decoder = new LatZeroFrameDecoder();
  private final LatZeroMessageCodec codec = new LatZeroMessageCodec();
  private ObjectNode trigger;
  private UnsafeBuffer frame;

  @Setup
  public void setUp() {
    trigger = JsonNodeFactory.instance.objectNode();
    trigger.put("type", "trigger");
    trigger.put("id", "0b6f3c52-8f3e-4c1e-9a55-2f0d1d7f4a10");
    trigger.put("origin", "billing-service");
    trigger.put("pool", "default");
    trigger.put("trigger", "invoice.render");
    trigger.put("ttl", 30_000);
    trigger.putObject("payload").put("invoice", 4711).put("currency", "EUR").put("lines", 3);
    frame = new UnsafeBuffer(codec.encode(trigger));
  }

  @Benchmark
  public int decodeFrame() {
    if (decoder.decode(frame, 0, frame.capacity()) != LatZeroDecodeResult.FRAME) {
      throw new IllegalStateException("benchmark frame did not decode");
    }
    return decoder.payloadLength();
  }

  /** Find the frame and parse its body into a JSON tree with its type. */
  @Benchmark
  public LatZeroMessageResult decodeAndParseTrigger() {
    decodeFrame();
    return codec.parse(frame, decoder.payloadOffset(), decoder.payloadLength());
  }

  @Benchmark
  public byte[] encodeTrigger() {
    return codec.encode(trigger);
  }
}
