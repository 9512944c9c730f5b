package io.tokenworks.protocol.latzero.block;

/** How a process maps a block. */
public enum BlockAccess {
  /**
   * Mapped read-only: reads and views only. Every mutation fails with {@link
   * SharedBlockError#READ_ONLY} before touching the mapping (a store to a read-only mapping would
   * crash the JVM).
   */
  READ_ONLY,
  /** Mapped read-write: reads, views, leases and writes. */
  READ_WRITE
}
