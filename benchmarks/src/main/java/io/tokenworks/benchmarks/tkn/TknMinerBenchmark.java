package io.tokenworks.benchmarks.tkn;

import io.tokenworks.tkn.MinerConfig;
import io.tokenworks.tkn.SymbolTable;
import io.tokenworks.tkn.TknMiner;
import io.tokenworks.tkn.TokenListener;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The TKN miner on English-like text, one symbol per character, as upstream's intended usage (a
 * BATCH of one-character STRING items) feeds it. Scores are symbols per second.
 *
 * <ul>
 *   <li>{@code mineText}: the miner alone, symbols interned once up front; the session keeps
 *       mining, so the bank (upstream's 1000 windows) is warm and evicting.
 *   <li>{@code internOneCharUtf8}: {@link SymbolTable#internUtf8} of each character's byte, the
 *       per-item cost of the BATCH-of-STRING path.
 *   <li>{@code internAndMineOneCharUtf8}: both, as a server mines a BATCH item.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class TknMinerBenchmark {

  static final int TEXT_SYMBOLS = 1 << 16;

  private static final String[] WORDS = {
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "that",
    "it",
    "was",
    "he",
    "for",
    "on",
    "is",
    "with",
    "as",
    "his",
    "at",
    "by",
    "be",
    "had",
    "not",
    "but",
    "from",
    "this",
    "which",
    "or",
    "have",
    "an",
    "they",
    "were",
    "her",
    "she",
    "there",
    "all",
    "one",
    "been",
    "their",
    "we",
    "would",
    "when",
    "who",
    "will",
    "more",
    "no",
    "if",
    "out",
    "so",
    "said",
    "what",
    "up",
    "its",
    "about",
    "into",
    "than",
    "them",
    "can",
    "only",
    "other",
    "time",
    "new",
    "some",
    "could",
    "these",
    "two",
    "may",
    "first",
    "then",
    "do",
    "any",
    "like",
    "my",
    "now",
    "over",
    "such",
    "our",
    "man",
    "me",
    "even",
    "most",
    "made",
    "after",
    "also",
    "did",
    "many",
    "before",
    "must",
    "through",
    "years",
    "where",
    "much",
    "your",
    "way",
    "well",
    "down",
    "should",
    "because",
    "each",
    "just",
    "those",
    "people",
    "how",
    "too",
    "little",
    "state",
    "good",
    "very",
    "make",
    "world",
    "still",
    "own",
    "see",
    "men",
    "work",
    "long",
    "get",
    "here",
    "between",
    "both",
    "life",
    "being",
    "under",
    "never",
    "day",
    "same",
    "another",
    "know",
    "while",
    "last",
    "might",
    "us",
    "great",
    "old",
    "year",
    "off",
    "come",
    "since",
    "against",
    "go",
    "came",
    "right",
    "used",
    "take",
    "three",
    "river",
    "garden",
    "window",
    "morning",
    "letter",
    "harbour",
    "lantern",
    "meadow",
    "silver",
    "quietly",
    "remember",
    "evening",
    "mountain",
    "stranger",
    "kitchen",
    "question"
  };

  final int[] textIds = new int[TEXT_SYMBOLS];
  final UnsafeBuffer textBytes = new UnsafeBuffer(new byte[TEXT_SYMBOLS]);
  private final TokenSink sink = new TokenSink();
  private SymbolTable table;
  private TknMiner miner;

  /** Keeps the listener's work observable so the JIT cannot drop emission. */
  static final class TokenSink implements TokenListener {
    long symbols;

    @Override
    public void onToken(long index, int[] ids, int length) {
      symbols += length;
    }
  }

  @Setup
  public void setUp() {
    byte[] text = englishLikeText(TEXT_SYMBOLS, 20261123L);
    textBytes.putBytes(0, text);
    table = new SymbolTable();
    for (int i = 0; i < TEXT_SYMBOLS; i++) {
      textIds[i] = table.internUtf8(textBytes, i, 1);
    }
    miner = new TknMiner(MinerConfig.defaults(), sink);
  }

  /**
   * Words drawn with a skewed (roughly Zipfian) choice, separated by spaces, sentences ended with
   * punctuation: the repetition structure of prose without bundling any text.
   */
  static byte[] englishLikeText(int length, long seed) {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder(length + 32);
    int wordsInSentence = 0;
    while (text.length() < length) {
      double u = random.nextDouble();
      String word = WORDS[(int) (WORDS.length * u * u * u)];
      if (wordsInSentence == 0) {
        text.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
      } else {
        text.append(word);
      }
      if (++wordsInSentence > 6 && random.nextInt(8) == 0) {
        text.append(random.nextInt(4) == 0 ? ", " : ". ");
        wordsInSentence = random.nextInt(4) == 0 ? 1 : 0;
      } else {
        text.append(' ');
      }
    }
    return text.substring(0, length).getBytes(StandardCharsets.US_ASCII);
  }

  @Benchmark
  @OperationsPerInvocation(TEXT_SYMBOLS)
  public long mineText() {
    TknMiner miner = this.miner;
    int[] ids = textIds;
    for (int i = 0; i < ids.length; i++) {
      miner.accept(ids[i]);
    }
    return miner.tokensEmitted() + sink.symbols;
  }

  @Benchmark
  @OperationsPerInvocation(TEXT_SYMBOLS)
  public long internOneCharUtf8() {
    SymbolTable table = this.table;
    UnsafeBuffer bytes = textBytes;
    long sum = 0;
    for (int i = 0; i < TEXT_SYMBOLS; i++) {
      sum += table.internUtf8(bytes, i, 1);
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(TEXT_SYMBOLS)
  public long internAndMineOneCharUtf8() {
    SymbolTable table = this.table;
    TknMiner miner = this.miner;
    UnsafeBuffer bytes = textBytes;
    for (int i = 0; i < TEXT_SYMBOLS; i++) {
      miner.accept(table.internUtf8(bytes, i, 1));
    }
    return miner.tokensEmitted() + sink.symbols;
  }

  long symbolsMined() {
    return miner.symbolsMined();
  }

  int distinctSymbols() {
    return table.size();
  }
}
