package io.tokenworks.latzero.memory;

/**
 * Who holds a block's write lease, for inspection.
 *
 * @param fencingToken the holder's token
 * @param sessionId the session holding it as a lock, or null when the holder is outside this
 *     manager's locks (a process mapping the file, or a write in progress)
 * @param ownerId the owner id the holder published (a pid for this manager's locks), -1 if unknown
 * @param expiresAtEpochMs when the lease expires, -1 if unknown
 */
public record LockInfo(long fencingToken, String sessionId, long ownerId, long expiresAtEpochMs) {}
