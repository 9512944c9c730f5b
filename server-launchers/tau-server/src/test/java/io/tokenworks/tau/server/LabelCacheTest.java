package io.tokenworks.tau.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.tau.Label;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The per-connection label cache returns the label whose bytes are in the frame, and no other. */
class LabelCacheTest {

  private static UnsafeBuffer frameWith(Label label, int offset) {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + Label.LENGTH]);
    buffer.putBytes(offset, label.toBytes());
    return buffer;
  }

  @Test
  void theSameBytesGiveTheSameCachedLabel() {
    LabelCache cache = new LabelCache();
    Label temp = Label.of("temperature");

    Label first = cache.get(frameWith(temp, 10), 10);
    Label second = cache.get(frameWith(temp, 3), 3);

    assertThat(first).isEqualTo(temp);
    assertThat(second).isSameAs(first);
  }

  @Test
  void labelsThatDifferInAnyByteAreNeverConfused() {
    LabelCache cache = new LabelCache();
    // More labels than slots, differing in the first, a middle and the last byte, asked twice each.
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 64; i++) {
        byte[] bytes = new byte[Label.LENGTH];
        bytes[0] = 'a';
        bytes[i % Label.LENGTH] = (byte) ('b' + i / Label.LENGTH);
        bytes[Label.LENGTH - 1] = (byte) (i % 3 + 1);
        Label expected = Label.ofBytes(bytes);
        assertThat(cache.get(frameWith(expected, 0), 0)).isEqualTo(expected);
      }
    }
  }
}
