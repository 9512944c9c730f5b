package io.tokenworks.examples.tkn;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.tkn.graph.DiscardingSink;
import org.junit.jupiter.api.Test;

class EmbeddedTknTest {

  @Test
  void minesTheWorkedExampleWithoutTheEmptyTokenAndWithTheLastWindow() {
    assertThat(EmbeddedTkn.mine("abababab")).containsExactly("a", "b", "ab", "aba", "b");
  }

  @Test
  void storesEveryTokenThroughThePipeline() {
    DiscardingSink sink = new DiscardingSink();
    long tokens = EmbeddedTkn.store("the cat the cat the cat", sink);
    assertThat(tokens).isEqualTo(EmbeddedTkn.mine("the cat the cat the cat").size());
    assertThat(sink.tokens()).isEqualTo(tokens);
    assertThat(sink.pairs()).isEqualTo(tokens - 1);
  }
}
