package io.tokenworks.latzero.memory;

/**
 * Bytes copied from a block, all from one content version.
 *
 * @param data the bytes; the caller owns the array
 * @param version the content version they belong to
 */
public record BlockBytes(byte[] data, long version) {}
