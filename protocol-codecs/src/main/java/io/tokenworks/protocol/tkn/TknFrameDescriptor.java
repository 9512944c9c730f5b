package io.tokenworks.protocol.tkn;

import java.nio.ByteOrder;

/**
 * Layout of a TKN v1 frame, the same in both directions. There is no magic, version or checksum: a
 * frame is a type byte and a big-endian payload length, then the payload.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+-----------------------------------------------+
 *  |  type (u8)    |        payload length (u32, BE) ...           |
 *  +---------------+---------------+-------------------------------+
 *  | ... (cont.)   |  payload (payload length bytes) ...           |
 *  +---------------+-----------------------------------------------+
 * </pre>
 *
 * <p>Payloads by {@link TknFrameType}: JSON and STRING carry UTF-8 text, BINARY raw bytes, and
 * BATCH a sequence of items. Each batch item is itself a whole mini frame, header and payload
 * interleaved, packed back to back with no padding and no count:
 *
 * <pre>
 *  +------+------------------+---------------------+---------------------+-----+
 *  | 0x04 | sum(5 + len_i)   | item 0              | item 1              | ... |
 *  +------+------------------+---------------------+---------------------+-----+
 *                           /                       \
 *                          +--------+-------------+----------------+
 *  item i:                 | type_i | len_i (u32) | payload (len_i)|
 *                          | (u8)   | BE          |                |
 *                          +--------+-------------+----------------+
 *
 *  BATCH[STRING "a", STRING "b"] = 04 0000000c | 02 00000001 61 | 02 00000001 62
 * </pre>
 *
 * <p>Upstream's README and the encoder's doc comment describe a different layout (all item headers
 * first, then all payloads); that description is wrong, its encoder writes the interleaved layout
 * drawn here, and so do we. An item may not be a BATCH and a batch may not be empty.
 *
 * <p>The length field is unsigned. Upstream assembles it with signed 32-bit shifts, so a value of
 * 2^31 or more goes negative there; here such a value is simply larger than any limit a decoder
 * accepts and is rejected from the header alone.
 */
public final class TknFrameDescriptor {

  /** Byte order of the length fields on the TKN wire. */
  public static final ByteOrder BYTE_ORDER = ByteOrder.BIG_ENDIAN;

  public static final int TYPE_OFFSET = 0;
  public static final int PAYLOAD_LENGTH_OFFSET = 1;
  public static final int HEADER_LENGTH = 5;

  /** A batch item starts with the same 5-byte header as a frame. */
  public static final int BATCH_ITEM_HEADER_LENGTH = HEADER_LENGTH;

  /**
   * The payload limit of a decoder built without one: 16 MiB. Upstream has no limit at all, which
   * lets one header make the server buffer up to 4 GiB.
   */
  public static final int DEFAULT_MAX_PAYLOAD_LENGTH = 16 * 1024 * 1024;

  /**
   * The largest payload any decoder or encoder handles, chosen so that a whole frame's length still
   * fits in an {@code int}.
   */
  public static final int MAX_PAYLOAD_LENGTH = Integer.MAX_VALUE - HEADER_LENGTH;

  private TknFrameDescriptor() {}

  /** Length of a whole frame (or batch item) carrying {@code payloadLength} bytes. */
  public static int frameLength(int payloadLength) {
    return HEADER_LENGTH + payloadLength;
  }
}
