package io.tokenworks.latzero.memory;

import io.tokenworks.protocol.latzero.block.SharedBlockException;

/** The manager's checks and its mapping of block file errors to {@link MemoryError}s. */
final class MemoryErrors {

  private MemoryErrors() {}

  static void checkBounds(ManagedBlock managed, int offset, int length) {
    int size = managed.record.size();
    if (offset < 0 || length < 0 || offset > size - length) {
      throw new MemoryException(
          MemoryError.OUT_OF_BOUNDS,
          "offset="
              + offset
              + " length="
              + length
              + " outside "
              + managed.name()
              + "'s "
              + size
              + " bytes");
    }
  }

  static MemoryException denied(Caller caller, ManagedBlock managed, String permission) {
    return new MemoryException(
        MemoryError.ACCESS_DENIED,
        "app " + caller.appId() + " lacks " + permission + " permission on " + managed.name());
  }

  static MemoryException translate(SharedBlockException e, ManagedBlock managed) {
    return translate(e, BlockKey.of(managed.record.pool(), managed.record.block()));
  }

  static MemoryException translate(SharedBlockException e, BlockKey key) {
    MemoryError error =
        switch (e.error()) {
          case OUT_OF_BOUNDS -> MemoryError.OUT_OF_BOUNDS;
          case CLOSED -> MemoryError.BLOCK_NOT_FOUND;
          case ALREADY_EXISTS -> MemoryError.BLOCK_EXISTS;
          case TIMEOUT -> MemoryError.BUSY;
          case LEASE_HELD -> MemoryError.LOCK_HELD;
          case LEASE_LOST -> MemoryError.NOT_LOCK_HOLDER;
          case LEASE_EXPIRED -> MemoryError.LOCK_EXPIRED;
          default -> MemoryError.STORAGE_FAILURE;
        };
    String message = "block " + key + ": " + e.getMessage();
    return error == MemoryError.STORAGE_FAILURE
        ? new MemoryException(error, message, e)
        : new MemoryException(error, message);
  }
}
