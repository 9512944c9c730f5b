package io.tokenworks.tkn;

import java.util.Arrays;
import java.util.Objects;
import org.agrona.DirectBuffer;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Interns symbols (their upstream string form) to dense int ids, first come first numbered, and
 * keeps for each id its value, its cyrb53 hash and its upstream key. Bounded: interning a new
 * symbol into a full table throws {@link SymbolTableFullException}; nothing is evicted, because ids
 * are referenced by the miner's bank and by tokens still on their way to the graph.
 *
 * <p>Identity is the exact string, never a fingerprint. Two different symbols whose cyrb53 hashes
 * are equal are still two ids; the collision is counted ({@link #collisions()}) and the later
 * symbol's key gets a {@code #id} suffix so graph keys stay unique.
 *
 * <p>Looking up a known symbol allocates nothing, whether it comes as a {@code String} or as UTF-8
 * bytes ({@link #internUtf8}): symbols are indexed by their canonical bytes in an open-addressing
 * table, compared byte for byte against an arena holding each symbol's bytes. Only a new symbol
 * allocates (its {@code String}, hash and key).
 *
 * <p>One writer (the thread that interns) and any number of readers: {@link #value}, {@link #hash}
 * and {@link #key} may be called from another thread for ids below a {@link #size()} it has read.
 */
public final class SymbolTable {

  /** Upstream bounds nothing; a million distinct symbols per session or tenant is our default. */
  public static final int DEFAULT_CAPACITY = 1 << 20;

  /** The arena is one array. */
  static final int MAX_SYMBOL_BYTES = Integer.MAX_VALUE - 16;

  private static final int EMPTY_SLOT = -1;
  private static final int NOT_CACHED = -1;

  private final int capacity;

  // Readers on other threads see these through the volatile array references and size.
  private volatile String[] values = new String[64];
  private volatile long[] hashes = new long[64];
  private volatile String[] keys = new String[64];
  private volatile int size;

  // Writer-only lookup structures.
  private int[] slots = emptySlots(128);
  private int[] byteHashes = new int[64];
  private int[] byteOffsets = new int[64];
  private int[] byteLengths = new int[64];

  /** Whether the symbol's canonical bytes are plain UTF-8 (false: it has a lone surrogate). */
  private boolean[] utf8 = new boolean[64];

  private byte[] arena = new byte[1024];
  private final UnsafeBuffer arenaView = new UnsafeBuffer(arena);
  private int arenaUsed;
  private byte[] scratch = new byte[256];
  private final UnsafeBuffer scratchView = new UnsafeBuffer(scratch);
  private final LongHashSet cyrb53Seen = new LongHashSet();
  private final int[] byteSymbols = new int[256];
  private final int[] asciiSymbols = new int[128];
  private long collisions;

  public SymbolTable() {
    this(DEFAULT_CAPACITY);
  }

  public SymbolTable(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
    Arrays.fill(byteSymbols, NOT_CACHED);
    Arrays.fill(asciiSymbols, NOT_CACHED);
  }

  /** The id of {@code symbol}, interning it if it is new. */
  public int intern(String symbol) {
    Objects.requireNonNull(symbol, "symbol");
    int maxBytes = Utf8.maxEncodedLength(symbol.length());
    if (maxBytes > scratch.length) {
      scratch = new byte[Math.max(maxBytes, scratch.length * 2)];
      scratchView.wrap(scratch);
    }
    int length = Utf8.encode(symbol, scratch);
    int hash = hashBytes(scratchView, 0, length);
    int id = find(scratchView, 0, length, hash, false);
    return id >= 0 ? id : add(symbol, hash, length, Utf8.isWellFormed(symbol));
  }

  /**
   * The id of the symbol whose UTF-8 bytes are {@code buffer[offset .. offset+length)}, interning
   * it if it is new. The bytes are decoded as JavaScript's {@code TextDecoder} does: a leading byte
   * order mark is dropped and malformed sequences become U+FFFD, so bytes that decode to the same
   * string (say an invalid byte and the UTF-8 of U+FFFD) are the same symbol, and the symbol equals
   * {@code intern} of the decoded string. Allocates nothing when the bytes are well-formed and the
   * symbol is known.
   */
  public int internUtf8(DirectBuffer buffer, int offset, int length) {
    buffer.boundsCheck(offset, length);
    if (length == 1) {
      // One ASCII character per symbol is upstream's intended stream: one array load.
      int b = buffer.getByte(offset);
      if (b >= 0) {
        int id = asciiSymbols[b];
        if (id == NOT_CACHED) {
          id = internUtf8Slow(buffer, offset, length);
          asciiSymbols[b] = id;
        }
        return id;
      }
    }
    return internUtf8Slow(buffer, offset, length);
  }

  private int internUtf8Slow(DirectBuffer buffer, int offset, int length) {
    int bom = Utf8.bomLength(buffer, offset, length);
    offset += bom;
    length -= bom;
    int id = find(buffer, offset, length, hashBytes(buffer, offset, length), true);
    return id >= 0 ? id : intern(Utf8.decode(buffer, offset, length));
  }

  /**
   * The id of upstream v1's BINARY symbol for one byte: its decimal string ({@code "65"} for {@code
   * 'A'}), the same symbol as the text {@code "65"}. Constant time after first use.
   */
  public int byteSymbol(int unsignedByte) {
    if ((unsignedByte & ~0xFF) != 0) {
      throw new IllegalArgumentException("unsignedByte=" + unsignedByte + ": must be 0..255");
    }
    int id = byteSymbols[unsignedByte];
    if (id == NOT_CACHED) {
      id = intern(Integer.toString(unsignedByte));
      byteSymbols[unsignedByte] = id;
    }
    return id;
  }

  /** Number of interned symbols; ids are {@code 0 .. size()-1}. */
  public int size() {
    return size;
  }

  public int capacity() {
    return capacity;
  }

  /** The symbol's upstream string form. */
  public String value(int id) {
    return values[checked(id)];
  }

  /** The symbol's cyrb53 hash (see {@link Cyrb53}). */
  public long hash(int id) {
    return hashes[checked(id)];
  }

  /** The symbol's graph key: base64 of upstream's 64-byte cyrb53 key layout. */
  public String key(int id) {
    return keys[checked(id)];
  }

  /** Distinct symbols interned so far whose cyrb53 hash equalled an earlier symbol's. */
  public long collisions() {
    return collisions;
  }

  /**
   * The id whose canonical bytes equal the given ones, or -1. With {@code utf8Only} a symbol with a
   * lone surrogate never matches: its bytes are not UTF-8, so raw input bytes equal to them are
   * malformed and decode to something else.
   */
  private int find(DirectBuffer buffer, int offset, int length, int hash, boolean utf8Only) {
    int[] slots = this.slots;
    int mask = slots.length - 1;
    for (int i = hash & mask; ; i = (i + 1) & mask) {
      int id = slots[i];
      if (id == EMPTY_SLOT) {
        return -1;
      }
      if (byteHashes[id] == hash
          && byteLengths[id] == length
          && sameBytes(buffer, offset, length, byteOffsets[id])) {
        return utf8Only && !utf8[id] ? -1 : id;
      }
    }
  }

  private boolean sameBytes(DirectBuffer buffer, int offset, int length, int arenaOffset) {
    int i = 0;
    for (; i + Long.BYTES <= length; i += Long.BYTES) {
      if (buffer.getLong(offset + i) != arenaView.getLong(arenaOffset + i)) {
        return false;
      }
    }
    for (; i < length; i++) {
      if (buffer.getByte(offset + i) != arena[arenaOffset + i]) {
        return false;
      }
    }
    return true;
  }

  /** Adds {@code symbol}, whose canonical bytes are in {@code scratch[0 .. length)}. */
  private int add(String symbol, int byteHash, int length, boolean isUtf8) {
    int id = size;
    if (id == capacity) {
      throw new SymbolTableFullException(capacity);
    }
    if (length > MAX_SYMBOL_BYTES - arenaUsed) {
      throw new SymbolTableFullException(
          "symbol table full: its symbols' bytes would exceed "
              + MAX_SYMBOL_BYTES
              + " (use fewer or shorter distinct symbols)");
    }
    if (id == values.length) {
      growIds(Math.min(capacity, id * 2));
    }
    if (length > arena.length - arenaUsed) {
      long wanted = Math.max((long) arenaUsed + length, (long) arena.length * 2);
      arena = Arrays.copyOf(arena, (int) Math.min(wanted, MAX_SYMBOL_BYTES));
      arenaView.wrap(arena);
    }
    System.arraycopy(scratch, 0, arena, arenaUsed, length);
    byteHashes[id] = byteHash;
    byteOffsets[id] = arenaUsed;
    byteLengths[id] = length;
    utf8[id] = isUtf8;
    arenaUsed += length;

    long hash = Cyrb53.hash(symbol);
    String key = Cyrb53.base64Key(hash);
    if (!cyrb53Seen.add(hash)) {
      collisions++;
      key = key + "#" + id;
    }
    values[id] = symbol;
    hashes[id] = hash;
    keys[id] = key;
    insertSlot(id);
    size = id + 1;
    return id;
  }

  private void insertSlot(int id) {
    if ((size + 1) * 2 > slots.length) {
      int[] grown = emptySlots(slots.length * 2);
      for (int existing = 0; existing < size; existing++) {
        place(grown, existing);
      }
      slots = grown;
    }
    place(slots, id);
  }

  private void place(int[] table, int id) {
    int mask = table.length - 1;
    int i = byteHashes[id] & mask;
    while (table[i] != EMPTY_SLOT) {
      i = (i + 1) & mask;
    }
    table[i] = id;
  }

  private void growIds(int grown) {
    values = Arrays.copyOf(values, grown);
    hashes = Arrays.copyOf(hashes, grown);
    keys = Arrays.copyOf(keys, grown);
    byteHashes = Arrays.copyOf(byteHashes, grown);
    byteOffsets = Arrays.copyOf(byteOffsets, grown);
    byteLengths = Arrays.copyOf(byteLengths, grown);
    utf8 = Arrays.copyOf(utf8, grown);
  }

  /** A well-mixed 32-bit hash of the bytes, read eight at a time. */
  private static int hashBytes(DirectBuffer buffer, int offset, int length) {
    long h = 0x9E3779B97F4A7C15L ^ length;
    int i = 0;
    for (; i + Long.BYTES <= length; i += Long.BYTES) {
      h = Long.rotateLeft((h ^ buffer.getLong(offset + i)) * 0xFF51AFD7ED558CCDL, 29);
    }
    for (; i < length; i++) {
      h = (h ^ (buffer.getByte(offset + i) & 0xFF)) * 0x9E3779B97F4A7C15L;
    }
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 29;
    return (int) h;
  }

  private static int[] emptySlots(int length) {
    int[] table = new int[length];
    Arrays.fill(table, EMPTY_SLOT);
    return table;
  }

  private int checked(int id) {
    if (id < 0 || id >= size) {
      throw new IndexOutOfBoundsException("symbol id " + id + " not in [0, " + size + ")");
    }
    return id;
  }
}
