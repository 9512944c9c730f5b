package io.tokenworks.benchmarks.tkn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Each benchmark body runs once on its real input, so a benchmark cannot silently measure a failure
 * path.
 */
class TknMinerBenchmarkTest {

  @Test
  void benchmarksMineEverySymbolOfTheText() {
    TknMinerBenchmark benchmark = new TknMinerBenchmark();
    benchmark.setUp();
    // Letters, capitals, space and punctuation: a small alphabet like prose's.
    assertThat(benchmark.distinctSymbols()).isBetween(26, 60);
    long afterMining = benchmark.mineText();
    assertThat(benchmark.symbolsMined()).isEqualTo(TknMinerBenchmark.TEXT_SYMBOLS);
    assertThat(afterMining).isGreaterThan(TknMinerBenchmark.TEXT_SYMBOLS / 10);
    assertThat(benchmark.internOneCharUtf8()).isPositive();
    benchmark.internAndMineOneCharUtf8();
    assertThat(benchmark.symbolsMined()).isEqualTo(2L * TknMinerBenchmark.TEXT_SYMBOLS);
  }

  @Test
  void textIsDeterministic() {
    assertThat(TknMinerBenchmark.englishLikeText(200, 1))
        .isEqualTo(TknMinerBenchmark.englishLikeText(200, 1));
  }
}
