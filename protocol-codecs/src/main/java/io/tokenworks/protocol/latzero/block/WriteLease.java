package io.tokenworks.protocol.latzero.block;

/**
 * The right to write one block, granted by {@link SharedBlock#acquireWrite} and valid only on the
 * {@link SharedBlock} that granted it. Fencing tokens grow by one per grant over the life of the
 * file, across processes: a holder whose token is no longer the block's current one has been fenced
 * off, and its writes fail with {@link SharedBlockError#LEASE_LOST}.
 */
public final class WriteLease {

  private final SharedBlock block;
  private final long fencingToken;
  private final long ownerId;
  private final long expiresAtEpochMs;
  private final boolean repairedInterruptedWrite;

  WriteLease(
      SharedBlock block,
      long fencingToken,
      long ownerId,
      long expiresAtEpochMs,
      boolean repairedInterruptedWrite) {
    this.block = block;
    this.fencingToken = fencingToken;
    this.ownerId = ownerId;
    this.expiresAtEpochMs = expiresAtEpochMs;
    this.repairedInterruptedWrite = repairedInterruptedWrite;
  }

  SharedBlock block() {
    return block;
  }

  /** The token of this grant: higher than every earlier grant's on the same file. */
  public long fencingToken() {
    return fencingToken;
  }

  public long ownerId() {
    return ownerId;
  }

  /** When this grant (or renewal) expires, in epoch milliseconds. */
  public long expiresAtEpochMs() {
    return expiresAtEpochMs;
  }

  /**
   * Whether this lease was taken over from a holder that died in the middle of a write: the data
   * region may hold that write half done, and the holder should rewrite what it owns.
   */
  public boolean repairedInterruptedWrite() {
    return repairedInterruptedWrite;
  }

  @Override
  public String toString() {
    return "WriteLease[fencingToken="
        + fencingToken
        + ", ownerId="
        + ownerId
        + ", expiresAtEpochMs="
        + expiresAtEpochMs
        + ", repairedInterruptedWrite="
        + repairedInterruptedWrite
        + "]";
  }
}
