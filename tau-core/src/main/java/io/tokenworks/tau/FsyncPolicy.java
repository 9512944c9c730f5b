package io.tokenworks.tau;

/**
 * When the write-ahead log is forced to stable storage, and therefore what an acknowledged write
 * means.
 */
public enum FsyncPolicy {
  /**
   * A write completes only after the WAL holding it was forced: acknowledged means durable, even
   * across a power loss. Concurrent writes share one force (group commit).
   */
  ALWAYS,
  /**
   * A write completes once it is in the operating system's page cache; the WAL is forced at least
   * every {@link TauConfig#batchFsyncInterval()}, so a power loss loses at most that window. A
   * process crash loses nothing.
   */
  BATCH,
  /**
   * A write completes once it is in the operating system's page cache, and the WAL is forced only
   * at checkpoints (every {@link TauConfig#checkpointWalBytes()}), on the checkpoint thread; in
   * between the operating system writes it back when it chooses. A process crash loses nothing; a
   * power loss may lose everything since the last checkpoint.
   */
  NONE
}
