package io.tokenworks.tau.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.tau.Point;
import org.junit.jupiter.api.Test;

class SeriesDataTest {

  @Test
  void readersSeeEverySealedBlockAsTheBlockListGrowsPastItsSpareRoom() {
    SeriesData data = new SeriesData(16);
    int points = 16 * 100 + 5; // 100 sealed blocks: the block list grows at 16, 32 and 64
    for (int t = 0; t < points; t++) {
      data.ensureRoom(1);
      if (data.append(10L * t, t)) {
        data.sealHead();
      }
      // What a reader sees right after each append, seal or not.
      assertThat(data.latest()).contains(new Point(10L * t, t));
    }
    for (int t = 0; t < points; t++) {
      assertThat(data.valueAt(10L * t)).hasValue(t);
      assertThat(data.asOf(10L * t + 5)).contains(new Point(10L * t, t));
    }
    assertThat(data.aggregate(0, Long.MAX_VALUE).count()).isEqualTo(points);
    assertThat(data.range(10L * 15, 10L * 17, 10, (timestamp, value) -> {})).isEqualTo(3);
  }
}
