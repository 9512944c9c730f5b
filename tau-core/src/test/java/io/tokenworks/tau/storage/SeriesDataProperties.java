package io.tokenworks.tau.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.tau.Point;
import java.util.ArrayList;
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
 * Every query over sealed blocks and the head agrees with a sorted-map oracle, for any gaps between
 * points.
 */
class SeriesDataProperties {

  @Property(tries = 200)
  void queriesAgreeWithASortedMap(
      @ForAll @Size(max = 300) List<@LongRange(min = 1, max = 1_000_000_000_000L) Long> gaps,
      @ForAll long start,
      @ForAll @Size(min = 1, max = 50) List<Long> probes,
      @ForAll @IntRange(min = 16, max = 64) int chunkPoints) {
    SeriesData data = new SeriesData(chunkPoints);
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
        data.sealHead();
      }
      oracle.put(t, value);
      assertThat(data.acceptsTimestamp(t)).isFalse();
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
    }
    assertThat(data.pointCount()).isEqualTo(oracle.size());
  }
}
