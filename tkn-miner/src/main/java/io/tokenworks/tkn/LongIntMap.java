package io.tokenworks.tkn;

import java.util.Arrays;

/**
 * Open-addressing map from non-negative {@code long} keys to {@code int} values, linear probing,
 * load factor at most one half, deletion by backward shift (no tombstones, so probe lengths stay
 * short however many removals there are). Allocates only when it grows.
 */
final class LongIntMap {

  static final int MISSING = -1;
  private static final long EMPTY = -1L;

  private long[] keys;
  private int[] values;
  private int mask;
  private int size;
  private int resizeAt;

  LongIntMap(int initialCapacity) {
    int capacity = Integer.highestOneBit(Math.max(16, initialCapacity * 2 - 1)) << 1;
    allocate(capacity);
  }

  int size() {
    return size;
  }

  /** The value of {@code key}, or {@link #MISSING}. */
  int get(long key) {
    long[] keys = this.keys;
    int mask = this.mask;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) {
        return values[i];
      }
      if (k == EMPTY) {
        return MISSING;
      }
    }
  }

  /** Maps {@code key} (which must be absent) to {@code value}. */
  void putNew(long key, int value) {
    int i = slot(key, mask);
    while (keys[i] != EMPTY) {
      i = (i + 1) & mask;
    }
    keys[i] = key;
    values[i] = value;
    if (++size > resizeAt) {
      rehash(keys.length << 1);
    }
  }

  /** Removes {@code key}, which must be present. */
  void remove(long key) {
    int i = slot(key, mask);
    while (keys[i] != key) {
      i = (i + 1) & mask;
    }
    size--;
    // Backward shift: pull later entries of the same probe run into the hole when their home slot
    // does not lie cyclically between the hole and their current slot.
    int hole = i;
    for (int j = (hole + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
      int home = slot(keys[j], mask);
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        keys[hole] = keys[j];
        values[hole] = values[j];
        hole = j;
      }
    }
    keys[hole] = EMPTY;
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private void allocate(int capacity) {
    keys = new long[capacity];
    Arrays.fill(keys, EMPTY);
    values = new int[capacity];
    mask = capacity - 1;
    resizeAt = capacity >>> 1;
  }

  private void rehash(int capacity) {
    long[] oldKeys = keys;
    int[] oldValues = values;
    allocate(capacity);
    for (int i = 0; i < oldKeys.length; i++) {
      long key = oldKeys[i];
      if (key != EMPTY) {
        int j = slot(key, mask);
        while (keys[j] != EMPTY) {
          j = (j + 1) & mask;
        }
        keys[j] = key;
        values[j] = oldValues[i];
      }
    }
  }
}
