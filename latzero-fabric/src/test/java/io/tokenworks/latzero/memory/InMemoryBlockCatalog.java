package io.tokenworks.latzero.memory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A catalog kept in a map, for tests; the integrator's catalog is SQLite. */
final class InMemoryBlockCatalog implements BlockCatalog {

  private final Map<String, BlockRecord> records = new ConcurrentHashMap<>();

  @Override
  public void save(BlockRecord record) {
    records.put(record.pool() + "/" + record.block(), record);
  }

  @Override
  public void remove(String pool, String block) {
    records.remove(pool + "/" + block);
  }

  @Override
  public List<BlockRecord> loadAll() {
    return List.copyOf(records.values());
  }

  BlockRecord get(String pool, String block) {
    return records.get(pool + "/" + block);
  }
}
