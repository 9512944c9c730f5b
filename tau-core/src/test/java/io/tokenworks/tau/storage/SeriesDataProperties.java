package io.tokenworks.tau.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.tau.Aggregate;
import io.tokenworks.tau.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * Every query over sealed blocks and the head (aggregates too, whose windows cover stored chunks
 * whole or in part) agrees with a sorted-map oracle, for any gaps between points, whether the
 * sealed chunks are still in memory or were stored by a checkpoint (read back from their pack
 * through a cache that keeps at most one of them).
 */
class SeriesDataProperties {

  @Property(tries = 200)
  void queriesAgreeWithASortedMap(
      @ForAll @Size(max = 300) List<@LongRange(min = 1, max = 1_000_000_000_000L) Long> gaps,
      @ForAll long start,
      @ForAll @Size(min = 1, max = 50) List<Long> probes,
      @ForAll @IntRange(min = 16, max = 64) int chunkPoints,
      @ForAll boolean stored)
      throws IOException {
    Path directory = Files.createTempDirectory("series-data-properties");
    try {
      check(gaps, start, probes, chunkPoints, stored ? directory : null);
    } finally {
      SeriesStore.deleteRecursively(directory);
    }
  }

  private static void check(
      List<Long> gaps, long start, List<Long> probes, int chunkPoints, Path directory)
      throws IOException {
    SeriesData data = new SeriesData(chunkPoints);
    SeriesStore store =
        directory == null
            ? null
            : SeriesStore.create(directory, 1, new ChunkCache(16L * chunkPoints));
    TreeMap<Long, Double> oracle = new TreeMap<>();
    long t = start;
    for (long gap : gaps) {
      if (t > Long.MAX_VALUE - gap) {
        break;
      }
      t += gap;
      double value = (double) oracle.size();
      assertThat(data.acceptsTimestamp(t)).isTrue();
      if (data.append(t, value)) {
        Block sealed = data.sealHead();
        if (store != null) {
          store.addSealed(sealed);
        }
      }
      oracle.put(t, value);
      assertThat(data.acceptsTimestamp(t)).isFalse();
    }
    if (store != null) {
      SeriesStore.PendingCheckpoint pending =
          store.prepareCheckpoint(new long[0], new double[0], 0);
      List<StoredChunk> chunks = pending.persist(new Pacer());
      assertThat(chunks).hasSameSizeAs(pending.blocks());
      data.stored(pending.blocks(), chunks);
    }
    List<Long> candidates = new ArrayList<>(probes);
    candidates.addAll(oracle.keySet());
    for (long probe : candidates) {
      Double exact = oracle.get(probe);
      OptionalDouble found = data.valueAt(probe);
      assertThat(found.isPresent()).as("valueAt(%d)", probe).isEqualTo(exact != null);
      if (exact != null) {
        assertThat(found.getAsDouble()).isEqualTo(exact);
      }
      Map.Entry<Long, Double> floor = oracle.floorEntry(probe);
      assertThat(data.asOf(probe))
          .isEqualTo(
              floor == null
                  ? java.util.Optional.empty()
                  : java.util.Optional.of(new Point(floor.getKey(), floor.getValue())));
      long to =
          probe > Long.MAX_VALUE - 5_000_000_000_000L ? Long.MAX_VALUE : probe + 5_000_000_000_000L;
      List<Point> range = new ArrayList<>();
      data.range(probe, to, 7, (ts, v) -> range.add(new Point(ts, v)));
      List<Point> expected =
          oracle.subMap(probe, true, to, true).entrySet().stream()
              .limit(7)
              .map(e -> new Point(e.getKey(), e.getValue()))
              .toList();
      assertThat(range).isEqualTo(expected);
      assertThat(data.aggregate(probe, to))
          .isEqualTo(aggregate(oracle.subMap(probe, true, to, true)));
      assertThat(data.aggregate(Long.MIN_VALUE, probe))
          .isEqualTo(aggregate(oracle.headMap(probe, true)));

      double[] window = new double[3];
      int filled = data.pointsEndingAt(probe, 3, window);
      List<Double> ending = new ArrayList<>();
      if (exact != null) {
        oracle.headMap(probe, true).descendingMap().values().stream()
            .limit(3)
            .forEach(value -> ending.add(0, value));
      }
      assertThat(java.util.Arrays.stream(window, 0, filled).boxed().toList()).isEqualTo(ending);
    }
    assertThat(data.pointCount()).isEqualTo(oracle.size());
    assertThat(data.aggregate(Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(aggregate(oracle));
  }

  /** The oracle's aggregate: the values are small integers, so every order of adding is exact. */
  private static Aggregate aggregate(Map<Long, Double> points) {
    if (points.isEmpty()) {
      return Aggregate.EMPTY;
    }
    DoubleSummaryStatistics values =
        points.values().stream().mapToDouble(Double::doubleValue).summaryStatistics();
    return new Aggregate(values.getCount(), values.getMin(), values.getMax(), values.getSum());
  }
}
