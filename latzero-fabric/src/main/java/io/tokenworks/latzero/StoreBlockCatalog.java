package io.tokenworks.latzero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenworks.latzero.memory.BlockCatalog;
import io.tokenworks.latzero.memory.BlockPermissions;
import io.tokenworks.latzero.memory.BlockRecord;
import io.tokenworks.latzero.memory.BlockType;
import io.tokenworks.latzero.memory.MemoryError;
import io.tokenworks.latzero.memory.MemoryException;
import io.tokenworks.latzero.store.BlockRow;
import io.tokenworks.latzero.store.FabricStore;
import io.tokenworks.latzero.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Block metadata in upstream's {@code memory_blocks} table. The row's {@code block_id} is {@code
 * <pool>:<block>}, upstream's own form; the content version lives in the block file, so the column
 * keeps the version the block was created with.
 */
final class StoreBlockCatalog implements BlockCatalog {

  private static final Logger LOG = LoggerFactory.getLogger(StoreBlockCatalog.class);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final FabricStore store;

  StoreBlockCatalog(FabricStore store) {
    this.store = store;
  }

  @Override
  public void save(BlockRecord record) {
    ObjectNode config = JSON.objectNode().put("created_by", record.createdBy());
    BlockRow row =
        new BlockRow(
            blockId(record.pool(), record.block()),
            record.block(),
            record.pool(),
            record.size(),
            record.type().wireName(),
            permissions(record.permissions()),
            0,
            record.createdAtEpochMs(),
            record.createdAtEpochMs(),
            record.persistent(),
            false,
            config);
    await(store.saveBlock(row), "storing block " + row.blockId());
  }

  @Override
  public void remove(String pool, String block) {
    await(store.deleteBlock(blockId(pool, block)), "removing block " + blockId(pool, block));
  }

  @Override
  public List<BlockRecord> loadAll() {
    List<BlockRecord> records = new ArrayList<>();
    for (BlockRow row : await(store.loadBlocks(), "loading blocks")) {
      try {
        records.add(
            new BlockRecord(
                row.pool(),
                row.name(),
                Math.toIntExact(row.size()),
                BlockType.fromWire(row.type()),
                new BlockPermissions(
                    list(row.permissions(), "read"), list(row.permissions(), "write")),
                row.persistent(),
                row.createdMs(),
                row.config().path("created_by").asText("")));
      } catch (RuntimeException e) {
        // A hand-edited or foreign row: skip it rather than refuse to start, and say so.
        LOG.warn("ignoring memory_blocks row {}: {}", row.blockId(), e.getMessage());
      }
    }
    return records;
  }

  static String blockId(String pool, String block) {
    return pool + ":" + block;
  }

  private static ObjectNode permissions(BlockPermissions permissions) {
    ObjectNode node = JSON.objectNode();
    ArrayNode read = node.putArray("read");
    permissions.read().forEach(read::add);
    ArrayNode write = node.putArray("write");
    permissions.write().forEach(write::add);
    return node;
  }

  private static List<String> list(JsonNode permissions, String field) {
    List<String> entries = new ArrayList<>();
    permissions.path(field).forEach(entry -> entries.add(entry.asText()));
    return entries;
  }

  private static <T> T await(CompletableFuture<T> future, String what) {
    try {
      return FabricStore.await(future);
    } catch (StoreException e) {
      throw new MemoryException(
          MemoryError.STORAGE_FAILURE, what + " failed: " + e.getMessage(), e);
    }
  }
}
