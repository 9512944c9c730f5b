package io.tokenworks.latzero;

/**
 * Bytes read from a shared-memory block, all from one content version.
 *
 * @param data the bytes; the caller owns the array
 * @param version the block's content version they belong to
 */
public record BlockData(byte[] data, long version) {}
