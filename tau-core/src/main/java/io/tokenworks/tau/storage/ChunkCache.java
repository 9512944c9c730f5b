package io.tokenworks.tau.storage;

import io.tokenworks.tau.TauError;
import io.tokenworks.tau.TauException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;

/**
 * The decoded points of stored chunks read recently, up to a budget of bytes (16 per point), shared
 * by every series of an engine. Stored chunks are read back from their pack files when a query
 * reaches them; keeping the last ones read makes a dashboard that asks for the same window again,
 * or a point lookup next to the last, cost a memory read instead of a file read and a decode.
 *
 * <p>A hit is two volatile reads on the reader's thread, no lock. A miss reads and decodes on the
 * reader's thread without any lock held (two readers missing the same chunk may both decode it),
 * then takes the cache's lock to account for the result and evict: second chance over the chunks in
 * the order they were loaded, so a chunk read again since the last round stays for one more.
 * Evicted points are ordinary heap arrays the collector frees once no reader holds them.
 */
public final class ChunkCache {

  private final long budgetBytes;
  private final LongAdder reads = new LongAdder();

  // Guarded by this.
  private final ArrayDeque<StoredChunk> kept = new ArrayDeque<>();
  private long keptBytes;

  /** A cache keeping up to {@code budgetBytes} of decoded points; 0 keeps none. */
  public ChunkCache(long budgetBytes) {
    if (budgetBytes < 0) {
      throw new IllegalArgumentException("budgetBytes must not be negative: " + budgetBytes);
    }
    this.budgetBytes = budgetBytes;
  }

  /** Stored chunks read back from disk so far. */
  public long reads() {
    return reads.sum();
  }

  /** Bytes of decoded points kept now. */
  public synchronized long keptBytes() {
    return keptBytes;
  }

  /** Reads {@code chunk}'s points from its pack, keeping them if the budget allows. */
  Block load(StoredChunk chunk) {
    ChunkFile.Chunk read;
    try {
      read = ChunkFile.readImage(chunk.pack(), chunk.offset(), chunk.length());
    } catch (IOException e) {
      throw new TauException(
          TauError.STORAGE_FAILURE, "cannot read stored chunk " + chunk + ": " + e.getMessage(), e);
    }
    if (read.count() != chunk.count() || read.maxTs() != chunk.lastTimestamp()) {
      throw new TauException(
          TauError.STORAGE_FAILURE,
          "stored chunk "
              + chunk
              + " holds "
              + read.count()
              + " points up to "
              + read.maxTs()
              + ", not the "
              + chunk.count()
              + " up to "
              + chunk.lastTimestamp()
              + " indexed when it was stored");
    }
    reads.increment();
    Block block = Block.onHeap(read.timestamps(), read.values(), read.count());
    keep(chunk, block);
    return block;
  }

  private synchronized void keep(StoredChunk chunk, Block block) {
    long bytes = bytesOf(chunk);
    if (bytes > budgetBytes || chunk.loaded != null) {
      return;
    }
    chunk.loaded = block;
    chunk.referenced = true;
    kept.addLast(chunk);
    keptBytes += bytes;
    while (keptBytes > budgetBytes) {
      StoredChunk oldest = kept.pollFirst();
      if (oldest.referenced) {
        oldest.referenced = false;
        kept.addLast(oldest);
      } else {
        oldest.loaded = null;
        keptBytes -= bytesOf(oldest);
      }
    }
  }

  private static long bytesOf(StoredChunk chunk) {
    return 2L * Long.BYTES * chunk.count();
  }
}
