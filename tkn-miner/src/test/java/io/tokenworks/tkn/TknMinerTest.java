package io.tokenworks.tkn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TknMinerTest {

  private final SymbolTable table = new SymbolTable();
  private final RecordingListener listener = new RecordingListener();

  private List<String> mine(MinerConfig config, String text, boolean flush) {
    TknMiner miner = new TknMiner(config, listener);
    text.chars().forEach(c -> miner.accept(table.intern(String.valueOf((char) c))));
    if (flush) {
      miner.flush();
    }
    miner.verifyIntegrity();
    return listener.asText(table);
  }

  private List<String> mine(String text) {
    return mine(MinerConfig.defaults(), text, true);
  }

  // Section 3.4 of the reference, v1 column. Our expected tokens are the v1 tokens without token
  // 0 (the empty token upstream emits for the first symbol, which we never emit) followed by the
  // window v1 leaves behind, which our flush() emits. Upstream also stores the empty window in its
  // bank, we do not; at these sizes nothing is evicted, so that cannot change the tokens.

  @Test
  void aaaaMinesAThenAaThenFlushesA() {
    // v1: 0:"" 1:a 2:aa, left in window: a
    assertThat(mine("aaaa")).containsExactly("a", "aa", "a");
  }

  @Test
  void ababMinesAThenBThenFlushesAb() {
    // v1: 0:"" 1:a 2:b, left: ab
    assertThat(mine("abab")).containsExactly("a", "b", "ab");
  }

  @Test
  void abababababMinesGrowingPhrases() {
    // v1: 0:"" 1:a 2:b 3:ab 4:aba, left: b
    assertThat(mine("abababab")).containsExactly("a", "b", "ab", "aba", "b");
  }

  @Test
  void abcabcabcMinesPairsAcrossRepeats() {
    // v1: 0:"" 1:a 2:b 3:c 4:ab 5:ca, left: bc
    assertThat(mine("abcabcabc")).containsExactly("a", "b", "c", "ab", "ca", "bc");
  }

  @Test
  void mississippiMatchesTheReferenceVector() {
    // v1: 0:"" m i s s is si p p, left: i
    assertThat(mine("mississippi")).containsExactly("m", "i", "s", "s", "is", "si", "p", "p", "i");
  }

  @Test
  void theCatMatchesTheReferenceVector() {
    // v1: 0:"" t h e ␠ c a t ␠ th "e␠" ca "t␠" the "␠c", left: at
    assertThat(mine("the cat the cat the cat"))
        .containsExactly(
            "t", "h", "e", " ", "c", "a", "t", " ", "th", "e ", "ca", "t ", "the", " c", "at");
  }

  @Test
  void everySymbolOfTheV1LoopBugVectorIsMined() {
    // Upstream v1 mined only "a" of the JSON frame ["a","b","a","b"] and emitted just the empty
    // token. Here all four symbols are mined: a, b, then the window ab is flushed.
    TknMiner miner = new TknMiner(MinerConfig.defaults(), listener);
    int a = table.intern("a");
    int b = table.intern("b");
    miner.accept(new int[] {a, b, a, b}, 0, 4);
    assertThat(miner.symbolsMined()).isEqualTo(4);
    assertThat(listener.asText(table)).containsExactly("a", "b");
    assertThat(miner.windowLength()).isEqualTo(2);
    miner.flush();
    assertThat(listener.asText(table)).containsExactly("a", "b", "ab");
  }

  @Test
  void firstSymbolEmitsNoEmptyToken() {
    TknMiner miner = new TknMiner(MinerConfig.defaults(), listener);
    miner.accept(7);
    assertThat(listener.tokens).isEmpty();
    assertThat(miner.windowLength()).isEqualTo(1);
    assertThat(miner.bankSize()).isEqualTo(1);
  }

  @Test
  void flushOfAnEmptyWindowEmitsNothing() {
    TknMiner miner = new TknMiner(MinerConfig.defaults(), listener);
    miner.flush();
    miner.accept(1);
    miner.flush();
    miner.flush();
    assertThat(listener.tokens).containsExactly(List.of(1));
    assertThat(listener.indexes).containsExactly(0L);
  }

  @Test
  void miningAfterFlushStartsAFreshWindowButKeepsTheBank() {
    TknMiner miner = new TknMiner(MinerConfig.defaults(), listener);
    miner.accept(new int[] {1, 2, 1, 2}, 0, 4); // tokens [1], [2]; window [1,2]
    miner.flush(); // [1,2]
    miner.accept(new int[] {1, 2, 3}, 0, 3); // [1,2] is banked: hit, then miss on 3
    miner.flush();
    assertThat(listener.tokens)
        .containsExactly(List.of(1), List.of(2), List.of(1, 2), List.of(1, 2), List.of(3));
    assertThat(listener.indexes).containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(miner.tokensEmitted()).isEqualTo(5);
  }

  @Test
  void maxWindowEmitsTheFullWindowAndStartsAfresh() {
    assertThat(mine(new MinerConfig(1000, 2), "aaaaaaa", true))
        .containsExactly("a", "aa", "aa", "aa");
  }

  @Test
  void maxWindowOfOneEmitsEverySymbolAlone() {
    assertThat(mine(new MinerConfig(1000, 1), "abca", false)).containsExactly("a", "b", "c", "a");
  }

  @Test
  void tinyBankEvictsAndStillReconstructsTheInput() {
    String text = "abracadabra abracadabra abracadabra";
    List<String> tokens = mine(new MinerConfig(2, 0), text, true);
    assertThat(String.join("", tokens)).isEqualTo(text);
  }

  @Test
  void statisticsCountSymbolsTokensHitsAndEvictions() {
    TknMiner miner = new TknMiner(new MinerConfig(3, 0), listener);
    miner.accept(new int[] {0, 0, 0, 0}, 0, 4);
    // a: miss (bank a); a: miss, emit a (bank a, aa); a: hit (aa); a: miss, emit aa (bank aa, aaa)
    assertThat(miner.symbolsMined()).isEqualTo(4);
    assertThat(miner.tokensEmitted()).isEqualTo(2);
    assertThat(miner.bankHits()).isEqualTo(1);
    assertThat(miner.bankSize()).isEqualTo(3);
    assertThat(miner.bankEvictions()).isZero();
    miner.accept(1);
    miner.accept(2); // bank gains [0,1]... and evicts the oldest windows
    assertThat(miner.bankSize()).isEqualTo(3);
    assertThat(miner.bankEvictions()).isPositive();
    miner.verifyIntegrity();
  }

  @Test
  void evictedWindowKeepsItsChildrenAndFindsThemWhenReAdded() {
    // Bank of 2: mining 0 0 0 0 banks [0] and [0,0], then [0,0] and [0,0,0] evict [0]. [0]'s node
    // must survive as the parent of [0,0]; setting [0] again must see [0,0] as banked.
    TknMiner miner = new TknMiner(new MinerConfig(2, 0), listener);
    ReferenceMiner reference = new ReferenceMiner(new MinerConfig(2, 0));
    int[] input = {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0};
    for (int id : input) {
      miner.accept(id);
      reference.accept(id);
      miner.verifyIntegrity();
    }
    miner.flush();
    reference.flush();
    assertThat(listener.tokens).isEqualTo(reference.tokens());
  }

  @Test
  void listenerFailurePropagatesWithTheTokenCountedAndTheWindowAdvanced() {
    TknMiner miner =
        new TknMiner(
            MinerConfig.defaults(),
            (index, symbols, length) -> {
              throw new IllegalStateException("sink down");
            });
    miner.accept(1);
    assertThatThrownBy(() -> miner.accept(2)).hasMessage("sink down");
    assertThat(miner.tokensEmitted()).isEqualTo(1);
    assertThat(miner.symbolsMined()).isEqualTo(2);
    assertThat(miner.windowLength()).isEqualTo(1);
    assertThatThrownBy(miner::flush).hasMessage("sink down");
    assertThat(miner.windowLength()).isZero();
    miner.verifyIntegrity();
  }

  @Test
  void negativeSymbolIdIsRejectedAndNothingIsMined() {
    TknMiner miner = new TknMiner(MinerConfig.defaults(), listener);
    assertThatThrownBy(() -> miner.accept(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("symbolId=-1");
    assertThat(miner.symbolsMined()).isZero();
    assertThat(miner.windowLength()).isZero();
  }

  @Test
  void arrayRangeOutsideTheArrayIsRejectedBeforeMining() {
    TknMiner miner = new TknMiner(MinerConfig.defaults(), listener);
    assertThatThrownBy(() -> miner.accept(new int[] {1, 2}, 1, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(miner.symbolsMined()).isZero();
  }

  @Test
  void nullConfigOrListenerIsRejected() {
    assertThatThrownBy(() -> new TknMiner(null, listener)).hasMessage("config");
    assertThatThrownBy(() -> new TknMiner(MinerConfig.defaults(), null)).hasMessage("listener");
  }

  @Test
  void minerMatchesTheReferenceModelWhileItsTrieOutgrowsItsInitialArrays() {
    // Banks above 4096 windows start with room for 8192 nodes and a table that resizes past 16384
    // entries, so a bank of 20000 filled with distinct windows grows both, then evicts.
    MinerConfig config = new MinerConfig(20_000, MinerConfig.UNBOUNDED_WINDOW);
    TknMiner miner = new TknMiner(config, listener);
    ReferenceMiner reference = new ReferenceMiner(config);
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 120_000; i++) {
      int id = random.nextInt(30);
      miner.accept(id);
      reference.accept(id);
    }
    assertThat(miner.trieNodes()).isGreaterThan(16_384);
    assertThat(miner.bankEvictions()).isPositive();
    miner.verifyIntegrity();
    miner.flush();
    reference.flush();
    assertThat(listener.tokens).isEqualTo(reference.tokens());
    assertThat(miner.bankSize()).isEqualTo(reference.bankSize());
  }

  @Test
  void trieNodesStayBoundedByTheBankOnALongStream() {
    TknMiner miner = new TknMiner(new MinerConfig(16, 8), (index, symbols, length) -> {});
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 200_000; i++) {
      miner.accept(random.nextInt(5));
    }
    miner.verifyIntegrity();
    // Each banked window keeps at most maxWindow - 1 ancestors alive.
    assertThat(miner.trieNodes()).isLessThanOrEqualTo(16 * 8);
  }
}
