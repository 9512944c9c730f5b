package io.tokenworks.tkn;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.agrona.DirectBuffer;

/**
 * Turns the payload of an upstream v1 frame into symbol ids, as upstream v1 does:
 *
 * <ul>
 *   <li>STRING: the UTF-8 text is one symbol ({@link SymbolTable#internUtf8}: malformed bytes are
 *       replaced as {@code TextDecoder} replaces them, not rejected);
 *   <li>JSON: a top-level array gives one symbol per element, any other value one symbol. A value's
 *       symbol is JavaScript's {@code String(v)} for a primitive ({@code "a"} is {@code a}, {@code
 *       1.50} is {@code 1.5}, {@code 1e21} is {@code 1e+21}, {@code -0} is {@code 0}, {@code true},
 *       {@code null}) and {@code JSON.stringify(v)} for an object or array (compact, keys in
 *       JavaScript's order); so {@code 1} and {@code "1"} are the same symbol, on purpose;
 *   <li>BINARY: one symbol per byte, the byte's decimal string ({@link SymbolTable#byteSymbol}).
 * </ul>
 *
 * <p>Each {@code extract} call replaces the previous frame's ids: it returns how many there are and
 * {@link #symbols()} holds them, ready for {@link TknMiner#accept(int[], int, int)}. All ids of a
 * frame are extracted before any is mined, so a frame that fails (malformed JSON, or a {@link
 * SymbolTableFullException} from a new symbol) leaves nothing to mine: the call throws and {@link
 * #count()} is 0. Symbols of a failing frame that were interned before the table filled up stay in
 * the table; a malformed JSON frame interns nothing.
 *
 * <p>STRING and BINARY frames of known symbols allocate nothing; JSON frames allocate while
 * parsing. Not thread-safe: one per session, like the miner and its table.
 */
public final class SymbolExtractor {

  private final SymbolTable table;
  private final JsonSymbols json = new JsonSymbols();
  private int[] ids = new int[64];
  private int count;

  public SymbolExtractor(SymbolTable table) {
    this.table = Objects.requireNonNull(table, "table");
  }

  /** A STRING payload: one symbol, the decoded text (possibly empty). Returns 1. */
  public int extractString(DirectBuffer buffer, int offset, int length) {
    count = 0;
    ids[0] = table.internUtf8(buffer, offset, length);
    count = 1;
    return 1;
  }

  /** A BINARY payload: one symbol per byte. Returns {@code length}. */
  public int extractBinary(DirectBuffer buffer, int offset, int length) {
    count = 0;
    buffer.boundsCheck(offset, length);
    ensureRoom(length);
    for (int i = 0; i < length; i++) {
      ids[i] = table.byteSymbol(buffer.getByte(offset + i) & 0xFF);
    }
    count = length;
    return length;
  }

  /**
   * A JSON payload: one symbol per element of a top-level array (none for {@code []}), else one.
   *
   * @throws MalformedJsonException if the payload is not exactly one JSON value
   */
  public int extractJson(DirectBuffer buffer, int offset, int length) {
    count = 0;
    buffer.boundsCheck(offset, length);
    List<String> symbols = json.parse(buffer, offset, length);
    int n = symbols.size();
    ensureRoom(n);
    for (int i = 0; i < n; i++) {
      ids[i] = table.intern(symbols.get(i));
    }
    count = n;
    return n;
  }

  /** The ids of the last frame, {@code symbols()[0 .. count())}; reused by the next call. */
  public int[] symbols() {
    return ids;
  }

  /** How many ids the last frame gave; 0 if it failed. */
  public int count() {
    return count;
  }

  private void ensureRoom(int n) {
    if (n > ids.length) {
      ids = Arrays.copyOf(ids, Math.max(n, ids.length * 2));
    }
  }
}
