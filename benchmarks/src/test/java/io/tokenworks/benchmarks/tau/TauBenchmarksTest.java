package io.tokenworks.benchmarks.tau;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Each Tau benchmark body runs once on its real input, so a benchmark cannot measure a failure
 * path.
 */
class TauBenchmarksTest {

  @Test
  void storageBenchmarksAppendAndFindRealPoints() {
    TauStorageBenchmark benchmark = new TauStorageBenchmark();
    benchmark.setUp();
    assertThat(benchmark.headAppend()).isEqualTo(1_000_000);
    assertThat(benchmark.pointLookup()).isPositive();
  }

  @Test
  void durableIngestBenchmarkWritesABatch() throws Exception {
    TauDurableIngestBenchmark benchmark = new TauDurableIngestBenchmark();
    benchmark.fsync = "ALWAYS";
    benchmark.open();
    try {
      TauDurableIngestBenchmark.Writer writer = new TauDurableIngestBenchmark.Writer();
      writer.create(benchmark);
      benchmark.appendBatch(writer);
      benchmark.appendBatch(writer);
      assertThat(writer.next).isEqualTo(2L * TauDurableIngestBenchmark.BATCH);
    } finally {
      benchmark.close();
    }
  }
}
