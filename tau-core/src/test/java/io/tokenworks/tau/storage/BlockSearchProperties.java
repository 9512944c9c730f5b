package io.tokenworks.tau.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * A block's searches, with and without the bounds a series' index gives them, answer exactly as
 * {@link Arrays#binarySearch(long[], long)} does, for regular and irregular timestamps alike.
 */
class BlockSearchProperties {

  @Property(tries = 500)
  void searchesAgreeWithBinarySearch(
      @ForAll @Size(min = 1, max = 200) List<@LongRange(min = 1, max = 1_000_000L) Long> gaps,
      @ForAll @LongRange(min = 1, max = 1_000_000L) long gapBefore,
      @ForAll boolean regular,
      @ForAll @Size(max = 20) List<@LongRange(min = -2_000_000L, max = 300_000_000L) Long> probes) {
    int n = gaps.size();
    long[] timestamps = new long[n];
    double[] values = new double[n];
    long t = 1_000_000L;
    for (int i = 0; i < n; i++) {
      t += regular ? 1000 : gaps.get(i);
      timestamps[i] = t;
      values[i] = i;
    }
    Block block = Block.onHeap(timestamps, values, n);
    long before = timestamps[0] - gapBefore;
    long last = timestamps[n - 1];

    long[] candidates = new long[3 * n + probes.size() + 2];
    int c = 0;
    for (long timestamp : timestamps) {
      candidates[c++] = timestamp;
      candidates[c++] = timestamp - 1;
      candidates[c++] = timestamp + 1;
    }
    for (long probe : probes) {
      candidates[c++] = probe;
    }
    candidates[c++] = before;
    candidates[c++] = Long.MAX_VALUE;
    for (long probe : candidates) {
      int expected = Arrays.binarySearch(timestamps, probe);
      assertThat(block.search(probe, n)).as("search(%d)", probe).isEqualTo(expected);
      assertThat(block.search(probe, n, before, last))
          .as("search(%d) within (%d, %d]", probe, before, last)
          .isEqualTo(expected);
    }
  }
}
