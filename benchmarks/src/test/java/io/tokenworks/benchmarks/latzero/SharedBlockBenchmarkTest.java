package io.tokenworks.benchmarks.latzero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * Each benchmark body runs on a real block, so a benchmark cannot measure a failure path or read
 * bytes other than those written.
 */
class SharedBlockBenchmarkTest {

  @Test
  void benchmarksWriteAndReadTheWholePayloadThenRemoveTheirBlock() {
    SharedBlockBenchmark benchmark = new SharedBlockBenchmark();
    benchmark.payloadBytes = 4096;
    benchmark.open();
    try {
      // open() wrote version 1 so the reads have something to read.
      assertThat(benchmark.write()).isEqualTo(2);
      assertThat(benchmark.consistentRead()).isEqualTo(2);
      assertThat(benchmark.target).isEqualTo(benchmark.source);
      assertThat(benchmark.zeroCopyRead()).isEqualTo(sumOfLongs(benchmark.source));
    } finally {
      benchmark.close();
    }
    assertThat(Files.exists(benchmark.directory)).isFalse();
  }

  @Test
  void refusesAPayloadTheZeroCopyReadCannotConsumeWhole() {
    SharedBlockBenchmark benchmark = new SharedBlockBenchmark();
    benchmark.payloadBytes = 100;

    assertThatThrownBy(benchmark::open)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("payloadBytes=100 must be a positive multiple of 32");
  }

  private static long sumOfLongs(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long sum = 0;
    while (buffer.hasRemaining()) {
      sum += buffer.getLong();
    }
    return sum;
  }
}
