package io.tokenworks.tau.storage;

import java.util.Arrays;

/**
 * What readers of a {@link SeriesData} see: the first {@code sealedCount} entries of {@code sealed}
 * and {@code sealedLast} (the last timestamp of each sealed chunk), then the head. The arrays have
 * room to spare and are shared by successive snapshots: sealing writes the next free slot and
 * publishes a snapshot with a count one higher, so a reader of an older snapshot never looks at
 * that slot, and a seal costs O(1) instead of a copy of the whole list (which, at 270 seals a
 * second, grew to hundreds of MB/s of garbage within minutes, and made loading n chunks O(n²)). A
 * checkpoint's stored chunks replace their blocks in place: a reader finds either, and both hold
 * the same points.
 */
record SeriesSnapshot(SealedChunk[] sealed, long[] sealedLast, int sealedCount, Block head) {

  private static final SealedChunk[] NO_CHUNKS = new SealedChunk[0];
  private static final long[] NO_TIMESTAMPS = new long[0];

  /** A series without sealed chunks whose head is {@code head}. */
  static SeriesSnapshot of(Block head) {
    return new SeriesSnapshot(NO_CHUNKS, NO_TIMESTAMPS, 0, head);
  }

  /** This snapshot with {@code chunk} sealed after its chunks and {@code nextHead} as the head. */
  SeriesSnapshot withSealed(SealedChunk chunk, Block nextHead) {
    int n = sealedCount;
    SealedChunk[] chunks = sealed;
    long[] last = sealedLast;
    if (n == chunks.length) {
      int capacity = Math.max(16, 2 * n);
      chunks = Arrays.copyOf(chunks, capacity);
      last = Arrays.copyOf(last, capacity);
    }
    chunks[n] = chunk;
    last[n] = chunk.lastTimestamp();
    return new SeriesSnapshot(chunks, last, n + 1, nextHead);
  }

  /**
   * Index of the first chunk whose last timestamp is {@code >= timestamp} ({@code sealedCount} for
   * the head), or -1 when there is none.
   */
  int blockAtOrAfter(long timestamp) {
    int n = sealedCount;
    long[] last = sealedLast;
    if (n > 2 && timestamp > last[0] && timestamp <= last[n - 1]) {
      // Chunks of a regular series span equal times: guess the chunk from the time alone, a few
      // instructions where a binary search over the index takes a dozen unpredictable branches,
      // and keep the guess if the index confirms it.
      double fraction = ((double) timestamp - last[0]) / ((double) last[n - 1] - last[0]);
      int guess = Math.max(1, Math.min(n - 1, (int) Math.ceil(fraction * (n - 1))));
      if (last[guess - 1] < timestamp && timestamp <= last[guess]) {
        return guess;
      }
    }
    int found = Arrays.binarySearch(last, 0, n, timestamp);
    int b = found >= 0 ? found : -found - 1;
    if (b < n) {
      return b;
    }
    int headCount = head.count();
    return headCount > 0 && head.timestamp(headCount - 1) >= timestamp ? b : -1;
  }

  /** The points of chunk {@code b} (the head for {@code sealedCount}), read back if stored. */
  Block points(int b) {
    return b < sealedCount ? sealed[b].points() : head;
  }

  /**
   * Where {@code timestamp} is in chunk {@code b} (whose points are {@code block}), as {@link
   * Block#search(long, int)}: past the first chunk the index's last timestamps bound the chunk, so
   * the search starts without reading the block's ends.
   */
  int search(int b, Block block, long timestamp) {
    int n = block.count();
    if (b == 0 || n == 0) {
      return block.search(timestamp, n);
    }
    long last = b < sealedCount ? sealedLast[b] : block.timestamp(n - 1);
    return block.search(timestamp, n, sealedLast[b - 1], last);
  }
}
