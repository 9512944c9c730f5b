package io.tokenworks.protocol.tau;

import static io.tokenworks.protocol.tau.TauFrameDescriptor.BYTE_ORDER;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.HEADER_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.MAGIC_0;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.MAGIC_1;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.MAGIC_2;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.MAX_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.OPCODE_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.PAYLOAD_LENGTH_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.VERSION;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.VERSION_OFFSET;

import org.agrona.DirectBuffer;

/**
 * Finds TAU v1 frames in a byte stream. Call {@link #decode} with everything received but not yet
 * consumed; it never throws for bad bytes, never reads past {@code offset + length}, allocates
 * nothing and keeps no reference to the buffer after returning (the {@link #frame()} flyweight is
 * only valid until the buffer changes).
 *
 * <p>Header checks run in upstream's order (magic, version, opcode, length) and fire as soon as the
 * offending byte has arrived, so garbage such as an HTTP request is rejected without waiting for
 * ten bytes. A payload length above the limit is rejected from the header alone: the payload is
 * never buffered.
 *
 * <p>Not thread-safe: one decoder per connection.
 */
public final class TauFrameDecoder {

  private final int maxPayloadLength;
  private final TauFrame frame = new TauFrame();
  private TauOpcode opcode;
  private int frameLength;

  /** A decoder that accepts payloads up to the protocol's 4 MiB ceiling. */
  public TauFrameDecoder() {
    this(MAX_PAYLOAD_LENGTH);
  }

  /**
   * A decoder that rejects payloads longer than {@code maxPayloadLength} bytes.
   *
   * @throws IllegalArgumentException when the limit is negative or above the protocol's 4 MiB
   *     ceiling
   */
  public TauFrameDecoder(int maxPayloadLength) {
    if (maxPayloadLength < 0 || maxPayloadLength > MAX_PAYLOAD_LENGTH) {
      throw new IllegalArgumentException(
          "maxPayloadLength=" + maxPayloadLength + " must be in [0, " + MAX_PAYLOAD_LENGTH + "]");
    }
    this.maxPayloadLength = maxPayloadLength;
  }

  /** The largest payload this decoder accepts, in bytes. */
  public int maxPayloadLength() {
    return maxPayloadLength;
  }

  /**
   * Decodes the frame that starts at {@code offset}.
   *
   * @param buffer bytes received so far
   * @param offset where the next frame starts
   * @param length how many bytes from {@code offset} are available
   * @return {@link TauDecodeResult#FRAME} with {@link #frame()} and {@link #frameLength()} set,
   *     {@link TauDecodeResult#NEED_MORE} with {@link #frameLength()} set to the bytes needed, or
   *     an error
   */
  public TauDecodeResult decode(DirectBuffer buffer, int offset, int length) {
    opcode = null;
    if (length < HEADER_LENGTH) {
      return decodePartialHeader(buffer, offset, length);
    }
    if (buffer.getByte(offset) != MAGIC_0
        || buffer.getByte(offset + 1) != MAGIC_1
        || buffer.getByte(offset + 2) != MAGIC_2) {
      return fail(TauDecodeResult.BAD_MAGIC);
    }
    if (buffer.getByte(offset + VERSION_OFFSET) != VERSION) {
      return fail(TauDecodeResult.BAD_VERSION);
    }
    TauOpcode decoded = TauOpcode.fromCode(buffer.getByte(offset + OPCODE_OFFSET));
    if (decoded == null) {
      return fail(TauDecodeResult.BAD_OPCODE);
    }
    long payloadLength = buffer.getInt(offset + PAYLOAD_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF_FFFFL;
    if (payloadLength > maxPayloadLength) {
      return fail(TauDecodeResult.PAYLOAD_TOO_LARGE);
    }
    opcode = decoded;
    frameLength = HEADER_LENGTH + (int) payloadLength;
    if (length < frameLength) {
      return TauDecodeResult.NEED_MORE;
    }
    if (!decoded.acceptsPayload(buffer, offset + HEADER_LENGTH, (int) payloadLength)) {
      return TauDecodeResult.BAD_LENGTH_FOR_OPCODE;
    }
    frame.wrap(buffer, offset, frameLength);
    return TauDecodeResult.FRAME;
  }

  private TauDecodeResult decodePartialHeader(DirectBuffer buffer, int offset, int length) {
    frameLength = HEADER_LENGTH;
    int magicBytes = Math.min(length, 3);
    for (int i = 0; i < magicBytes; i++) {
      if (buffer.getByte(offset + i) != magicByte(i)) {
        return fail(TauDecodeResult.BAD_MAGIC);
      }
    }
    if (length > VERSION_OFFSET && buffer.getByte(offset + VERSION_OFFSET) != VERSION) {
      return fail(TauDecodeResult.BAD_VERSION);
    }
    if (length > OPCODE_OFFSET
        && TauOpcode.fromCode(buffer.getByte(offset + OPCODE_OFFSET)) == null) {
      return fail(TauDecodeResult.BAD_OPCODE);
    }
    return TauDecodeResult.NEED_MORE;
  }

  private static byte magicByte(int index) {
    return index == 0 ? MAGIC_0 : index == 1 ? MAGIC_1 : MAGIC_2;
  }

  private TauDecodeResult fail(TauDecodeResult error) {
    frameLength = 0;
    return error;
  }

  /** The decoded frame; valid after {@link TauDecodeResult#FRAME} until the buffer changes. */
  public TauFrame frame() {
    return frame;
  }

  /**
   * After {@link TauDecodeResult#FRAME} or {@link TauDecodeResult#BAD_LENGTH_FOR_OPCODE}: the bytes
   * the frame occupies, to consume or skip. After {@link TauDecodeResult#NEED_MORE}: the bytes
   * needed before the next call can make progress (the header, then the whole frame). Zero after a
   * fatal error.
   */
  public int frameLength() {
    return frameLength;
  }

  /**
   * The opcode of the last header decoded: set with {@link TauDecodeResult#FRAME}, {@link
   * TauDecodeResult#BAD_LENGTH_FOR_OPCODE} and a {@link TauDecodeResult#NEED_MORE} that got past
   * the header; otherwise {@code null}.
   */
  public TauOpcode opcode() {
    return opcode;
  }
}
