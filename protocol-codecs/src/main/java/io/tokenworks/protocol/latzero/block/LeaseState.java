package io.tokenworks.protocol.latzero.block;

/**
 * A snapshot of a block's lease words, for inspection. The fields are read one by one, so under
 * concurrent lease changes they may mix two moments; decisions use {@link
 * SharedBlock#acquireWrite}, never this.
 *
 * @param held whether a writer holds the lease (it may have expired without being taken over)
 * @param fencingToken the current or, when not held, the last holder's token; 0 if never leased
 * @param ownerId the owner id the holder published, or -1 if it has not published yet
 * @param expiresAtEpochMs the expiry the holder published, or -1 if it has not published yet
 */
public record LeaseState(boolean held, long fencingToken, long ownerId, long expiresAtEpochMs) {}
