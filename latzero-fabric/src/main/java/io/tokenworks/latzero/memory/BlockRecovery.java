package io.tokenworks.latzero.memory;

import io.tokenworks.protocol.latzero.block.BlockAccess;
import io.tokenworks.protocol.latzero.block.SharedBlock;
import io.tokenworks.protocol.latzero.block.SharedBlockError;
import io.tokenworks.protocol.latzero.block.SharedBlockException;
import io.tokenworks.protocol.latzero.block.SharedBlockOptions;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reopens the blocks a catalog lists when a manager starts. Never truncates: a file that exists is
 * mapped as it is or, if it is not a valid block, left alone.
 */
final class BlockRecovery {

  private static final Logger LOG = LoggerFactory.getLogger(BlockRecovery.class);

  private BlockRecovery() {}

  /** Maps the file of a catalog record, or returns null when the block cannot be served. */
  static ManagedBlock load(
      BlockRecord record,
      Path root,
      BlockCatalog catalog,
      SharedBlockOptions blockOptions,
      long nowMs) {
    BlockKey key;
    try {
      key = BlockKey.of(record.pool(), record.block());
    } catch (MemoryException e) {
      LOG.warn("catalog record skipped: {}", e.getMessage());
      return null;
    }
    Path file = BlockNames.file(root, record.pool(), record.block());
    SharedBlock shared;
    try {
      shared = SharedBlock.open(file, BlockAccess.READ_WRITE, blockOptions);
    } catch (SharedBlockException e) {
      if (e.error() != SharedBlockError.NOT_FOUND) {
        LOG.warn("block {} skipped, its file is left untouched: {}", key, e.getMessage());
        return null;
      }
      if (!record.persistent()) {
        catalog.remove(record.pool(), record.block());
        LOG.info("block {} forgotten: its file is gone and it is not persistent", key);
        return null;
      }
      try {
        shared = SharedBlock.create(file, record.size(), blockOptions);
      } catch (SharedBlockException recreate) {
        LOG.warn("persistent block {} skipped: {}", key, recreate.getMessage());
        return null;
      }
      LOG.warn("persistent block {} had lost its file; created again, empty", key);
    }
    BlockRecord actual = record;
    if (shared.size() != record.size()) {
      LOG.warn("block {}: catalog says {} bytes, file holds {}", key, record.size(), shared.size());
      actual =
          new BlockRecord(
              record.pool(),
              record.block(),
              shared.size(),
              record.type(),
              record.permissions(),
              record.persistent(),
              record.createdAtEpochMs(),
              record.createdBy());
    }
    return new ManagedBlock(actual, file, shared, nowMs);
  }
}
