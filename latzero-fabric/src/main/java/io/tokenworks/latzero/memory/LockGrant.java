package io.tokenworks.latzero.memory;

/**
 * A block write lock granted to a session.
 *
 * @param lockId the fencing token of the block's lease: higher than every earlier lock's on the
 *     same file, and the id {@link BlockManager#unlock} requires
 * @param expiresAtEpochMs when the lock lapses unless released; another writer may then take it
 */
public record LockGrant(long lockId, long expiresAtEpochMs) {}
