package io.tokenworks.tkn;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Interns symbols (their upstream string form) to dense int ids, first come first numbered, and
 * keeps for each id its value, its cyrb53 hash and its upstream key. Bounded: interning a new
 * symbol into a full table throws {@link SymbolTableFullException}; nothing is evicted, because ids
 * are referenced by the miner's bank and by tokens still on their way to the graph.
 *
 * <p>Identity is the exact string, never a fingerprint. Two different symbols whose cyrb53 hashes
 * are equal are still two ids; the collision is counted ({@link #collisions()}) and the later
 * symbol's key gets a {@code #n} suffix so graph keys stay unique.
 *
 * <p>One writer (the thread that interns) and any number of readers: {@link #value}, {@link #hash}
 * and {@link #key} may be called from another thread for ids below a {@link #size()} it has read.
 */
public final class SymbolTable {

  /** Upstream bounds nothing; a million distinct symbols per session or tenant is our default. */
  public static final int DEFAULT_CAPACITY = 1 << 20;

  private final int capacity;
  private final Map<String, Integer> ids = new HashMap<>();
  private final Map<Long, Integer> byHash = new HashMap<>();
  private volatile String[] values = new String[64];
  private volatile long[] hashes = new long[64];
  private volatile String[] keys = new String[64];
  private volatile int size;
  private long collisions;

  public SymbolTable() {
    this(DEFAULT_CAPACITY);
  }

  public SymbolTable(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  /** The id of {@code symbol}, interning it if it is new. */
  public int intern(String symbol) {
    Integer known = ids.get(symbol);
    if (known != null) {
      return known;
    }
    int id = size;
    if (id == capacity) {
      throw new SymbolTableFullException(capacity);
    }
    if (id == values.length) {
      int grown = Math.min(capacity, id * 2);
      values = Arrays.copyOf(values, grown);
      hashes = Arrays.copyOf(hashes, grown);
      keys = Arrays.copyOf(keys, grown);
    }
    long hash = Cyrb53.hash(symbol);
    String key = Cyrb53.base64Key(hash);
    Integer sameHash = byHash.putIfAbsent(hash, id);
    if (sameHash != null) {
      collisions++;
      key = key + "#" + id;
    }
    values[id] = symbol;
    hashes[id] = hash;
    keys[id] = key;
    ids.put(symbol, id);
    size = id + 1;
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

  private int checked(int id) {
    if (id < 0 || id >= size) {
      throw new IndexOutOfBoundsException("symbol id " + id + " not in [0, " + size + ")");
    }
    return id;
  }
}
