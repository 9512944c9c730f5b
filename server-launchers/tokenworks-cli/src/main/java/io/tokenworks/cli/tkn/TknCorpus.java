package io.tokenworks.cli.tkn;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The text a TKN load generator sends, cut into symbols of about {@code symbolBytes} UTF-8 bytes
 * each and grouped into a few distinct batches that the senders rotate through, so the server mines
 * varied input without the generator building text per frame.
 *
 * <p>Without a file the text is generated: sentences of words drawn with a skewed (roughly Zipf)
 * distribution from a fixed list, seeded, so every run and every machine sends the same bytes and
 * the miner finds English-like repetition (frequent short words, common pairs) rather than noise.
 */
final class TknCorpus {

  /** How many distinct batches the senders rotate through. */
  static final int ROTATION = 8;

  static final long SEED = 0x746b6e62656e6368L;

  // Ordered by how often they should appear: the generator favours the front of the list.
  private static final String[] WORDS =
      """
      the of and to a in is it that was for on with as he she they at by this from but not or have
      had were we one all would there their what so up out if about who when which them some could
      time into more other then two than way first water been called long down day did get come
      made may part over new sound take only little work know place year live back give most very
      after thing our just name good sentence man think say great where help through much before
      line right too mean old any same tell boy follow came want show also around form three small
      set put end does another well large must big even such because turn here why ask went men
      read need land different home move try kind hand picture again change off play spell air
      away animal house point page letter mother answer found study still learn should world high
      every near add food between own below country plant last school father keep tree never start
      city earth eye light thought head under story saw left few while along might close something
      seem next hard open example begin life always those both paper together got group often run
      important until children side feet car mile night walk white sea began grow took river four
      carry state once book hear stop without second later miss idea enough eat face watch far
      really almost let above girl sometimes mountain cut young talk soon list song being leave
      family
      """
          .strip()
          .split("\\s+");

  private final List<String[]> batches;
  private final int[] frameBytes;
  private final int[] symbolBytes;

  private TknCorpus(List<String[]> batches, int[] frameBytes, int[] symbolBytes) {
    this.batches = batches;
    this.frameBytes = frameBytes;
    this.symbolBytes = symbolBytes;
  }

  /**
   * Cuts {@code utf8} into symbols of {@code symbolBytes} bytes, each cut moved forward to the next
   * character boundary so no symbol splits a character, and groups them into {@link #ROTATION}
   * batches of {@code batchSize} symbols, wrapping around the text when it is short.
   */
  static TknCorpus of(byte[] utf8, int batchSize, int symbolBytes) {
    if (utf8.length == 0) {
      throw new IllegalArgumentException("the text is empty");
    }
    List<String> symbols = new ArrayList<>();
    int needed = ROTATION * batchSize;
    for (int start = 0; start < utf8.length && symbols.size() < needed; ) {
      int end = Math.min(utf8.length, start + symbolBytes);
      while (end < utf8.length && isContinuation(utf8[end])) {
        end++;
      }
      symbols.add(new String(utf8, start, end - start, StandardCharsets.UTF_8));
      start = end;
    }
    List<String[]> batches = new ArrayList<>(ROTATION);
    int[] frameBytes = new int[ROTATION];
    int[] payloadBytes = new int[ROTATION];
    int next = 0;
    for (int b = 0; b < ROTATION; b++) {
      String[] items = new String[batchSize];
      // The outer BATCH header, then each item as a whole STRING frame: header and payload.
      long bytes = TknLoadGenerator.HEADER_BYTES;
      long itemBytes = 0;
      for (int i = 0; i < batchSize; i++) {
        items[i] = symbols.get(next);
        next = next + 1 == symbols.size() ? 0 : next + 1;
        int length = utf8Length(items[i]);
        itemBytes += length;
        bytes += TknLoadGenerator.HEADER_BYTES + length;
      }
      if (bytes > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("a batch frame of " + bytes + " bytes is too large");
      }
      batches.add(items);
      frameBytes[b] = (int) bytes;
      payloadBytes[b] = (int) itemBytes;
    }
    return new TknCorpus(batches, frameBytes, payloadBytes);
  }

  /**
   * Generates at least {@code minBytes} bytes of English-like ASCII text from the word list, the
   * same for the same arguments.
   */
  static byte[] generate(int minBytes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder text = new StringBuilder(minBytes + 128);
    while (text.length() < minBytes) {
      int words = 4 + random.nextInt(12);
      for (int w = 0; w < words; w++) {
        String word = WORDS[skewedIndex(random)];
        if (w == 0) {
          text.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
        } else {
          text.append(word);
        }
        if (w + 1 < words) {
          text.append(random.nextInt(9) == 0 ? ", " : " ");
        }
      }
      text.append(random.nextInt(6) == 0 ? "? " : ". ");
    }
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Bytes of text the generator should make so that the rotation sends distinct symbols, capped so
   * a huge batch does not build a huge corpus (it wraps instead).
   */
  static int generatedBytes(int batchSize, int symbolBytes) {
    long wanted = (long) ROTATION * batchSize * symbolBytes;
    return (int) Math.max(64 * 1024, Math.min(wanted, 16L * 1024 * 1024));
  }

  // The square of a uniform value favours small indexes: a cheap, seeded stand-in for word
  // frequency.
  private static int skewedIndex(SplittableRandom random) {
    double u = random.nextDouble();
    return (int) (u * u * WORDS.length);
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  private static int utf8Length(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  /** The items of batch {@code index} (0 to {@link #ROTATION} - 1); do not modify. */
  String[] batch(int index) {
    return batches.get(index);
  }

  /** The length of batch {@code index} as a whole BATCH frame, headers included. */
  int frameBytes(int index) {
    return frameBytes[index];
  }

  /** The bytes of symbol text in batch {@code index}: its items' payloads, no headers. */
  int symbolBytes(int index) {
    return symbolBytes[index];
  }

  /** The largest BATCH payload (frame minus its outer header) of the rotation. */
  int maxPayloadBytes() {
    int max = 0;
    for (int bytes : frameBytes) {
      max = Math.max(max, bytes - TknLoadGenerator.HEADER_BYTES);
    }
    return max;
  }
}
