package io.tokenworks.protocol.tau;

import static io.tokenworks.protocol.tau.TauFrameDescriptor.BYTE_ORDER;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.FLAGS_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.HEADER_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.LABEL_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.OPCODE_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.QUERY_REPLY_FOUND;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.QUERY_REPLY_FOUND_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.TIMESTAMP_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.VALUE_OFFSET;

import org.agrona.DirectBuffer;

/**
 * A view over one whole TAU frame in a buffer, as {@link TauFrameDecoder} found it. Accessors read
 * the bytes in place; which ones apply depends on the opcode (see {@link TauFrameDescriptor}). The
 * frame does not own the buffer: it is valid only until the bytes it wraps are consumed or
 * overwritten.
 */
public final class TauFrame {

  private DirectBuffer buffer;
  private int offset;
  private int length;

  /**
   * Points this view at the frame of {@code length} bytes at {@code offset}; the header is not
   * re-checked.
   */
  public TauFrame wrap(DirectBuffer buffer, int offset, int length) {
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

  public TauOpcode opcode() {
    return TauOpcode.fromCode(buffer.getByte(offset + OPCODE_OFFSET));
  }

  /** The reserved flags byte, as sent (upstream ignores it and so do we). */
  public int flags() {
    return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
  }

  /** Offset of the payload's first byte in {@link #buffer()}. */
  public int payloadOffset() {
    return offset + HEADER_LENGTH;
  }

  public int payloadLength() {
    return length - HEADER_LENGTH;
  }

  /** Offset in {@link #buffer()} of the payload's {@code index}-th 32-byte label. */
  public int labelOffset(int index) {
    return payloadOffset() + TauFrameDescriptor.labelOffset(index);
  }

  /** The {@code index}-th label of the payload as an owned value. Allocates: not for hot paths. */
  public TauLabel label(int index) {
    return TauLabel.copyOf(buffer, labelOffset(index));
  }

  /**
   * Whether the {@code index}-th label of the payload equals {@code label}, byte for byte over 32
   * bytes.
   */
  public boolean labelEquals(int index, TauLabel label) {
    return label.equalsBytes(buffer, labelOffset(index));
  }

  /** The timestamp of APPEND, QUERY_POINT and QUERY_LENS (after the first label). */
  public long timestamp() {
    return buffer.getLong(payloadOffset() + TIMESTAMP_OFFSET, BYTE_ORDER);
  }

  /** The value of APPEND, bit-exact (NaN payloads, -0.0 and infinities survive). */
  public double value() {
    return Double.longBitsToDouble(buffer.getLong(payloadOffset() + VALUE_OFFSET, BYTE_ORDER));
  }

  /** The status byte of an ERR frame, or {@code null} when it is no known status. */
  public TauStatus status() {
    return TauStatus.fromCode(buffer.getByte(payloadOffset()));
  }

  /** For an OK answering QUERY_POINT or QUERY_LENS: whether a value was found. */
  public boolean queryFound() {
    return payloadLength() == QUERY_REPLY_FOUND_LENGTH
        && buffer.getByte(payloadOffset()) == QUERY_REPLY_FOUND;
  }

  /** For an OK answering a point query that found a value: the value, bit-exact. */
  public double queryValue() {
    return Double.longBitsToDouble(buffer.getLong(payloadOffset() + 1, BYTE_ORDER));
  }

  /** For an OK answering LIST_LENSES: how many 32-byte labels it carries. */
  public int labelCount() {
    return payloadLength() / LABEL_LENGTH;
  }
}
