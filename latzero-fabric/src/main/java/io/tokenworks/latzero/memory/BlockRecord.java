package io.tokenworks.latzero.memory;

import java.util.Objects;

/**
 * What a {@link BlockCatalog} keeps about a block: everything but its contents and version, which
 * live in the block file itself.
 *
 * @param pool the pool name
 * @param block the block name inside the pool
 * @param size the data region's size in bytes
 * @param type upstream's type label
 * @param permissions who may read and write
 * @param persistent whether idle collection must keep the block
 * @param createdAtEpochMs when the block was created
 * @param createdBy the app that created it; it may delete the block without write permission
 */
public record BlockRecord(
    String pool,
    String block,
    int size,
    BlockType type,
    BlockPermissions permissions,
    boolean persistent,
    long createdAtEpochMs,
    String createdBy) {
  public BlockRecord {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(permissions, "permissions");
    Objects.requireNonNull(createdBy, "createdBy");
  }
}
