package io.tokenworks.tau.storage;

import java.nio.file.Path;

/**
 * A sealed chunk whose points are in a pack file, at {@code offset} for {@code length} bytes (one
 * complete image, header included): what a series keeps of a chunk once a checkpoint has stored it,
 * a few dozen bytes instead of 16 per point. Its points are read back through the engine's {@link
 * ChunkCache}, which keeps the chunks read recently.
 */
public final class StoredChunk implements SealedChunk {

  private final ChunkCache cache;
  private final Path pack;
  private final long offset;
  private final int length;
  private final int count;
  private final long lastTimestamp;

  /**
   * The min, max and sum of the chunk's values: from the pack's index, or worked out the first time
   * an aggregate read the whole chunk (packs from before summaries); null until known.
   */
  private volatile ValueSummary summary;

  /** The decoded points while the cache keeps them; set and cleared by the cache. */
  volatile Block loaded;

  /** Read since the cache last looked: spares the chunk one eviction round. */
  volatile boolean referenced;

  StoredChunk(
      ChunkCache cache,
      Path pack,
      long offset,
      int length,
      int count,
      long lastTimestamp,
      ValueSummary summary) {
    this.cache = cache;
    this.summary = summary;
    this.pack = pack;
    this.offset = offset;
    this.length = length;
    this.count = count;
    this.lastTimestamp = lastTimestamp;
  }

  @Override
  public int count() {
    return count;
  }

  @Override
  public long lastTimestamp() {
    return lastTimestamp;
  }

  @Override
  public Block points() {
    Block block = loaded;
    if (block == null) {
      return cache.load(this);
    }
    if (!referenced) {
      referenced = true;
    }
    return block;
  }

  @Override
  public ValueSummary summary() {
    return summary;
  }

  @Override
  public void summarized(ValueSummary known) {
    summary = known;
  }

  Path pack() {
    return pack;
  }

  long offset() {
    return offset;
  }

  int length() {
    return length;
  }

  @Override
  public String toString() {
    return "StoredChunk[" + pack + " @" + offset + ", " + count + " points]";
  }
}
