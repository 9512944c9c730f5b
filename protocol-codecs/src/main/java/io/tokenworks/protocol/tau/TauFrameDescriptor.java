package io.tokenworks.protocol.tau;

import java.nio.ByteOrder;

/**
 * Layout of a TAU v1 frame, the same in both directions. Every multi-byte integer is big-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+---------------+---------------+
 *  |      'T'      |      'A'      |      'U'      |  version 0x01 |
 *  +---------------+---------------+---------------+---------------+
 *  |    opcode     |     flags     |   payload length (u32, BE)    |
 *  +---------------+---------------+---------------+---------------+
 *  |     payload length (cont.)    |  payload ...                  |
 *  +-------------------------------+-------------------------------+
 * </pre>
 *
 * <p>Request payloads are built from 32-byte labels (UTF-8, zero-padded on the right), i64
 * timestamps, f64 values sent as their raw IEEE-754 bit pattern and u32 counts:
 *
 * <pre>
 *  CREATE_SERIES, DROP_SERIES, DROP_LENS   label(32)                                   = 32
 *  CONNECT                                 certificate(32)                             = 32
 *  APPEND                                  label(32) timestamp(8) value(8)             = 48
 *  QUERY_POINT, QUERY_LENS                 label(32) timestamp(8)                      = 40
 *  CREATE_LENS                             lens(32) source series(32) transform(32)    = 96
 *  COMPOSE_LENS                            new lens(32) first lens(32) second lens(32) = 96
 *  DISCONNECT, PING, LIST_LENSES           any length, ignored
 * </pre>
 *
 * <p>Tokenworks extensions (additive: a v1 client never sends these codes, so it never sees their
 * replies):
 *
 * <pre>
 *  LIST_SERIES      0x12  (empty)                                              = 0
 *  APPEND_BATCH     0x21  label(32) count(u32) count x [timestamp(8) value(8)] = 36 + 16 x count
 *  QUERY_RANGE      0x31  label(32) from(8) to(8) limit(u32)                   = 52
 *  QUERY_LATEST     0x32  label(32) as_of(8)                                   = 40
 *  QUERY_AGGREGATE  0x33  label(32) from(8) to(8)                              = 48
 * </pre>
 *
 * <p>APPEND_BATCH is the one opcode whose length is variable: the decoder reads {@code count} and
 * accepts the frame only when the payload is exactly {@code 36 + 16 x count} bytes, otherwise it
 * answers {@link TauDecodeResult#BAD_LENGTH_FOR_OPCODE} like any other wrong length. Ranges are
 * closed: {@code from <= timestamp <= to}.
 *
 * <p>Replies: {@code OK} carries an opcode-specific payload, {@code ERR} exactly one status byte,
 * {@code PONG} nothing:
 *
 * <pre>
 *  most requests             (empty)
 *  QUERY_POINT, QUERY_LENS   01 value(8)                 found     = 9
 *                            00                          not found = 1
 *  QUERY_LATEST              01 timestamp(8) value(8)    found     = 17
 *                            00                          not found = 1
 *  QUERY_RANGE               count(u32) count x [timestamp(8) value(8)] has_more(u8)
 *                                                        = 5 + 16 x count
 *  QUERY_AGGREGATE           count(u64) min(8) max(8) sum(8) mean(8)       = 40
 *  LIST_LENSES, LIST_SERIES  N x label(32)
 * </pre>
 *
 * <p>QUERY_RANGE returns at most {@code limit} points in ascending order; {@code has_more = 1} says
 * more points lie in the range, and the client pages by asking again from one past the last
 * timestamp it received. An empty aggregate window has count 0 and NaN for the rest.
 *
 * <p>The flags byte is reserved: senders write 0 and receivers ignore it, as upstream does.
 */
public final class TauFrameDescriptor {

  /** Byte order of every integer and float on the TAU wire. */
  public static final ByteOrder BYTE_ORDER = ByteOrder.BIG_ENDIAN;

  public static final int MAGIC_OFFSET = 0;
  public static final int MAGIC_LENGTH = 3;
  public static final byte MAGIC_0 = 'T';
  public static final byte MAGIC_1 = 'A';
  public static final byte MAGIC_2 = 'U';
  public static final int VERSION_OFFSET = 3;
  public static final byte VERSION = 0x01;
  public static final int OPCODE_OFFSET = 4;
  public static final int FLAGS_OFFSET = 5;
  public static final int PAYLOAD_LENGTH_OFFSET = 6;
  public static final int HEADER_LENGTH = 10;

  /**
   * The protocol's own ceiling on a payload: 4 MiB. A server may configure a lower limit, never a
   * higher.
   */
  public static final int MAX_PAYLOAD_LENGTH = 4 * 1024 * 1024;

  public static final int LABEL_LENGTH = 32;
  public static final int CERTIFICATE_LENGTH = 32;
  public static final int TIMESTAMP_LENGTH = 8;
  public static final int VALUE_LENGTH = 8;

  /**
   * Offsets within the payload of the series (or lens) label and the timestamp/value that follow
   * it.
   */
  public static final int LABEL_OFFSET = 0;

  public static final int TIMESTAMP_OFFSET = LABEL_LENGTH;
  public static final int VALUE_OFFSET = TIMESTAMP_OFFSET + TIMESTAMP_LENGTH;

  public static final int LABEL_PAYLOAD_LENGTH = LABEL_LENGTH;
  public static final int APPEND_PAYLOAD_LENGTH = LABEL_LENGTH + TIMESTAMP_LENGTH + VALUE_LENGTH;
  public static final int QUERY_PAYLOAD_LENGTH = LABEL_LENGTH + TIMESTAMP_LENGTH;
  public static final int THREE_LABEL_PAYLOAD_LENGTH = 3 * LABEL_LENGTH;

  /** A point-query reply: {@code 01} then the value when found, a lone {@code 00} when not. */
  public static final int QUERY_REPLY_FOUND_LENGTH = 1 + VALUE_LENGTH;

  public static final int QUERY_REPLY_NOT_FOUND_LENGTH = 1;
  public static final byte QUERY_REPLY_FOUND = 1;
  public static final byte QUERY_REPLY_NOT_FOUND = 0;

  public static final int ERR_PAYLOAD_LENGTH = 1;

  /** Length of one (timestamp, value) pair in a batch or a range reply. */
  public static final int POINT_LENGTH = TIMESTAMP_LENGTH + VALUE_LENGTH;

  public static final int COUNT_LENGTH = 4;

  /** APPEND_BATCH: offset of the u32 point count, then of the first point, within the payload. */
  public static final int BATCH_COUNT_OFFSET = LABEL_LENGTH;

  public static final int BATCH_POINTS_OFFSET = BATCH_COUNT_OFFSET + COUNT_LENGTH;

  /** The shortest APPEND_BATCH payload: a label and a count of zero. */
  public static final int APPEND_BATCH_MIN_PAYLOAD_LENGTH = BATCH_POINTS_OFFSET;

  /** The most points one APPEND_BATCH can carry under the protocol's 4 MiB ceiling. */
  public static final int MAX_BATCH_POINTS =
      (MAX_PAYLOAD_LENGTH - APPEND_BATCH_MIN_PAYLOAD_LENGTH) / POINT_LENGTH;

  /** QUERY_RANGE and QUERY_AGGREGATE: offsets of from, to (and limit) within the payload. */
  public static final int RANGE_FROM_OFFSET = LABEL_LENGTH;

  public static final int RANGE_TO_OFFSET = RANGE_FROM_OFFSET + TIMESTAMP_LENGTH;
  public static final int RANGE_LIMIT_OFFSET = RANGE_TO_OFFSET + TIMESTAMP_LENGTH;
  public static final int QUERY_RANGE_PAYLOAD_LENGTH = RANGE_LIMIT_OFFSET + COUNT_LENGTH;
  public static final int QUERY_AGGREGATE_PAYLOAD_LENGTH = RANGE_LIMIT_OFFSET;

  /** A QUERY_LATEST reply that found a point: {@code 01} timestamp value. */
  public static final int LATEST_REPLY_FOUND_LENGTH = 1 + TIMESTAMP_LENGTH + VALUE_LENGTH;

  /** A QUERY_RANGE reply: the u32 count, the points, then the has_more byte. */
  public static final int RANGE_REPLY_POINTS_OFFSET = COUNT_LENGTH;

  public static final int RANGE_REPLY_EMPTY_LENGTH = COUNT_LENGTH + 1;

  /** The most points one QUERY_RANGE reply can carry under the protocol's 4 MiB ceiling. */
  public static final int MAX_RANGE_REPLY_POINTS =
      (MAX_PAYLOAD_LENGTH - RANGE_REPLY_EMPTY_LENGTH) / POINT_LENGTH;

  /** A QUERY_AGGREGATE reply: count(u64) min max sum mean. */
  public static final int AGGREGATE_REPLY_LENGTH = 8 + 4 * VALUE_LENGTH;

  private TauFrameDescriptor() {}

  /** Offset within a payload of its {@code index}-th 32-byte label. */
  public static int labelOffset(int index) {
    return index * LABEL_LENGTH;
  }

  /**
   * The exact APPEND_BATCH payload length for {@code count} points (as an unsigned u32); a long
   * because a hostile count overflows an int.
   */
  public static long appendBatchPayloadLength(long count) {
    return APPEND_BATCH_MIN_PAYLOAD_LENGTH + POINT_LENGTH * count;
  }

  /** Offset within an APPEND_BATCH payload of point {@code index}. */
  public static int batchPointOffset(int index) {
    return BATCH_POINTS_OFFSET + index * POINT_LENGTH;
  }

  /** The QUERY_RANGE reply payload length for {@code count} points. */
  public static int rangeReplyPayloadLength(int count) {
    return RANGE_REPLY_EMPTY_LENGTH + count * POINT_LENGTH;
  }

  /** Offset within a QUERY_RANGE reply payload of point {@code index}. */
  public static int rangeReplyPointOffset(int index) {
    return RANGE_REPLY_POINTS_OFFSET + index * POINT_LENGTH;
  }
}
