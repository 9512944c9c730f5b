package io.tokenworks.tkn;

import java.util.Arrays;

/**
 * The miner's bank: a bounded set of windows (symbol-id sequences) with upstream lru-cache
 * semantics — {@link #contains} does not refresh recency, {@link #set} inserts or refreshes, and
 * inserting into a full bank evicts the least recently set window.
 *
 * <p>Windows are nodes of a trie: a length-1 window's node is found by its symbol id in an array, a
 * longer window's by (parent node, symbol id) in a {@link LongIntMap}. A node stays alive while it
 * is in the bank <em>or</em> has child nodes, so a window that is evicted and later set again keeps
 * the node identity of its surviving descendants, exactly as upstream's bank keyed by the whole
 * window's string would. A node that is neither in the bank nor a parent is removed at once, and
 * its parent is checked the same way. Memory is therefore bounded by the total length of the
 * windows in the bank.
 *
 * <p>The LRU order is an intrusive doubly linked list over node slots; freed slots are reused
 * through a free list. Nothing allocates once the arrays have grown to the working set.
 */
final class WindowBank {

  /** The parent of length-1 windows: the empty window, which is never itself in the bank. */
  static final int ROOT = -1;

  /** No node: the window has never been set, or its node was removed. */
  static final int NO_NODE = -2;

  private static final int NIL = -1;

  private final int capacity;

  /** Nodes of length-1 windows by symbol id: the trie's first level needs no hashing. */
  private int[] rootNodes = new int[0];

  /** Nodes of longer windows by (parent node, symbol id). */
  private final LongIntMap index;

  private int[] parent;
  private int[] symbol;
  private int[] childCount;
  private int[] newer;
  private int[] older;
  private boolean[] inBank;
  private int nodes;
  private int highWater;
  private int freeHead = NIL;
  private int newest = NIL;
  private int oldest = NIL;
  private int size;
  private long evictions;

  WindowBank(int capacity) {
    this.capacity = capacity;
    int initial = Math.min(capacity, 1 << 12) * 2;
    index = new LongIntMap(initial);
    parent = new int[initial];
    symbol = new int[initial];
    childCount = new int[initial];
    newer = new int[initial];
    older = new int[initial];
    inBank = new boolean[initial];
  }

  /** The node of window {@code node + symbolId}, or {@link #NO_NODE}. */
  int child(int node, int symbolId) {
    if (node == ROOT) {
      return symbolId < rootNodes.length ? rootNodes[symbolId] : NO_NODE;
    }
    if (node == NO_NODE) {
      return NO_NODE;
    }
    int child = index.get(key(node, symbolId));
    return child == LongIntMap.MISSING ? NO_NODE : child;
  }

  boolean contains(int node) {
    return node >= 0 && inBank[node];
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
    // Pin extended: an eviction while setting known could otherwise release its last child and
    // then extended itself. Its being a child of known also keeps known alive.
    childCount[extended]++;
    set(known);
    childCount[extended]--;
    set(extended);
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
      index.putNew(key(parentNode, symbolId), node);
      childCount[parentNode]++;
    }
    return node;
  }

  /** Sets the window of an existing node: moves it to the newest end, inserting it if absent. */
  void set(int node) {
    if (inBank[node]) {
      if (node != newest) {
        unlink(node);
        linkNewest(node);
      }
      return;
    }
    inBank[node] = true;
    linkNewest(node);
    if (++size > capacity) {
      evictOldest();
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

  private void evictOldest() {
    int node = oldest;
    unlink(node);
    inBank[node] = false;
    size--;
    evictions++;
    releaseIfUnused(node);
  }

  private void releaseIfUnused(int node) {
    while (!inBank[node] && childCount[node] == 0) {
      int up = parent[node];
      older[node] = freeHead;
      freeHead = node;
      nodes--;
      if (up == ROOT) {
        rootNodes[symbol[node]] = NO_NODE;
        return;
      }
      index.remove(key(up, symbol[node]));
      childCount[up]--;
      node = up;
    }
  }

  private int allocate(int parentNode, int symbolId) {
    int node;
    if (freeHead != NIL) {
      node = freeHead;
      freeHead = older[node];
    } else {
      if (highWater == parent.length) {
        grow();
      }
      node = highWater++;
    }
    parent[node] = parentNode;
    symbol[node] = symbolId;
    childCount[node] = 0;
    inBank[node] = false;
    nodes++;
    return node;
  }

  private void linkNewest(int node) {
    older[node] = newest;
    newer[node] = NIL;
    if (newest != NIL) {
      newer[newest] = node;
    } else {
      oldest = node;
    }
    newest = node;
  }

  private void unlink(int node) {
    int o = older[node];
    int n = newer[node];
    if (o != NIL) {
      newer[o] = n;
    } else {
      oldest = n;
    }
    if (n != NIL) {
      older[n] = o;
    } else {
      newest = o;
    }
  }

  private void grow() {
    int grown = parent.length * 2;
    parent = Arrays.copyOf(parent, grown);
    symbol = Arrays.copyOf(symbol, grown);
    childCount = Arrays.copyOf(childCount, grown);
    newer = Arrays.copyOf(newer, grown);
    older = Arrays.copyOf(older, grown);
    inBank = Arrays.copyOf(inBank, grown);
  }

  /** Trie key: parent node + 1 (so {@link #ROOT} is 0) above the symbol id's 32 bits. */
  private static long key(int parentNode, int symbolId) {
    return ((long) (parentNode + 1) << 32) | (symbolId & 0xFFFFFFFFL);
  }

  /**
   * Checks every structural invariant (for tests): LRU list and bank size agree, each live node is
   * in the bank or has children, child counts match, and the index maps exactly the live nodes.
   */
  void verifyIntegrity() {
    boolean[] free = new boolean[highWater];
    for (int f = freeHead; f != NIL; f = older[f]) {
      free[f] = true;
    }
    int listed = 0;
    int previous = NIL;
    for (int n = oldest; n != NIL; n = newer[n]) {
      check(inBank[n] && !free[n] && older[n] == previous, "LRU list broken at node " + n);
      previous = n;
      listed++;
    }
    check(previous == newest && listed == size && size <= capacity, "bank size " + size);
    int[] children = new int[highWater];
    int live = 0;
    int roots = 0;
    for (int n = 0; n < highWater; n++) {
      if (!free[n]) {
        live++;
        if (parent[n] == ROOT) {
          check(rootNodes[symbol[n]] == n, "root level misses node " + n);
          roots++;
        } else {
          check(index.get(key(parent[n], symbol[n])) == n, "index misses node " + n);
          check(!free[parent[n]], "node " + n + " has a freed parent");
          children[parent[n]]++;
        }
      }
    }
    for (int n = 0; n < highWater; n++) {
      if (!free[n]) {
        check(children[n] == childCount[n], "child count of node " + n);
        check(inBank[n] || childCount[n] > 0, "node " + n + " is neither banked nor a parent");
      }
    }
    for (int id = 0; id < rootNodes.length; id++) {
      int n = rootNodes[id];
      check(n == NO_NODE || (!free[n] && parent[n] == ROOT && symbol[n] == id), "root " + id);
    }
    check(live == nodes && index.size() + roots == nodes, "live nodes " + live + " vs " + nodes);
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException("window bank corrupt: " + message);
    }
  }
}
