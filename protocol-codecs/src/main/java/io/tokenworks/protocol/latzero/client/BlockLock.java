package io.tokenworks.protocol.latzero.client;

/**
 * A block's write lock held by this client's session.
 *
 * @param lockId the fencing token; {@link RemoteMemory#unlock} needs it
 * @param expiresAtMs when the lock lapses unless released (epoch ms)
 */
public record BlockLock(long lockId, long expiresAtMs) {}
