package io.tokenworks.protocol.latzero;

import java.nio.ByteOrder;

/**
 * Layout of a LatZero Gen-1 frame, the same in both directions: a 4-byte unsigned big-endian length
 * that does not count itself, then that many bytes of UTF-8 JSON.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 body length N (u32, BE, bytes)                |
 *  +---------------------------------------------------------------+
 *  |  body: N bytes of UTF-8 JSON, one object with a "type" ...    |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Two lengths appear in this package. The <em>declared</em> length is the prefix's value, the
 * body alone; the limit ({@link #DEFAULT_MAX_FRAME_LENGTH}, upstream's 16 MiB) applies to it and
 * counts bytes, not characters (upstream re-checked characters, so a body of multi-byte characters
 * could pass the second check at up to four times the limit). {@link
 * LatZeroFrameDecoder#frameLength()} counts the bytes the whole frame occupies in the stream,
 * prefix included, so a caller knows how far to advance.
 *
 * <p>The prefix is unsigned: {@code 0x80000000} to {@code 0xFFFFFFFF} are lengths of 2 GiB and
 * more, always too large, never negative. A declared length of zero can carry no JSON and is an
 * error, but a skippable one: the next frame starts right after the prefix.
 */
public final class LatZeroFrameDescriptor {

  /** Byte order of the length prefix. */
  public static final ByteOrder BYTE_ORDER = ByteOrder.BIG_ENDIAN;

  public static final int LENGTH_OFFSET = 0;
  public static final int LENGTH_FIELD_LENGTH = 4;

  /** The prefix is the whole header: the body starts right after it. */
  public static final int HEADER_LENGTH = LENGTH_FIELD_LENGTH;

  public static final int BODY_OFFSET = HEADER_LENGTH;

  /**
   * The largest declared body length, in bytes: 16 MiB (16,777,216), upstream's maximum payload. It
   * is also the protocol's ceiling: decoders, encoders and codecs may be configured lower, never
   * higher, so that every upstream peer can read what we send.
   */
  public static final int DEFAULT_MAX_FRAME_LENGTH = 16 * 1024 * 1024;

  private LatZeroFrameDescriptor() {}

  /**
   * Checks a configured limit on the declared body length.
   *
   * @throws IllegalArgumentException when the limit is below 1 or above {@link
   *     #DEFAULT_MAX_FRAME_LENGTH}
   */
  static int checkMaxFrameLength(int maxFrameLength) {
    if (maxFrameLength < 1 || maxFrameLength > DEFAULT_MAX_FRAME_LENGTH) {
      throw new IllegalArgumentException(
          "maxFrameLength=" + maxFrameLength + " must be in [1, " + DEFAULT_MAX_FRAME_LENGTH + "]");
    }
    return maxFrameLength;
  }
}
