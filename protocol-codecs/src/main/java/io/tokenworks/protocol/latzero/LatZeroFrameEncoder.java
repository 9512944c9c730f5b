package io.tokenworks.protocol.latzero;

import static io.tokenworks.protocol.latzero.LatZeroFrameDescriptor.BYTE_ORDER;
import static io.tokenworks.protocol.latzero.LatZeroFrameDescriptor.DEFAULT_MAX_FRAME_LENGTH;
import static io.tokenworks.protocol.latzero.LatZeroFrameDescriptor.HEADER_LENGTH;
import static io.tokenworks.protocol.latzero.LatZeroFrameDescriptor.LENGTH_OFFSET;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Frames bodies that are already UTF-8 JSON: writes the length prefix and the body. It never writes
 * a frame its {@link LatZeroFrameDecoder} twin would reject, so an empty body or one over the limit
 * is refused; the body itself is not checked (that is {@link LatZeroMessageCodec}'s job).
 *
 * <p>The buffer methods write one whole frame at {@code offset}, return its length and allocate
 * nothing; the caller makes sure the buffer has room for {@link
 * LatZeroFrameDescriptor#HEADER_LENGTH} plus the body. Immutable and thread-safe.
 */
public final class LatZeroFrameEncoder {

  private final int maxFrameLength;

  /** An encoder that accepts bodies up to the protocol's 16 MiB ceiling. */
  public LatZeroFrameEncoder() {
    this(DEFAULT_MAX_FRAME_LENGTH);
  }

  /**
   * An encoder that refuses bodies longer than {@code maxFrameLength} bytes.
   *
   * @throws IllegalArgumentException when the limit is below 1 or above the protocol's 16 MiB
   *     ceiling
   */
  public LatZeroFrameEncoder(int maxFrameLength) {
    this.maxFrameLength = LatZeroFrameDescriptor.checkMaxFrameLength(maxFrameLength);
  }

  /** The largest body this encoder writes, in bytes, the prefix not counted. */
  public int maxFrameLength() {
    return maxFrameLength;
  }

  /**
   * Writes only the prefix announcing {@code bodyLength} bytes, for a caller that writes the body
   * itself right after it; returns the prefix length.
   *
   * @throws IllegalArgumentException when {@code bodyLength} is not in [1, {@link
   *     #maxFrameLength()}]
   */
  public int header(MutableDirectBuffer buffer, int offset, int bodyLength) {
    checkBodyLength(bodyLength);
    buffer.putInt(offset + LENGTH_OFFSET, bodyLength, BYTE_ORDER);
    return HEADER_LENGTH;
  }

  /**
   * Writes the frame of the {@code bodyLength} bytes of {@code body} at {@code bodyOffset}; returns
   * the frame length.
   *
   * @throws IllegalArgumentException when {@code bodyLength} is not in [1, {@link
   *     #maxFrameLength()}]
   */
  public int encode(
      MutableDirectBuffer buffer, int offset, DirectBuffer body, int bodyOffset, int bodyLength) {
    header(buffer, offset, bodyLength);
    buffer.putBytes(offset + HEADER_LENGTH, body, bodyOffset, bodyLength);
    return HEADER_LENGTH + bodyLength;
  }

  /**
   * Writes the frame of {@code body}; returns the frame length.
   *
   * @throws IllegalArgumentException when the body is empty or longer than {@link
   *     #maxFrameLength()}
   */
  public int encode(MutableDirectBuffer buffer, int offset, byte[] body) {
    header(buffer, offset, body.length);
    buffer.putBytes(offset + HEADER_LENGTH, body);
    return HEADER_LENGTH + body.length;
  }

  /**
   * The frame of {@code body} in a fresh array. Allocates: not for hot paths.
   *
   * @throws IllegalArgumentException when the body is empty or longer than {@link
   *     #maxFrameLength()}
   */
  public byte[] encode(byte[] body) {
    checkBodyLength(body.length);
    byte[] frame = new byte[HEADER_LENGTH + body.length];
    frame[0] = (byte) (body.length >>> 24);
    frame[1] = (byte) (body.length >>> 16);
    frame[2] = (byte) (body.length >>> 8);
    frame[3] = (byte) body.length;
    System.arraycopy(body, 0, frame, HEADER_LENGTH, body.length);
    return frame;
  }

  private void checkBodyLength(int bodyLength) {
    if (bodyLength < 1 || bodyLength > maxFrameLength) {
      throw new IllegalArgumentException(
          "bodyLength=" + bodyLength + " must be in [1, " + maxFrameLength + "]");
    }
  }
}
