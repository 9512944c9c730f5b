package io.tokenworks.latzero.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One {@code memory_blocks} row: the metadata of a shared-memory block (its bytes live in the block
 * file, not here).
 *
 * @param permissions the block's ACL as JSON, e.g. {@code {"read":["*"],"write":["*"]}}
 * @param config any further settings as a JSON object
 */
public record BlockRow(
    String blockId,
    String name,
    String pool,
    long size,
    String type,
    JsonNode permissions,
    long version,
    long createdMs,
    long updatedMs,
    boolean persistent,
    boolean encrypted,
    JsonNode config) {

  public BlockRow {
    Objects.requireNonNull(blockId, "blockId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(permissions, "permissions");
    Objects.requireNonNull(config, "config");
  }
}
