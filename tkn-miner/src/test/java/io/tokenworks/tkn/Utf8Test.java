package io.tokenworks.tkn;

import static org.assertj.core.api.Assertions.assertThat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Vectors of the WHATWG UTF-8 decoder, which is what JavaScript's TextDecoder runs. */
class Utf8Test {

  private static String decode(int... values) {
    byte[] array = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      array[i] = (byte) values[i];
    }
    UnsafeBuffer buffer = new UnsafeBuffer(array);
    String decoded = Utf8.decode(buffer, 0, array.length);
    assertThat(Utf8.isWellFormed(buffer, 0, array.length)).isEqualTo(!decoded.contains("\uFFFD"));
    return decoded;
  }

  @Test
  void wellFormedSequencesDecode() {
    assertThat(decode('a', 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80))
        .isEqualTo("a\u00E9\u20AC\uD83D\uDE00");
  }

  @Test
  void strayContinuationByteIsOneReplacement() {
    assertThat(decode('a', 0x80, 'b')).isEqualTo("a\uFFFDb");
  }

  @Test
  void truncatedSequenceAtTheEndIsOneReplacement() {
    assertThat(decode(0xE2, 0x82)).isEqualTo("\uFFFD");
    assertThat(decode(0xF0, 0x9F, 0x98)).isEqualTo("\uFFFD");
  }

  @Test
  void interruptedSequenceIsReplacedAndTheInterruptingByteKept() {
    assertThat(decode(0xE2, 0x82, 'A')).isEqualTo("\uFFFDA");
    assertThat(decode(0xC3, 0xC3, 0xA9)).isEqualTo("\uFFFD\u00E9");
  }

  @Test
  void overlongsSurrogatesAndOutOfRangeAreReplacedBytePerByte() {
    assertThat(decode(0xC0, 0xAF)).isEqualTo("\uFFFD\uFFFD");
    assertThat(decode(0xE0, 0x80, 0xAF)).isEqualTo("\uFFFD\uFFFD\uFFFD");
    assertThat(decode(0xF0, 0x80, 0x80, 0x80)).isEqualTo("\uFFFD".repeat(4));
    assertThat(decode(0xED, 0xA0, 0x80)).isEqualTo("\uFFFD".repeat(3));
    assertThat(decode(0xF4, 0x90, 0x80, 0x80)).isEqualTo("\uFFFD".repeat(4));
    assertThat(decode(0xF8, 0xFF, 0xFE)).isEqualTo("\uFFFD".repeat(3));
  }

  @Test
  void loneSurrogatesEncodeToTheirOwnThreeBytes() {
    byte[] out = new byte[Utf8.maxEncodedLength(2)];
    assertThat(Utf8.encode("\uD800", out)).isEqualTo(3);
    assertThat(out[0] & 0xFF).isEqualTo(0xED);
    assertThat(Utf8.isWellFormed("\uD800")).isFalse();
    assertThat(Utf8.isWellFormed("\uD83D\uDE00")).isTrue();
    assertThat(Utf8.isWellFormed("\uDE00\uD83D")).isFalse();
  }
}
