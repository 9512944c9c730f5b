package io.tokenworks.tau.storage;

/**
 * A sealed chunk of a series as readers find it: a {@link Block} in memory until a checkpoint has
 * stored it, then a {@link StoredChunk} whose points are read back from its pack file on demand.
 * Either way the chunk's count and last timestamp are known without touching its points.
 */
public sealed interface SealedChunk permits Block, StoredChunk {

  /** Points in the chunk. */
  int count();

  /** The timestamp of the chunk's last point. */
  long lastTimestamp();

  /**
   * The min, max and sum of the chunk's values when known: from the pack's index for a stored
   * chunk, or worked out by the first aggregate that covered the whole chunk; null until then.
   */
  ValueSummary summary();

  /**
   * Keeps {@code known}, worked out from the chunk's points while they were intact, for later
   * aggregates.
   */
  void summarized(ValueSummary known);

  /**
   * The chunk's points in memory, read back from disk first when they are not.
   *
   * @throws io.tokenworks.tau.TauException STORAGE_FAILURE when a stored chunk cannot be read
   */
  Block points();
}
