package io.tokenworks.protocol.tau;

import static io.tokenworks.protocol.tau.TauFrameDescriptor.AGGREGATE_REPLY_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.BATCH_COUNT_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.BATCH_POINTS_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.BYTE_ORDER;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.CERTIFICATE_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.FLAGS_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.HEADER_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.LABEL_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.LATEST_REPLY_FOUND_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.MAGIC_0;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.MAGIC_1;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.MAGIC_2;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.MAX_BATCH_POINTS;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.MAX_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.MAX_RANGE_REPLY_POINTS;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.OPCODE_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.PAYLOAD_LENGTH_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.POINT_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.QUERY_AGGREGATE_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.QUERY_RANGE_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.QUERY_REPLY_FOUND;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.QUERY_REPLY_NOT_FOUND;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.RANGE_FROM_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.RANGE_LIMIT_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.RANGE_TO_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.TIMESTAMP_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.VALUE_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.VERSION;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.VERSION_OFFSET;

import java.util.List;
import org.agrona.MutableDirectBuffer;

/**
 * Writes TAU frames (v1 and the Tokenworks extensions) into a caller-owned buffer. Every method
 * writes one whole frame at {@code offset} and returns its length in bytes; the caller makes sure
 * the buffer has room ({@link TauFrameDescriptor} gives every length). Nothing here allocates.
 */
public final class TauFrameEncoder {

  private TauFrameEncoder() {}

  /** Writes a header announcing {@code payloadLength} bytes; returns the header length. */
  public static int header(
      MutableDirectBuffer buffer, int offset, TauOpcode opcode, int payloadLength) {
    if (payloadLength < 0 || payloadLength > MAX_PAYLOAD_LENGTH) {
      throw new IllegalArgumentException(
          "payloadLength=" + payloadLength + " must be in [0, " + MAX_PAYLOAD_LENGTH + "]");
    }
    buffer.putByte(offset, MAGIC_0);
    buffer.putByte(offset + 1, MAGIC_1);
    buffer.putByte(offset + 2, MAGIC_2);
    buffer.putByte(offset + VERSION_OFFSET, VERSION);
    buffer.putByte(offset + OPCODE_OFFSET, (byte) opcode.code());
    buffer.putByte(offset + FLAGS_OFFSET, (byte) 0);
    buffer.putInt(offset + PAYLOAD_LENGTH_OFFSET, payloadLength, BYTE_ORDER);
    return HEADER_LENGTH;
  }

  /**
   * A frame with an empty payload: DISCONNECT, PING, PONG, LIST_LENSES, LIST_SERIES, or an OK with
   * nothing to say.
   */
  public static int empty(MutableDirectBuffer buffer, int offset, TauOpcode opcode) {
    return header(buffer, offset, opcode, 0);
  }

  /** CONNECT with the 32-byte pre-shared certificate. */
  public static int connect(MutableDirectBuffer buffer, int offset, byte[] certificate) {
    if (certificate.length != CERTIFICATE_LENGTH) {
      throw new IllegalArgumentException(
          "certificate length=" + certificate.length + " must be " + CERTIFICATE_LENGTH);
    }
    header(buffer, offset, TauOpcode.CONNECT, CERTIFICATE_LENGTH);
    buffer.putBytes(offset + HEADER_LENGTH, certificate);
    return HEADER_LENGTH + CERTIFICATE_LENGTH;
  }

  /** A frame whose payload is one label: CREATE_SERIES, DROP_SERIES or DROP_LENS. */
  public static int label(
      MutableDirectBuffer buffer, int offset, TauOpcode opcode, TauLabel label) {
    header(buffer, offset, opcode, LABEL_LENGTH);
    label.write(buffer, offset + HEADER_LENGTH);
    return HEADER_LENGTH + LABEL_LENGTH;
  }

  /**
   * APPEND of one point; the value is written as its raw bit pattern so NaN payloads and -0.0
   * survive.
   */
  public static int append(
      MutableDirectBuffer buffer, int offset, TauLabel series, long timestamp, double value) {
    int payload = offset + HEADER_LENGTH;
    header(buffer, offset, TauOpcode.APPEND, TauFrameDescriptor.APPEND_PAYLOAD_LENGTH);
    series.write(buffer, payload);
    buffer.putLong(payload + TIMESTAMP_OFFSET, timestamp, BYTE_ORDER);
    buffer.putLong(payload + VALUE_OFFSET, Double.doubleToRawLongBits(value), BYTE_ORDER);
    return HEADER_LENGTH + TauFrameDescriptor.APPEND_PAYLOAD_LENGTH;
  }

  /**
   * A label-and-timestamp query: a point query on a series (QUERY_POINT) or a lens (QUERY_LENS), or
   * the last point at or before {@code timestamp} (QUERY_LATEST).
   */
  public static int query(
      MutableDirectBuffer buffer, int offset, TauOpcode opcode, TauLabel label, long timestamp) {
    if (opcode != TauOpcode.QUERY_POINT
        && opcode != TauOpcode.QUERY_LENS
        && opcode != TauOpcode.QUERY_LATEST) {
      throw new IllegalArgumentException("opcode=" + opcode + " is not a point query");
    }
    int payload = offset + HEADER_LENGTH;
    header(buffer, offset, opcode, TauFrameDescriptor.QUERY_PAYLOAD_LENGTH);
    label.write(buffer, payload);
    buffer.putLong(payload + TIMESTAMP_OFFSET, timestamp, BYTE_ORDER);
    return HEADER_LENGTH + TauFrameDescriptor.QUERY_PAYLOAD_LENGTH;
  }

  /**
   * CREATE_LENS (lens, source series, transform) or COMPOSE_LENS (new lens, first lens, second
   * lens).
   */
  public static int threeLabels(
      MutableDirectBuffer buffer,
      int offset,
      TauOpcode opcode,
      TauLabel first,
      TauLabel second,
      TauLabel third) {
    if (opcode != TauOpcode.CREATE_LENS && opcode != TauOpcode.COMPOSE_LENS) {
      throw new IllegalArgumentException("opcode=" + opcode + " does not carry three labels");
    }
    int payload = offset + HEADER_LENGTH;
    header(buffer, offset, opcode, TauFrameDescriptor.THREE_LABEL_PAYLOAD_LENGTH);
    first.write(buffer, payload);
    second.write(buffer, payload + LABEL_LENGTH);
    third.write(buffer, payload + 2 * LABEL_LENGTH);
    return HEADER_LENGTH + TauFrameDescriptor.THREE_LABEL_PAYLOAD_LENGTH;
  }

  /** OK answering a point query that found {@code value}: {@code 01} then the value's raw bits. */
  public static int queryFound(MutableDirectBuffer buffer, int offset, double value) {
    header(buffer, offset, TauOpcode.OK, TauFrameDescriptor.QUERY_REPLY_FOUND_LENGTH);
    buffer.putByte(offset + HEADER_LENGTH, QUERY_REPLY_FOUND);
    buffer.putLong(offset + HEADER_LENGTH + 1, Double.doubleToRawLongBits(value), BYTE_ORDER);
    return HEADER_LENGTH + TauFrameDescriptor.QUERY_REPLY_FOUND_LENGTH;
  }

  /** OK answering a point query that found nothing: a lone {@code 00}. */
  public static int queryNotFound(MutableDirectBuffer buffer, int offset) {
    header(buffer, offset, TauOpcode.OK, TauFrameDescriptor.QUERY_REPLY_NOT_FOUND_LENGTH);
    buffer.putByte(offset + HEADER_LENGTH, QUERY_REPLY_NOT_FOUND);
    return HEADER_LENGTH + TauFrameDescriptor.QUERY_REPLY_NOT_FOUND_LENGTH;
  }

  /** OK answering LIST_LENSES or LIST_SERIES: the labels back to back, in the order given. */
  public static int labelList(MutableDirectBuffer buffer, int offset, List<TauLabel> labels) {
    int payloadLength = labels.size() * LABEL_LENGTH;
    header(buffer, offset, TauOpcode.OK, payloadLength);
    int position = offset + HEADER_LENGTH;
    for (int i = 0, n = labels.size(); i < n; i++) {
      labels.get(i).write(buffer, position);
      position += LABEL_LENGTH;
    }
    return HEADER_LENGTH + payloadLength;
  }

  /**
   * APPEND_BATCH of {@code count} points taken from {@code timestamps[from..]} and {@code
   * values[from..]}; the frame is {@code 46 + 16 x count} bytes. Values keep their raw bits.
   */
  public static int appendBatch(
      MutableDirectBuffer buffer,
      int offset,
      TauLabel series,
      long[] timestamps,
      double[] values,
      int from,
      int count) {
    if (count < 0 || count > MAX_BATCH_POINTS) {
      throw new IllegalArgumentException(
          "count=" + count + " must be in [0, " + MAX_BATCH_POINTS + "]");
    }
    int payloadLength = (int) TauFrameDescriptor.appendBatchPayloadLength(count);
    int payload = offset + HEADER_LENGTH;
    header(buffer, offset, TauOpcode.APPEND_BATCH, payloadLength);
    series.write(buffer, payload);
    buffer.putInt(payload + BATCH_COUNT_OFFSET, count, BYTE_ORDER);
    int position = payload + BATCH_POINTS_OFFSET;
    for (int i = from, end = from + count; i < end; i++) {
      buffer.putLong(position, timestamps[i], BYTE_ORDER);
      buffer.putLong(position + 8, Double.doubleToRawLongBits(values[i]), BYTE_ORDER);
      position += POINT_LENGTH;
    }
    return HEADER_LENGTH + payloadLength;
  }

  /**
   * QUERY_RANGE over {@code from <= timestamp <= to}, at most {@code limit} points ({@code limit}
   * is an unsigned u32, 0..4294967295).
   */
  public static int queryRange(
      MutableDirectBuffer buffer, int offset, TauLabel series, long from, long to, long limit) {
    if (limit < 0 || limit > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("limit=" + limit + " must be in [0, 4294967295]");
    }
    int payload = offset + HEADER_LENGTH;
    header(buffer, offset, TauOpcode.QUERY_RANGE, QUERY_RANGE_PAYLOAD_LENGTH);
    series.write(buffer, payload);
    buffer.putLong(payload + RANGE_FROM_OFFSET, from, BYTE_ORDER);
    buffer.putLong(payload + RANGE_TO_OFFSET, to, BYTE_ORDER);
    buffer.putInt(payload + RANGE_LIMIT_OFFSET, (int) limit, BYTE_ORDER);
    return HEADER_LENGTH + QUERY_RANGE_PAYLOAD_LENGTH;
  }

  /** QUERY_AGGREGATE over {@code from <= timestamp <= to}. */
  public static int queryAggregate(
      MutableDirectBuffer buffer, int offset, TauLabel series, long from, long to) {
    int payload = offset + HEADER_LENGTH;
    header(buffer, offset, TauOpcode.QUERY_AGGREGATE, QUERY_AGGREGATE_PAYLOAD_LENGTH);
    series.write(buffer, payload);
    buffer.putLong(payload + RANGE_FROM_OFFSET, from, BYTE_ORDER);
    buffer.putLong(payload + RANGE_TO_OFFSET, to, BYTE_ORDER);
    return HEADER_LENGTH + QUERY_AGGREGATE_PAYLOAD_LENGTH;
  }

  /**
   * OK answering QUERY_LATEST that found a point: {@code 01} timestamp value. A miss is answered
   * with {@link #queryNotFound}, the same lone {@code 00} as a point query.
   */
  public static int latestFound(
      MutableDirectBuffer buffer, int offset, long timestamp, double value) {
    int payload = offset + HEADER_LENGTH;
    header(buffer, offset, TauOpcode.OK, LATEST_REPLY_FOUND_LENGTH);
    buffer.putByte(payload, QUERY_REPLY_FOUND);
    buffer.putLong(payload + 1, timestamp, BYTE_ORDER);
    buffer.putLong(payload + 9, Double.doubleToRawLongBits(value), BYTE_ORDER);
    return HEADER_LENGTH + LATEST_REPLY_FOUND_LENGTH;
  }

  /**
   * Writes point {@code index} of a QUERY_RANGE reply whose frame starts at {@code frameOffset};
   * finish the frame with {@link #rangeReplyFinish}. Lets a server stream points straight from the
   * engine into the reply.
   */
  public static void rangeReplyPoint(
      MutableDirectBuffer buffer, int frameOffset, int index, long timestamp, double value) {
    int position = frameOffset + HEADER_LENGTH + TauFrameDescriptor.rangeReplyPointOffset(index);
    buffer.putLong(position, timestamp, BYTE_ORDER);
    buffer.putLong(position + 8, Double.doubleToRawLongBits(value), BYTE_ORDER);
  }

  /**
   * Writes the header, count and has_more byte of a QUERY_RANGE reply whose {@code count} points
   * {@link #rangeReplyPoint} already wrote; returns the frame length.
   */
  public static int rangeReplyFinish(
      MutableDirectBuffer buffer, int frameOffset, int count, boolean hasMore) {
    if (count < 0 || count > MAX_RANGE_REPLY_POINTS) {
      throw new IllegalArgumentException(
          "count=" + count + " must be in [0, " + MAX_RANGE_REPLY_POINTS + "]");
    }
    int payloadLength = TauFrameDescriptor.rangeReplyPayloadLength(count);
    header(buffer, frameOffset, TauOpcode.OK, payloadLength);
    buffer.putInt(frameOffset + HEADER_LENGTH, count, BYTE_ORDER);
    buffer.putByte(frameOffset + HEADER_LENGTH + payloadLength - 1, (byte) (hasMore ? 1 : 0));
    return HEADER_LENGTH + payloadLength;
  }

  /** A whole QUERY_RANGE reply from {@code count} points of the two arrays. */
  public static int rangeReply(
      MutableDirectBuffer buffer,
      int offset,
      long[] timestamps,
      double[] values,
      int count,
      boolean hasMore) {
    for (int i = 0; i < count; i++) {
      rangeReplyPoint(buffer, offset, i, timestamps[i], values[i]);
    }
    return rangeReplyFinish(buffer, offset, count, hasMore);
  }

  /**
   * OK answering QUERY_AGGREGATE: count (u64), min, max, sum, mean, each f64 as raw bits (an empty
   * window sends count 0 and NaN for the rest).
   */
  public static int aggregateReply(
      MutableDirectBuffer buffer,
      int offset,
      long count,
      double min,
      double max,
      double sum,
      double mean) {
    int payload = offset + HEADER_LENGTH;
    header(buffer, offset, TauOpcode.OK, AGGREGATE_REPLY_LENGTH);
    buffer.putLong(payload, count, BYTE_ORDER);
    buffer.putLong(payload + 8, Double.doubleToRawLongBits(min), BYTE_ORDER);
    buffer.putLong(payload + 16, Double.doubleToRawLongBits(max), BYTE_ORDER);
    buffer.putLong(payload + 24, Double.doubleToRawLongBits(sum), BYTE_ORDER);
    buffer.putLong(payload + 32, Double.doubleToRawLongBits(mean), BYTE_ORDER);
    return HEADER_LENGTH + AGGREGATE_REPLY_LENGTH;
  }

  /** ERR with one status byte. */
  public static int error(MutableDirectBuffer buffer, int offset, TauStatus status) {
    header(buffer, offset, TauOpcode.ERR, TauFrameDescriptor.ERR_PAYLOAD_LENGTH);
    buffer.putByte(offset + HEADER_LENGTH, (byte) status.code());
    return HEADER_LENGTH + TauFrameDescriptor.ERR_PAYLOAD_LENGTH;
  }
}
