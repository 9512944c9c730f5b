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
 * timestamps and f64 values sent as their raw IEEE-754 bit pattern:
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
 * <p>Replies: {@code OK} carries an opcode-specific payload (empty; {@code 01 value(8)} or {@code
 * 00} for a point query; N×32 labels for LIST_LENSES), {@code ERR} exactly one status byte, {@code
 * PONG} nothing.
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

  private TauFrameDescriptor() {}

  /** Offset within a payload of its {@code index}-th 32-byte label. */
  public static int labelOffset(int index) {
    return index * LABEL_LENGTH;
  }
}
