package io.tokenworks.tkn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The miner's semantics written as plainly as possible, for differential tests: windows are lists
 * used as keys of an insertion-ordered map, which is upstream's lru-cache when every {@code set}
 * re-inserts its key and lookups do not touch the order.
 */
final class ReferenceMiner {

  private final int capacity;
  private final int maxWindow;
  private final LinkedHashMap<List<Integer>, Boolean> bank = new LinkedHashMap<>();
  private final List<Integer> window = new ArrayList<>();
  private final List<List<Integer>> tokens = new ArrayList<>();

  ReferenceMiner(MinerConfig config) {
    this.capacity = config.bankCapacity();
    this.maxWindow = config.maxWindow();
  }

  void accept(int symbol) {
    window.add(symbol);
    if (bank.containsKey(window)) {
      if (window.size() == maxWindow) {
        set(window);
        emitWindow();
      }
      return;
    }
    List<Integer> known = List.copyOf(window.subList(0, window.size() - 1));
    if (!known.isEmpty()) {
      set(known);
    }
    set(window);
    if (!known.isEmpty()) {
      tokens.add(known);
    }
    window.clear();
    window.add(symbol);
    if (window.size() == maxWindow) {
      set(window);
      emitWindow();
    }
  }

  void flush() {
    if (!window.isEmpty()) {
      emitWindow();
    }
  }

  List<List<Integer>> tokens() {
    return tokens;
  }

  int bankSize() {
    return bank.size();
  }

  private void emitWindow() {
    tokens.add(List.copyOf(window));
    window.clear();
  }

  private void set(List<Integer> key) {
    List<Integer> copy = List.copyOf(key);
    bank.remove(copy);
    bank.put(copy, Boolean.TRUE);
    if (bank.size() > capacity) {
      Iterator<List<Integer>> eldest = bank.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
  }
}
