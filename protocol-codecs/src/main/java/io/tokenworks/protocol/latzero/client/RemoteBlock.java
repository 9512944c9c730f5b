package io.tokenworks.protocol.latzero.client;

/**
 * A block as the server describes it after a create or attach.
 *
 * @param blockId {@code "<pool>:<block>"}
 * @param size the data region in bytes
 * @param version the content version (writes so far)
 * @param path the block file on the server's host; a process on the same host can map it with
 *     {@link io.tokenworks.protocol.latzero.block.SharedBlock#open}
 */
public record RemoteBlock(
    String blockId, String pool, String block, int size, long version, String path) {}
