/**
 * The wire formats of every Tokenworks server, one package per protocol.
 *
 * <p>Each package follows the same shape: a {@code …FrameDescriptor} with the layout constants and
 * the layout drawn in its Javadoc, enums for opcodes/types and status codes, a {@code
 * …FrameDecoder} that never throws for bad bytes but returns a typed {@code …DecodeResult}, a
 * {@code …Frame} flyweight that reads a decoded frame in place, and a {@code …FrameEncoder} that
 * writes frames into a caller-owned buffer. Decoders and flyweights keep no reference to a buffer
 * beyond the call that wrapped it, allocate nothing per frame and are not thread-safe: use one per
 * connection.
 */
package io.tokenworks.protocol;
