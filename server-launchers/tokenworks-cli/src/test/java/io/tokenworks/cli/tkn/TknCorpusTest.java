package io.tokenworks.cli.tkn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TknCorpusTest {

  @Test
  void generatedTextIsTheSameForTheSameSeedAndEnglishLike() {
    byte[] first = TknCorpus.generate(10_000, TknCorpus.SEED);
    byte[] second = TknCorpus.generate(10_000, TknCorpus.SEED);
    byte[] other = TknCorpus.generate(10_000, TknCorpus.SEED + 1);

    assertThat(first).isEqualTo(second).isNotEqualTo(other);
    assertThat(first.length).isGreaterThanOrEqualTo(10_000);
    String text = new String(first, StandardCharsets.US_ASCII);
    assertThat(text).matches("[A-Za-z ,.?]+").contains(" the ").contains(". ");
  }

  @Test
  void oneByteSymbolsAreOneCharacterEach() {
    TknCorpus corpus = TknCorpus.of(bytes("the cat"), 7, 1);

    assertThat(corpus.batch(0)).containsExactly("t", "h", "e", " ", "c", "a", "t");
    assertThat(corpus.symbolBytes(0)).isEqualTo(7);
    assertThat(corpus.frameBytes(0)).isEqualTo(5 + 7 * (5 + 1));
  }

  @Test
  void symbolsNeverSplitACharacterAndKeepEveryByte() {
    String text = "héllo wörld → 🙂 end";
    TknCorpus corpus = TknCorpus.of(bytes(text), 100, 2);

    StringBuilder joined = new StringBuilder();
    for (String symbol : corpus.batch(0)) {
      int length = symbol.getBytes(StandardCharsets.UTF_8).length;
      assertThat(length).isBetween(1, 2 + 3);
      assertThat(symbol).doesNotContain("\uFFFD");
      joined.append(symbol);
    }
    assertThat(joined.toString()).startsWith(text);
  }

  @Test
  void batchesWrapAroundAShortTextAndRotateThroughIt() {
    TknCorpus corpus = TknCorpus.of(bytes("abc"), 5, 1);

    assertThat(corpus.batch(0)).containsExactly("a", "b", "c", "a", "b");
    assertThat(corpus.batch(1)).containsExactly("c", "a", "b", "c", "a");
    assertThat(corpus.maxPayloadBytes()).isEqualTo(5 * 6);
  }

  @Test
  void generatedCorpusGivesDistinctBatches() {
    byte[] text = TknCorpus.generate(TknCorpus.generatedBytes(1000, 1), TknCorpus.SEED);
    TknCorpus corpus = TknCorpus.of(text, 1000, 1);

    for (int i = 1; i < TknCorpus.ROTATION; i++) {
      assertThat(corpus.batch(i)).isNotEqualTo(corpus.batch(0));
    }
  }

  @Test
  void emptyTextIsRefused() {
    assertThatThrownBy(() -> TknCorpus.of(new byte[0], 10, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
