package io.tokenworks.protocol.latzero.block;

import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.BYTE_ORDER;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.CONTENT_VERSION_OFFSET;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.LEASE_EXPIRY_OFFSET;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.LEASE_OWNER_OFFSET;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.LEASE_STAMP_OFFSET;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.LEASE_WORD_OFFSET;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.SEQLOCK_OFFSET;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.UNPUBLISHED_LEASE_GRACE_MS;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.fencingToken;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.freeLeaseWord;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.heldLeaseWord;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.isHeld;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.EpochClock;

/**
 * The lease protocol over one mapping's lease line (see the package documentation). Every decision
 * is a compare-and-set on the shared lease word, so it holds across processes; the monitor only
 * guards this object's memory of an unpublished lease.
 */
final class BlockLeases {

  private final SharedBlock block;
  private final AtomicBuffer header;
  private final EpochClock clock;
  private final Object monitor = new Object();

  /** Token of an unpublished lease this object has seen, and when it first saw it. */
  private long unpublishedToken = -1;

  private long unpublishedSinceMs;

  /** Token of the lease this object granted and has not seen released; 0 for none. */
  private volatile long grantedToken;

  BlockLeases(SharedBlock block, AtomicBuffer header, EpochClock clock) {
    this.block = block;
    this.header = header;
    this.clock = clock;
  }

  WriteLease acquire(long ownerId, long leaseMillis) {
    checkDuration(leaseMillis);
    synchronized (monitor) {
      long word = header.getLongVolatile(LEASE_WORD_OFFSET);
      long nowMs = clock.time();
      if (isHeld(word) && !mayTakeOver(word, nowMs)) {
        throw held(word);
      }
      long token = fencingToken(word) + 1;
      if (!header.compareAndSetLong(LEASE_WORD_OFFSET, word, heldLeaseWord(token))) {
        throw held(header.getLongVolatile(LEASE_WORD_OFFSET));
      }
      long expiresAtMs = expiry(nowMs, leaseMillis);
      header.putLong(LEASE_OWNER_OFFSET, ownerId, BYTE_ORDER);
      header.putLongVolatile(LEASE_EXPIRY_OFFSET, expiresAtMs);
      // Published last: a stamp equal to the token vouches for the owner and expiry above.
      header.putLongRelease(LEASE_STAMP_OFFSET, token);
      boolean repaired = isHeld(word) && repairInterruptedWrite();
      grantedToken = token;
      return new WriteLease(block, token, ownerId, expiresAtMs, repaired);
    }
  }

  WriteLease renew(WriteLease lease, long leaseMillis) {
    checkOwn(lease);
    checkDuration(leaseMillis);
    while (true) {
      checkStillHeld(lease);
      long expiresAtMs = header.getLongVolatile(LEASE_EXPIRY_OFFSET);
      long renewedMs = expiry(clock.time(), leaseMillis);
      if (header.compareAndSetLong(LEASE_EXPIRY_OFFSET, expiresAtMs, renewedMs)) {
        if (!holds(lease)) {
          throw lost(lease);
        }
        return new WriteLease(block, lease.fencingToken(), lease.ownerId(), renewedMs, false);
      }
    }
  }

  boolean release(WriteLease lease) {
    checkOwn(lease);
    long token = lease.fencingToken();
    boolean released =
        header.compareAndSetLong(LEASE_WORD_OFFSET, heldLeaseWord(token), freeLeaseWord(token));
    if (grantedToken == token) {
      grantedToken = 0;
    }
    return released;
  }

  /** On close: gives back the lease this object granted, if it is still the current one. */
  void releaseHeld() {
    long token = grantedToken;
    if (token != 0) {
      header.compareAndSetLong(LEASE_WORD_OFFSET, heldLeaseWord(token), freeLeaseWord(token));
      grantedToken = 0;
    }
  }

  LeaseState state() {
    long word = header.getLongVolatile(LEASE_WORD_OFFSET);
    long token = fencingToken(word);
    boolean published = header.getLongAcquire(LEASE_STAMP_OFFSET) == token && token != 0;
    return new LeaseState(
        isHeld(word),
        token,
        published ? header.getLong(LEASE_OWNER_OFFSET, BYTE_ORDER) : -1,
        published ? header.getLongVolatile(LEASE_EXPIRY_OFFSET) : -1);
  }

  void checkOwn(WriteLease lease) {
    if (lease.block() != block) {
      throw new SharedBlockException(
          SharedBlockError.INVALID_ARGUMENT,
          "lease " + lease + " was granted by another SharedBlock than " + block.path());
    }
  }

  boolean holds(WriteLease lease) {
    return header.getLongVolatile(LEASE_WORD_OFFSET) == heldLeaseWord(lease.fencingToken());
  }

  /** Fails unless the lease is still the current one and unexpired. */
  void checkStillHeld(WriteLease lease) {
    if (!holds(lease)) {
      throw lost(lease);
    }
    long expiresAtMs = header.getLongVolatile(LEASE_EXPIRY_OFFSET);
    if (clock.time() >= expiresAtMs) {
      throw new SharedBlockException(
          SharedBlockError.LEASE_EXPIRED,
          "lease fencingToken="
              + lease.fencingToken()
              + " on "
              + block.path()
              + " expired at "
              + expiresAtMs
              + " (epoch ms)");
    }
  }

  SharedBlockException lost(WriteLease lease) {
    long current = header.getLongVolatile(LEASE_WORD_OFFSET);
    return new SharedBlockException(
        SharedBlockError.LEASE_LOST,
        "lease fencingToken="
            + lease.fencingToken()
            + " on "
            + block.path()
            + " is no longer held; current fencingToken="
            + fencingToken(current)
            + (isHeld(current) ? " (held)" : " (free)"));
  }

  /**
   * An expired lease may be taken over. So may one whose holder never published its expiry, once
   * this object has seen it unchanged for the grace period: a live holder publishes within
   * instructions of its compare-and-set, so only a holder that died in between leaves it so.
   */
  private boolean mayTakeOver(long word, long nowMs) {
    long token = fencingToken(word);
    if (header.getLongAcquire(LEASE_STAMP_OFFSET) == token) {
      return nowMs >= header.getLongVolatile(LEASE_EXPIRY_OFFSET);
    }
    if (unpublishedToken != token) {
      unpublishedToken = token;
      unpublishedSinceMs = nowMs;
      return false;
    }
    return nowMs - unpublishedSinceMs >= UNPUBLISHED_LEASE_GRACE_MS;
  }

  /**
   * After a takeover: a seqlock left odd means the previous holder died mid-write. Making it even
   * lets readers through again; the version bump tells them the data changed.
   */
  private boolean repairInterruptedWrite() {
    long stamp = header.getLongVolatile(SEQLOCK_OFFSET);
    if ((stamp & 1) == 0) {
      return false;
    }
    header.putLongVolatile(
        CONTENT_VERSION_OFFSET, header.getLong(CONTENT_VERSION_OFFSET, BYTE_ORDER) + 1);
    return header.compareAndSetLong(SEQLOCK_OFFSET, stamp, stamp + 1);
  }

  private SharedBlockException held(long word) {
    LeaseState state = state();
    return new SharedBlockException(
        SharedBlockError.LEASE_HELD,
        "the write lease of "
            + block.path()
            + " is held: fencingToken="
            + fencingToken(word)
            + " ownerId="
            + state.ownerId()
            + " expiresAtEpochMs="
            + state.expiresAtEpochMs());
  }

  /** Saturates instead of overflowing into the past for a huge lease. */
  private static long expiry(long nowMs, long leaseMillis) {
    return nowMs > Long.MAX_VALUE - leaseMillis ? Long.MAX_VALUE : nowMs + leaseMillis;
  }

  private static void checkDuration(long leaseMillis) {
    if (leaseMillis < 1) {
      throw new SharedBlockException(
          SharedBlockError.INVALID_ARGUMENT, "leaseMillis=" + leaseMillis + " must be at least 1");
    }
  }
}
