package io.tokenworks.benchmarks.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tokenworks.protocol.latzero.LatZeroMessageResult;
import org.junit.jupiter.api.Test;

/**
 * Each benchmark body runs once on its real input, so a benchmark cannot silently measure a failure
 * path.
 */
class CodecBenchmarksTest {

  @Test
  void tauBenchmarksDecodeAndEncodeRealFrames() {
    TauCodecBenchmark benchmark = new TauCodecBenchmark();
    benchmark.setUp();
    assertThat(benchmark.decodeAppend()).isCloseTo(1.7e18 + 21.5 + 's', within(512.0));
    assertThat(benchmark.decodeQueryPoint()).isEqualTo(1_700_000_000_000_000_000L);
    assertThat(benchmark.encodeAppend()).isEqualTo(58);
    assertThat(benchmark.encodeQueryFoundReply()).isEqualTo(19);
  }

  @Test
  void tknBenchmarksDecodeAndEncodeRealFrames() {
    TknCodecBenchmark benchmark = new TknCodecBenchmark();
    benchmark.setUp();
    assertThat(benchmark.decodeString()).isEqualTo(5 + 'h');
    assertThat(benchmark.decodeBatchOf64()).isGreaterThan(64L * ' ');
    assertThat(benchmark.encodeString()).isEqualTo(10);
    assertThat(benchmark.encodeBatchOf64()).isEqualTo(5 + TknCodecBenchmark.BATCH_ITEMS * 6);
  }

  @Test
  void latZeroBenchmarksParseAndEncodeARealTrigger() {
    LatZeroCodecBenchmark benchmark = new LatZeroCodecBenchmark();
    benchmark.setUp();
    assertThat(benchmark.decodeFrame()).isGreaterThan(150);
    assertThat(benchmark.decodeAndParseTrigger())
        .isInstanceOfSatisfying(
            LatZeroMessageResult.Message.class,
            message -> assertThat(message.type()).isEqualTo("trigger"));
    assertThat(benchmark.encodeTrigger()).hasSize(4 + benchmark.decodeFrame());
  }
}
