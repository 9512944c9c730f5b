package io.tokenworks.protocol.tkn;

import static io.tokenworks.protocol.tkn.TknFrameDescriptor.HEADER_LENGTH;
import static io.tokenworks.protocol.tkn.TknFrameDescriptor.TYPE_OFFSET;

import org.agrona.DirectBuffer;

/**
 * A view over one whole TKN frame in a buffer, as {@link TknFrameDecoder} found it. Accessors read
 * the bytes in place. The frame does not own the buffer: it is valid only until the bytes it wraps
 * are consumed or overwritten. The items of a BATCH are read with {@link TknBatchItems}.
 */
public final class TknFrame {

  private DirectBuffer buffer;
  private int offset;
  private int length;

  /**
   * Points this view at the frame of {@code length} bytes at {@code offset}; the header is not
   * re-checked.
   */
  public TknFrame wrap(DirectBuffer buffer, int offset, int length) {
    this.buffer = buffer;
    this.offset = offset;
    this.length = length;
    return this;
  }

  public DirectBuffer buffer() {
    return buffer;
  }

  /** Offset of the frame's first byte in {@link #buffer()}. */
  public int offset() {
    return offset;
  }

  /** Length of the whole frame, header included. */
  public int frameLength() {
    return length;
  }

  /** The frame's type, or {@code null} when its type byte is no TKN v1 type. */
  public TknFrameType type() {
    return TknFrameType.fromCode(typeCode());
  }

  /** The type byte as sent, 0..255. */
  public int typeCode() {
    return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
  }

  /** Offset of the payload's first byte in {@link #buffer()}. */
  public int payloadOffset() {
    return offset + HEADER_LENGTH;
  }

  public int payloadLength() {
    return length - HEADER_LENGTH;
  }

  /**
   * The payload decoded as UTF-8 (malformed bytes become U+FFFD), for STRING and JSON frames.
   * Allocates a copy and a {@code String}: not for hot paths, where the payload should be read in
   * place through {@link #buffer()}.
   */
  public String string() {
    return buffer.getStringWithoutLengthUtf8(payloadOffset(), payloadLength());
  }
}
