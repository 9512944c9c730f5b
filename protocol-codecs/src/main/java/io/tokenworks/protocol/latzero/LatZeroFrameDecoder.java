package io.tokenworks.protocol.latzero;

import static io.tokenworks.protocol.latzero.LatZeroFrameDescriptor.BYTE_ORDER;
import static io.tokenworks.protocol.latzero.LatZeroFrameDescriptor.DEFAULT_MAX_FRAME_LENGTH;
import static io.tokenworks.protocol.latzero.LatZeroFrameDescriptor.HEADER_LENGTH;
import static io.tokenworks.protocol.latzero.LatZeroFrameDescriptor.LENGTH_OFFSET;

import org.agrona.DirectBuffer;

/**
 * Finds LatZero Gen-1 frames in a byte stream. Call {@link #decode} with everything received but
 * not yet consumed; it never throws for bad bytes, never reads past {@code offset + length},
 * allocates nothing and keeps no reference to the buffer after returning.
 *
 * <p>The length prefix is read as unsigned and checked against the limit before anything else, so
 * an oversized frame is rejected before its body is buffered. The check fires as soon as the prefix
 * bytes received so far prove the length too large: garbage such as {@code "GET / HTTP"} (a prefix
 * of about 1.2 GB) is rejected on its first byte.
 *
 * <p>Not thread-safe: one decoder per connection.
 */
public final class LatZeroFrameDecoder {

  private final int maxFrameLength;
  private int frameLength;
  private int payloadOffset;
  private int payloadLength;

  /** A decoder that accepts bodies up to the protocol's 16 MiB ceiling. */
  public LatZeroFrameDecoder() {
    this(DEFAULT_MAX_FRAME_LENGTH);
  }

  /**
   * A decoder that rejects bodies longer than {@code maxFrameLength} bytes.
   *
   * @throws IllegalArgumentException when the limit is below 1 or above the protocol's 16 MiB
   *     ceiling
   */
  public LatZeroFrameDecoder(int maxFrameLength) {
    this.maxFrameLength = LatZeroFrameDescriptor.checkMaxFrameLength(maxFrameLength);
  }

  /** The largest body this decoder accepts, in bytes, the prefix not counted. */
  public int maxFrameLength() {
    return maxFrameLength;
  }

  /**
   * Decodes the frame that starts at {@code offset}.
   *
   * @param buffer bytes received so far
   * @param offset where the next frame starts
   * @param length how many bytes from {@code offset} are available
   * @return {@link LatZeroDecodeResult#FRAME} with {@link #frameLength()}, {@link #payloadOffset()}
   *     and {@link #payloadLength()} set, {@link LatZeroDecodeResult#NEED_MORE} with {@link
   *     #frameLength()} set to the bytes needed, {@link LatZeroDecodeResult#EMPTY_FRAME} with
   *     {@link #frameLength()} set to the bytes to skip, or {@link
   *     LatZeroDecodeResult#FRAME_TOO_LARGE}
   */
  public LatZeroDecodeResult decode(DirectBuffer buffer, int offset, int length) {
    payloadOffset = 0;
    payloadLength = 0;
    if (length < HEADER_LENGTH) {
      return decodePartialPrefix(buffer, offset, length);
    }
    long declaredLength = buffer.getInt(offset + LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF_FFFFL;
    if (declaredLength > maxFrameLength) {
      return fail(LatZeroDecodeResult.FRAME_TOO_LARGE);
    }
    frameLength = HEADER_LENGTH + (int) declaredLength;
    if (declaredLength == 0) {
      return LatZeroDecodeResult.EMPTY_FRAME;
    }
    if (length < frameLength) {
      return LatZeroDecodeResult.NEED_MORE;
    }
    payloadOffset = offset + HEADER_LENGTH;
    payloadLength = (int) declaredLength;
    return LatZeroDecodeResult.FRAME;
  }

  /**
   * With fewer than four bytes, the smallest length they can still become is theirs followed by
   * zeros; when even that is over the limit, waiting for the rest cannot help.
   */
  private LatZeroDecodeResult decodePartialPrefix(DirectBuffer buffer, int offset, int length) {
    frameLength = HEADER_LENGTH;
    long smallestDeclaredLength = 0;
    for (int i = 0; i < length; i++) {
      smallestDeclaredLength |= (buffer.getByte(offset + i) & 0xFFL) << (8 * (3 - i));
    }
    if (smallestDeclaredLength > maxFrameLength) {
      return fail(LatZeroDecodeResult.FRAME_TOO_LARGE);
    }
    return LatZeroDecodeResult.NEED_MORE;
  }

  private LatZeroDecodeResult fail(LatZeroDecodeResult error) {
    frameLength = 0;
    return error;
  }

  /**
   * After {@link LatZeroDecodeResult#FRAME} or {@link LatZeroDecodeResult#EMPTY_FRAME}: the bytes
   * the frame occupies, prefix included, to consume or skip. After {@link
   * LatZeroDecodeResult#NEED_MORE}: the bytes needed before the next call can make progress (the
   * prefix, then the whole frame). Zero after {@link LatZeroDecodeResult#FRAME_TOO_LARGE}.
   */
  public int frameLength() {
    return frameLength;
  }

  /**
   * Offset in the decoded buffer of the body's first byte after {@link LatZeroDecodeResult#FRAME};
   * zero after any other result.
   */
  public int payloadOffset() {
    return payloadOffset;
  }

  /**
   * Length of the body in bytes after {@link LatZeroDecodeResult#FRAME} (at least 1); zero after
   * any other result.
   */
  public int payloadLength() {
    return payloadLength;
  }
}
