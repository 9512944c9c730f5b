package io.tokenworks.tkn.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.tkn.SymbolTable;
import org.junit.jupiter.api.Test;

class TokenBatchTest {

  private final SymbolTable symbols = new SymbolTable();

  @Test
  void countsTokensPairsAndNewTokens() {
    TokenBatch fresh = new TokenBatch("t", "s", symbols, 4, new int[][] {{0}, {1}, {0, 1}}, false);
    assertThat(fresh.tokenCount()).isEqualTo(3);
    assertThat(fresh.pairCount()).isEqualTo(2);
    assertThat(fresh.newTokenCount()).isEqualTo(3);
    assertThat(fresh.lastIndex()).isEqualTo(6);

    TokenBatch carrying = new TokenBatch("t", "s", symbols, 6, new int[][] {{0, 1}, {1}}, true);
    assertThat(carrying.newTokenCount()).isEqualTo(1);
    assertThat(carrying.pairCount()).isEqualTo(1);

    TokenBatch single = new TokenBatch("t", "s", symbols, 0, new int[][] {{0}}, false);
    assertThat(single.pairCount()).isZero();
  }

  @Test
  void rejectsBatchesThatCannotBeWritten() {
    assertThatThrownBy(() -> new TokenBatch("", "s", symbols, 0, new int[][] {{0}}, false))
        .hasMessageContaining("tenant");
    assertThatThrownBy(() -> new TokenBatch("t", "", symbols, 0, new int[][] {{0}}, false))
        .hasMessageContaining("sessionId");
    assertThatThrownBy(() -> new TokenBatch("t", "s", symbols, -1, new int[][] {{0}}, false))
        .hasMessageContaining("firstIndex");
    assertThatThrownBy(() -> new TokenBatch("t", "s", symbols, 0, new int[0][], false))
        .hasMessageContaining("at least one token");
    assertThatThrownBy(() -> new TokenBatch("t", "s", symbols, 0, new int[][] {{0}, {}}, false))
        .hasMessageContaining("token 1 has no symbols");
    assertThatThrownBy(() -> new TokenBatch("t", "s", symbols, 0, new int[][] {{0}}, true))
        .hasMessageContaining("carrying");
  }

  @Test
  void discardingSinkCountsEachTokenOnce() {
    DiscardingSink sink = new DiscardingSink();
    sink.write(new TokenBatch("t", "s", symbols, 0, new int[][] {{0}, {1}, {2}}, false));
    sink.write(new TokenBatch("t", "s", symbols, 2, new int[][] {{2}, {3}}, true));
    assertThat(sink.batches()).isEqualTo(2);
    assertThat(sink.tokens()).isEqualTo(4);
    assertThat(sink.pairs()).isEqualTo(3);
    assertThat(sink.ready()).isTrue();
  }
}
