/**
 * LatZero memory blocks on the server side: {@link io.tokenworks.latzero.memory.BlockManager} keeps
 * one {@code SharedBlock} file per block under a root directory ({@code /dev/shm/latzero} on Linux
 * by default), enforces the size limit and the per-block read and write lists, counts attachments
 * per session, grants locks with fencing tokens (the file's own write lease, so they also bind
 * processes mapping the file), notifies subscribers after writes, collects idle non-persistent
 * blocks and keeps block metadata in a {@link io.tokenworks.latzero.memory.BlockCatalog}. Reopening
 * never truncates a block: contents survive restarts for as long as the files do.
 */
package io.tokenworks.latzero.memory;
