package io.tokenworks.tau;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints move sealed chunks out of memory into their packs: a series outgrows the memory it is
 * given, and every point stays readable, before and after a restart.
 */
class StoredChunksTest {

  private static final Label SERIES = Label.of("long.series");
  private static final int CHUNK_POINTS = 256;
  private static final int BATCH = 1000;

  private static TauEngine open(Path directory) {
    return TauEngine.open(
        TauConfig.builder(directory)
            .chunkPoints(CHUNK_POINTS)
            .checkpointWalBytes(1 << 20)
            .fsyncPolicy(FsyncPolicy.BATCH)
            .batchFsyncInterval(Duration.ofMillis(50))
            .chunkCacheBytes(64L * 16 * CHUNK_POINTS)
            .build());
  }

  private static double valueOf(long t) {
    return Math.sin(t / 100.0) * 1000;
  }

  @Test
  void aSeriesOutgrowsItsPointMemoryAndEveryPointStaysReadableAcrossARestart(
      @TempDir Path directory) throws Exception {
    long n = 2_000_000; // 32 MB of points as blocks; 1 MiB of WAL between checkpoints
    long peakPointMemory = 0;
    try (TauEngine engine = open(directory)) {
      engine.createSeries(SERIES).join();
      long[] timestamps = new long[BATCH];
      double[] values = new double[BATCH];
      for (long t = 0; t < n; t += BATCH) {
        for (int i = 0; i < BATCH; i++) {
          timestamps[i] = t + i;
          values[i] = valueOf(t + i);
        }
        engine.appendBatch(SERIES, timestamps, values, 0, BATCH).join();
        peakPointMemory = Math.max(peakPointMemory, engine.stats().pointMemoryBytes());
        if ((t + BATCH) % 200_000 == 0) {
          // Keep this loop, far faster than a server's clients, from outrunning the checkpoints.
          engine.checkpointNow();
        }
      }
      engine.checkpointNow();
      TauStats stats = engine.stats();
      assertThat(stats.checkpoints()).isGreaterThanOrEqualTo(10);
      assertThat(peakPointMemory).isLessThan(16L * n / 4);
      assertAllReadable(engine, n);
      assertThat(engine.stats().storedChunkReads()).isGreaterThan(0);
      assertThat(engine.stats().chunkCacheBytes()).isLessThanOrEqualTo(64L * 16 * CHUNK_POINTS);
    }
    try (TauEngine reopened = open(directory)) {
      // Opening indexes the packs and loads only the head.
      assertThat(reopened.stats().pointMemoryBytes()).isLessThan(16L * n / 16);
      assertAllReadable(reopened, n);
      long next = n;
      reopened.append(SERIES, next, valueOf(next)).join();
      assertThat(reopened.latest(SERIES)).contains(new Point(next, valueOf(next)));
    }
  }

  private static void assertAllReadable(TauEngine engine, long n) {
    Aggregate all = engine.aggregate(SERIES, 0, Long.MAX_VALUE);
    assertThat(all.count()).isEqualTo(n);
    long[] expected = {0};
    engine.range(
        SERIES,
        0,
        Long.MAX_VALUE,
        Integer.MAX_VALUE,
        (t, v) -> {
          assertThat(t).isEqualTo(expected[0]);
          assertThat(v).isEqualTo(valueOf(t));
          expected[0]++;
        });
    assertThat(expected[0]).isEqualTo(n);
    for (long t = 0; t < n; t += 9973) {
      assertThat(engine.valueAt(SERIES, t)).hasValue(valueOf(t));
      assertThat(engine.asOf(SERIES, t)).contains(new Point(t, valueOf(t)));
    }
    assertThat(engine.latest(SERIES)).contains(new Point(n - 1, valueOf(n - 1)));
  }
}
