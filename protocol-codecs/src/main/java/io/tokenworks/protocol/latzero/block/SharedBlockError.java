package io.tokenworks.protocol.latzero.block;

/** Why a {@link SharedBlock} operation failed. */
public enum SharedBlockError {
  /** No file at the path. */
  NOT_FOUND,
  /** {@link SharedBlock#create} found a file at the path; it was left untouched. */
  ALREADY_EXISTS,
  /** The file does not start with the block magic: it is not a block file. */
  NOT_A_BLOCK,
  /** The file is a block of a format version this code does not read. */
  UNSUPPORTED_VERSION,
  /** The identity fields fail their checksum, or name an impossible header length or size. */
  CORRUPT_HEADER,
  /** The file is shorter than its header, or than header plus the size the header declares. */
  TRUNCATED,
  /** The file is longer than header plus the size the header declares. */
  LENGTH_MISMATCH,
  /** A size to create is below 1 or above {@link SharedBlockDescriptor#MAX_DATA_SIZE}. */
  INVALID_SIZE,
  /** An offset or length falls outside the data region or the caller's array or buffer. */
  OUT_OF_BOUNDS,
  /** A write, lease or other mutation on a block opened {@link BlockAccess#READ_ONLY}. */
  READ_ONLY,
  /** Another writer holds an unexpired lease. */
  LEASE_HELD,
  /**
   * The lease was released or taken over by another writer with a higher fencing token: this holder
   * is fenced off and must acquire a new lease.
   */
  LEASE_LOST,
  /** The lease's expiry has passed: another writer may take it over at any moment. */
  LEASE_EXPIRED,
  /** A lease duration below 1 ms, or a lease acquired through another {@link SharedBlock}. */
  INVALID_ARGUMENT,
  /**
   * A read (or a write queued behind another thread of the same holder) waited longer than the read
   * timeout for a stable seqlock: a writer keeps the block busy, or died mid-write and no writer
   * has taken its lease over yet.
   */
  TIMEOUT,
  /** The {@link SharedBlock} was closed. */
  CLOSED,
  /** The JVM's native byte order is not little-endian, so the atomic words cannot be shared. */
  UNSUPPORTED_PLATFORM,
  /** The file could not be created, read or mapped; the cause says why. */
  IO_ERROR
}
