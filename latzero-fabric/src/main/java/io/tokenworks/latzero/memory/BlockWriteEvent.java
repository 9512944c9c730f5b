package io.tokenworks.latzero.memory;

/**
 * A completed write.
 *
 * @param pool the pool
 * @param block the block
 * @param offset where the write started
 * @param length how many bytes it wrote
 * @param version the block's content version after it
 * @param writerAppId the app that wrote
 */
public record BlockWriteEvent(
    String pool, String block, int offset, int length, long version, String writerAppId) {}
