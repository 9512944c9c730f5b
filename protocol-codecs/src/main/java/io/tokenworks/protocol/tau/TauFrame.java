package io.tokenworks.protocol.tau;

import static io.tokenworks.protocol.tau.TauFrameDescriptor.BATCH_COUNT_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.BYTE_ORDER;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.FLAGS_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.HEADER_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.LABEL_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.LATEST_REPLY_FOUND_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.OPCODE_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.POINT_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.QUERY_REPLY_FOUND;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.QUERY_REPLY_FOUND_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.RANGE_FROM_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.RANGE_LIMIT_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.RANGE_REPLY_EMPTY_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.RANGE_TO_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.TIMESTAMP_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.TIMESTAMP_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.VALUE_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.batchPointOffset;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.rangeReplyPointOffset;

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

  /**
   * The timestamp of APPEND, QUERY_POINT, QUERY_LENS and QUERY_LATEST (its {@code as_of}): the
   * eight bytes after the first label.
   */
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

  /** For an OK answering LIST_LENSES or LIST_SERIES: how many 32-byte labels it carries. */
  public int labelCount() {
    return payloadLength() / LABEL_LENGTH;
  }

  // APPEND_BATCH

  /**
   * The point count of an APPEND_BATCH, as sent. The decoder has checked it against the payload
   * length, so it is at most {@link TauFrameDescriptor#MAX_BATCH_POINTS}.
   */
  public int batchCount() {
    return buffer.getInt(payloadOffset() + BATCH_COUNT_OFFSET, BYTE_ORDER);
  }

  /** The timestamp of point {@code index} of an APPEND_BATCH. */
  public long batchTimestamp(int index) {
    return buffer.getLong(payloadOffset() + batchPointOffset(index), BYTE_ORDER);
  }

  /** The value of point {@code index} of an APPEND_BATCH, bit-exact. */
  public double batchValue(int index) {
    return Double.longBitsToDouble(
        buffer.getLong(payloadOffset() + batchPointOffset(index) + TIMESTAMP_LENGTH, BYTE_ORDER));
  }

  // QUERY_RANGE and QUERY_AGGREGATE requests

  /** The inclusive lower bound of QUERY_RANGE and QUERY_AGGREGATE. */
  public long rangeFrom() {
    return buffer.getLong(payloadOffset() + RANGE_FROM_OFFSET, BYTE_ORDER);
  }

  /** The inclusive upper bound of QUERY_RANGE and QUERY_AGGREGATE. */
  public long rangeTo() {
    return buffer.getLong(payloadOffset() + RANGE_TO_OFFSET, BYTE_ORDER);
  }

  /** The limit of QUERY_RANGE, an unsigned u32 widened to a long. */
  public long rangeLimit() {
    return buffer.getInt(payloadOffset() + RANGE_LIMIT_OFFSET, BYTE_ORDER) & 0xFFFF_FFFFL;
  }

  // Replies to the extensions

  /** For an OK answering QUERY_LATEST: whether a point was found. */
  public boolean latestFound() {
    return payloadLength() == LATEST_REPLY_FOUND_LENGTH
        && buffer.getByte(payloadOffset()) == QUERY_REPLY_FOUND;
  }

  /** For an OK answering QUERY_LATEST that found a point: its timestamp. */
  public long latestTimestamp() {
    return buffer.getLong(payloadOffset() + 1, BYTE_ORDER);
  }

  /** For an OK answering QUERY_LATEST that found a point: its value, bit-exact. */
  public double latestValue() {
    return Double.longBitsToDouble(
        buffer.getLong(payloadOffset() + 1 + TIMESTAMP_LENGTH, BYTE_ORDER));
  }

  /**
   * For an OK answering QUERY_RANGE: whether its count matches its length, so the other range
   * accessors may be used. A client checks this before trusting a reply.
   */
  public boolean isValidRangeReply() {
    int length = payloadLength();
    if (length < RANGE_REPLY_EMPTY_LENGTH) {
      return false;
    }
    long count = buffer.getInt(payloadOffset(), BYTE_ORDER) & 0xFFFF_FFFFL;
    return RANGE_REPLY_EMPTY_LENGTH + count * POINT_LENGTH == length;
  }

  /** For an OK answering QUERY_RANGE: how many points it carries. */
  public int rangeReplyCount() {
    return buffer.getInt(payloadOffset(), BYTE_ORDER);
  }

  /** For an OK answering QUERY_RANGE: the timestamp of point {@code index}. */
  public long rangeReplyTimestamp(int index) {
    return buffer.getLong(payloadOffset() + rangeReplyPointOffset(index), BYTE_ORDER);
  }

  /** For an OK answering QUERY_RANGE: the value of point {@code index}, bit-exact. */
  public double rangeReplyValue(int index) {
    return Double.longBitsToDouble(
        buffer.getLong(
            payloadOffset() + rangeReplyPointOffset(index) + TIMESTAMP_LENGTH, BYTE_ORDER));
  }

  /** For an OK answering QUERY_RANGE: whether more points lie in the range (the last byte). */
  public boolean rangeReplyHasMore() {
    return buffer.getByte(offset + length - 1) != 0;
  }

  /** For an OK answering QUERY_AGGREGATE: the number of points in the window (u64). */
  public long aggregateCount() {
    return buffer.getLong(payloadOffset(), BYTE_ORDER);
  }

  /** For an OK answering QUERY_AGGREGATE: the smallest value (NaN for an empty window). */
  public double aggregateMin() {
    return aggregateField(1);
  }

  public double aggregateMax() {
    return aggregateField(2);
  }

  public double aggregateSum() {
    return aggregateField(3);
  }

  public double aggregateMean() {
    return aggregateField(4);
  }

  private double aggregateField(int index) {
    return Double.longBitsToDouble(buffer.getLong(payloadOffset() + 8 * index, BYTE_ORDER));
  }
}
