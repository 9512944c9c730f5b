package io.tokenworks.protocol.latzero.client;

/**
 * Bytes read over the wire, all from one content version.
 *
 * @param data the bytes; the caller owns the array
 */
public record BlockRead(byte[] data, long version) {}
