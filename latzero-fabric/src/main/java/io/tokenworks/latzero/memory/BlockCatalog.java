package io.tokenworks.latzero.memory;

import java.util.List;

/**
 * Durable metadata of the blocks a {@link BlockManager} owns (upstream's {@code memory_blocks}
 * table). The manager calls it off the data path: {@link #save} when a block is created, {@link
 * #remove} when it is deleted or collected, {@link #loadAll} once when it opens. Implementations
 * must be thread-safe and durable when a call returns.
 */
public interface BlockCatalog {

  /** Stores a record, replacing one with the same pool and block. */
  void save(BlockRecord record);

  /** Forgets a block; nothing happens when it is unknown. */
  void remove(String pool, String block);

  /** Every record saved and not removed. */
  List<BlockRecord> loadAll();
}
