package io.tokenworks.latzero.memory;

/** Why a {@link BlockManager} operation failed. The server maps these to wire error codes. */
public enum MemoryError {
  /** No block of that name in that pool. */
  BLOCK_NOT_FOUND,
  /** A block of that name exists in that pool, or a file already sits at its path. */
  BLOCK_EXISTS,
  /** The caller's app id is not on the block's read or write list for this operation. */
  ACCESS_DENIED,
  /** The caller's session has not attached the block (in write mode, for writes and locks). */
  NOT_ATTACHED,
  /** An offset or length falls outside the block. */
  OUT_OF_BOUNDS,
  /** A size above the manager's configured limit. */
  SIZE_LIMIT,
  /** A size below 1. */
  INVALID_SIZE,
  /** A pool or block name that is empty, too long, {@code .}, {@code ..} or not [A-Za-z0-9._-]. */
  INVALID_NAME,
  /** Another argument is invalid: an unknown type or mode, a blank permission entry. */
  INVALID_ARGUMENT,
  /** Another session, or a process mapping the file, holds the block's write lock. */
  LOCK_HELD,
  /** An unlock with a lock id that is not the caller's current lock, or a lock taken over. */
  NOT_LOCK_HOLDER,
  /** The caller's lock expired; lock again. */
  LOCK_EXPIRED,
  /** A delete without force of a block some session still has attached. */
  BLOCK_IN_USE,
  /** The block stayed mid-write longer than the read timeout: a writer is stuck or died. */
  BUSY,
  /** The block's file could not be created, opened or removed; the message says which and why. */
  STORAGE_FAILURE,
  /** The manager is closed. */
  CLOSED
}
