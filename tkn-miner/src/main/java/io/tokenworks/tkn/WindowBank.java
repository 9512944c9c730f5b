package io.tokenworks.tkn;

import java.util.Arrays;

/**
 * The miner's bank: a bounded set of windows (symbol-id sequences) with upstream lru-cache
 * semantics — {@link #contains} does not refresh recency, {@link #set} inserts or refreshes, and
 * inserting into a full bank evicts the least recently set window.
 *
 * <p>Windows are nodes of a trie: a length-1 window's node is found by its symbol id in an array, a
 * longer window's by (parent node, symbol id) in an open-addressing table of node ids. A node stays
 * alive while it is in the bank <em>or</em> has child nodes, so a window that is evicted and later
 * set again keeps the node identity of its surviving descendants, exactly as upstream's bank keyed
 * by the whole window's string would. A node that is neither in the bank nor a parent is removed at
 * once, and its parent is checked the same way. Memory is therefore bounded by the total length of
 * the windows in the bank.
 *
 * <p>Layout is chosen for the miner's per-symbol path, which is one {@link #child} probe and one
 * {@link #contains} test: each node is one fixed-size record in a single {@code int[]}, so the
 * table probe's key check, the bank flag and the LRU links of a node share a cache line instead of
 * being spread over parallel arrays; the table holds only node ids (keys live in the records), and
 * each record keeps its key's hash so removal and rehashing never recompute it. The LRU order is an
 * intrusive doubly linked list through the records; freed records are reused through a free list.
 * Nothing allocates once the arrays have grown to the working set.
 */
final class WindowBank {

  /** The parent of length-1 windows: the empty window, which is never itself in the bank. */
  static final int ROOT = -1;

  /** No node: the window has never been set, or its node was removed. */
  static final int NO_NODE = -2;

  private static final int NIL = -1;
  private static final int EMPTY = -1;

  // Record fields. The lookup fields (parent, symbol, state) come first so that they share a cache
  // line whatever the record's alignment.
  private static final int SHIFT = 3;
  private static final int PARENT = 0;
  private static final int SYMBOL = 1;

  /** Child count times two, plus one if the window is in the bank: zero means unused. */
  private static final int STATE = 2;

  private static final int HASH = 3;
  private static final int NEWER = 4;
  private static final int OLDER = 5;

  private static final int IN_BANK = 1;
  private static final int ONE_CHILD = 2;

  /** Records of more nodes would not fit an {@code int[]}. */
  private static final int MAX_NODES = 1 << (31 - SHIFT - 1);

  private final int capacity;

  /** Nodes of length-1 windows by symbol id: the trie's first level needs no hashing. */
  private int[] rootNodes = new int[0];

  private int[] records;

  /** Node ids of longer windows, by the hash of (parent node, symbol id); linear probing. */
  private int[] table;

  private int tableShift;
  private int tableMask;
  private int tableSize;
  private int tableResizeAt;

  private int nodes;
  private int highWater;
  private int freeHead = NIL;
  private int newest = NIL;
  private int oldest = NIL;
  private int size;
  private long evictions;

  WindowBank(int capacity) {
    this.capacity = capacity;
    int initialNodes = Math.min(capacity, 1 << 12) * 2;
    records = new int[initialNodes << SHIFT];
    // A sparse table (load about an eighth at the initial working set, never over a quarter) is
    // markedly faster: most probes, hits and misses alike, end at the home slot, so the probe
    // loop's branches stay predictable. It costs 4 bytes a slot.
    allocateTable(Integer.highestOneBit(initialNodes - 1) << 3);
  }

  /** The node of window {@code node + symbolId}, or {@link #NO_NODE}. */
  int child(int node, int symbolId) {
    if (node < 0) {
      if (node == ROOT && symbolId < rootNodes.length) {
        return rootNodes[symbolId];
      }
      return NO_NODE;
    }
    int[] table = this.table;
    int[] records = this.records;
    int mask = tableMask;
    for (int i = hash(node, symbolId) >>> tableShift; ; i = (i + 1) & mask) {
      int candidate = table[i];
      if (candidate == EMPTY) {
        return NO_NODE;
      }
      int r = candidate << SHIFT;
      if (records[r + SYMBOL] == symbolId && records[r + PARENT] == node) {
        return candidate;
      }
    }
  }

  boolean contains(int node) {
    return node >= 0 && (records[(node << SHIFT) + STATE] & IN_BANK) != 0;
  }

  /**
   * Sets the length-1 window {@code symbolId}, whose node is {@code node} or {@link #NO_NODE} if it
   * has none yet; returns its node.
   */
  int setRoot(int node, int symbolId) {
    if (node == NO_NODE) {
      node = createChild(ROOT, symbolId);
    }
    set(node);
    return node;
  }

  /**
   * Upstream's two sets at an emission: {@code known}, then {@code extended} = known + {@code
   * symbolId}. Either node may be {@link #NO_NODE} (known only if it is the length-1 window {@code
   * knownSymbol}); missing nodes are created first.
   */
  void setKnownThenExtended(int known, int knownSymbol, int extended, int symbolId) {
    if (known == NO_NODE) {
      known = createChild(ROOT, knownSymbol);
    }
    if (extended == NO_NODE) {
      extended = createChild(known, symbolId);
    }
    int[] records = this.records;
    int knownRecord = known << SHIFT;
    if ((records[knownRecord + STATE] & IN_BANK) != 0) {
      // The usual case: known grew through bank hits, so setting it only refreshes it.
      if (known != newest) {
        unlink(records, knownRecord);
        linkNewest(records, known, knownRecord);
      }
    } else {
      // Pin extended: the eviction this insertion causes could otherwise release its last child
      // and then extended itself. Its being a child of known also keeps known alive.
      int pin = (extended << SHIFT) + STATE;
      records[pin] += ONE_CHILD;
      insert(records, known, knownRecord);
      records[pin] -= ONE_CHILD;
    }
    // Extended was missed by the caller's lookup, so it is not in the bank.
    insert(records, extended, extended << SHIFT);
  }

  private int createChild(int parentNode, int symbolId) {
    int node = allocate(parentNode, symbolId);
    if (parentNode == ROOT) {
      if (symbolId >= rootNodes.length) {
        int grown = Math.max(symbolId + 1, rootNodes.length * 2);
        int from = rootNodes.length;
        rootNodes = Arrays.copyOf(rootNodes, grown);
        Arrays.fill(rootNodes, from, grown, NO_NODE);
      }
      rootNodes[symbolId] = node;
    } else {
      int hash = hash(parentNode, symbolId);
      records[(node << SHIFT) + HASH] = hash;
      index(node, hash);
      records[(parentNode << SHIFT) + STATE] += ONE_CHILD;
    }
    return node;
  }

  /** Sets the window of an existing node: moves it to the newest end, inserting it if absent. */
  void set(int node) {
    int[] records = this.records;
    int r = node << SHIFT;
    if ((records[r + STATE] & IN_BANK) == 0) {
      insert(records, node, r);
    } else if (node != newest) {
      unlink(records, r);
      linkNewest(records, node, r);
    }
  }

  /** Inserts a node that is not in the bank as the newest window, evicting the oldest if full. */
  private void insert(int[] records, int node, int r) {
    records[r + STATE] |= IN_BANK;
    linkNewest(records, node, r);
    if (size == capacity) {
      evictOldest(records);
    } else {
      size++;
    }
  }

  int size() {
    return size;
  }

  long evictions() {
    return evictions;
  }

  /** Live trie nodes: windows in the bank plus evicted windows that still have children. */
  int nodes() {
    return nodes;
  }

  /** Evicts the oldest window; the newest was just linked, so the oldest has a newer one. */
  private void evictOldest(int[] records) {
    int node = oldest;
    int r = node << SHIFT;
    int next = records[r + NEWER];
    records[(next << SHIFT) + OLDER] = NIL;
    oldest = next;
    evictions++;
    if ((records[r + STATE] -= IN_BANK) == 0) {
      release(records, node);
    }
  }

  /** Frees an unused node, then each ancestor that it leaves unused. */
  private void release(int[] records, int node) {
    while (true) {
      int r = node << SHIFT;
      int up = records[r + PARENT];
      records[r + OLDER] = freeHead;
      freeHead = node;
      nodes--;
      if (up == ROOT) {
        rootNodes[records[r + SYMBOL]] = NO_NODE;
        return;
      }
      remove(records, node, records[r + HASH]);
      if ((records[(up << SHIFT) + STATE] -= ONE_CHILD) != 0) {
        return;
      }
      node = up;
    }
  }

  private int allocate(int parentNode, int symbolId) {
    int node;
    if (freeHead != NIL) {
      node = freeHead;
      freeHead = records[(node << SHIFT) + OLDER];
    } else {
      if (highWater << SHIFT == records.length) {
        growRecords();
      }
      node = highWater++;
    }
    int r = node << SHIFT;
    records[r + PARENT] = parentNode;
    records[r + SYMBOL] = symbolId;
    records[r + STATE] = 0;
    nodes++;
    return node;
  }

  private void linkNewest(int[] records, int node, int r) {
    records[r + OLDER] = newest;
    records[r + NEWER] = NIL;
    if (newest != NIL) {
      records[(newest << SHIFT) + NEWER] = node;
    } else {
      oldest = node;
    }
    newest = node;
  }

  private void unlink(int[] records, int r) {
    int o = records[r + OLDER];
    int n = records[r + NEWER];
    if (o != NIL) {
      records[(o << SHIFT) + NEWER] = n;
    } else {
      oldest = n;
    }
    if (n != NIL) {
      records[(n << SHIFT) + OLDER] = o;
    } else {
      newest = o;
    }
  }

  private void growRecords() {
    if (highWater >= MAX_NODES) {
      throw new IllegalStateException(
          "window bank: more than " + MAX_NODES + " trie nodes; lower bankCapacity or maxWindow");
    }
    records = Arrays.copyOf(records, records.length * 2);
  }

  /**
   * Fibonacci hashing of the (parent, symbol) pair: the product's top 32 bits, whose own top bits
   * are the table slot.
   */
  private static int hash(int parentNode, int symbolId) {
    long key = ((long) parentNode << 32) | symbolId;
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> 32);
  }

  private void index(int node, int hash) {
    if (++tableSize > tableResizeAt) {
      rehash(table.length << 1);
    }
    int i = hash >>> tableShift;
    while (table[i] != EMPTY) {
      i = (i + 1) & tableMask;
    }
    table[i] = node;
  }

  /** Removes {@code node} (which is in the table) by backward shift: no tombstones. */
  private void remove(int[] records, int node, int hash) {
    int[] table = this.table;
    int mask = tableMask;
    int shift = tableShift;
    int hole = hash >>> shift;
    while (table[hole] != node) {
      hole = (hole + 1) & mask;
    }
    tableSize--;
    // Pull later entries of the probe run into the hole unless their home slot lies cyclically
    // after the hole (up to their own slot).
    for (int j = (hole + 1) & mask; ; j = (j + 1) & mask) {
      int moved = table[j];
      if (moved == EMPTY) {
        break;
      }
      int home = records[(moved << SHIFT) + HASH] >>> shift;
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        table[hole] = moved;
        hole = j;
      }
    }
    table[hole] = EMPTY;
  }

  private void allocateTable(int slots) {
    table = new int[slots];
    Arrays.fill(table, EMPTY);
    tableMask = slots - 1;
    tableShift = Integer.numberOfLeadingZeros(slots) + 1;
    tableResizeAt = slots >>> 2;
  }

  private void rehash(int slots) {
    int[] old = table;
    allocateTable(slots);
    for (int node : old) {
      if (node != EMPTY) {
        int i = records[(node << SHIFT) + HASH] >>> tableShift;
        while (table[i] != EMPTY) {
          i = (i + 1) & tableMask;
        }
        table[i] = node;
      }
    }
  }

  /**
   * Checks every structural invariant (for tests): LRU list and bank size agree, each live node is
   * in the bank or has children, child counts match, and the table holds exactly the live nodes
   * below the root level, each findable from its home slot.
   */
  void verifyIntegrity() {
    boolean[] free = new boolean[highWater];
    for (int f = freeHead; f != NIL; f = records[(f << SHIFT) + OLDER]) {
      free[f] = true;
    }
    int listed = 0;
    int previous = NIL;
    for (int n = oldest; n != NIL; n = records[(n << SHIFT) + NEWER]) {
      check(
          contains(n) && !free[n] && records[(n << SHIFT) + OLDER] == previous,
          "LRU list broken at node " + n);
      previous = n;
      listed++;
    }
    check(previous == newest && listed == size && size <= capacity, "bank size " + size);
    int[] children = new int[highWater];
    int live = 0;
    int roots = 0;
    for (int n = 0; n < highWater; n++) {
      if (!free[n]) {
        int r = n << SHIFT;
        live++;
        if (records[r + PARENT] == ROOT) {
          check(rootNodes[records[r + SYMBOL]] == n, "root level misses node " + n);
          roots++;
        } else {
          int p = records[r + PARENT];
          check(records[r + HASH] == hash(p, records[r + SYMBOL]), "stale hash of node " + n);
          check(child(p, records[r + SYMBOL]) == n, "table misses node " + n);
          check(!free[p], "node " + n + " has a freed parent");
          children[p]++;
        }
      }
    }
    for (int n = 0; n < highWater; n++) {
      if (!free[n]) {
        int state = records[(n << SHIFT) + STATE];
        check(children[n] == state >>> 1, "child count of node " + n);
        check(state != 0, "node " + n + " is neither banked nor a parent");
      }
    }
    for (int id = 0; id < rootNodes.length; id++) {
      int n = rootNodes[id];
      check(
          n == NO_NODE
              || (!free[n]
                  && records[(n << SHIFT) + PARENT] == ROOT
                  && records[(n << SHIFT) + SYMBOL] == id),
          "root " + id);
    }
    int entries = 0;
    for (int n : table) {
      if (n != EMPTY) {
        check(n < highWater && !free[n], "table holds freed node " + n);
        entries++;
      }
    }
    check(entries == tableSize, "table size " + tableSize + " vs " + entries);
    check(live == nodes && tableSize + roots == nodes, "live nodes " + live + " vs " + nodes);
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException("window bank corrupt: " + message);
    }
  }
}
