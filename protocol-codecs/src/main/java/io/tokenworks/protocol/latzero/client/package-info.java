/**
 * A Java client of the LatZero server ({@link
 * io.tokenworks.protocol.latzero.client.LatZeroClient}): handshake, pipelined trigger calls with
 * typed errors, trigger handlers on a client thread, emits, pool administration and shared-memory
 * blocks over the wire, with zero-copy access through {@link
 * io.tokenworks.protocol.latzero.block.SharedBlock} on the server's host. Depends on Agrona and
 * Jackson only.
 */
package io.tokenworks.protocol.latzero.client;
