package io.tokenworks.protocol.tkn;

/**
 * Layout of the HELLO mode control frames, a Tokenworks extension of TKN v1 that a client opts into
 * by sending HELLO as its first frame. Control frames use the v1 5-byte header ({@link
 * TknFrameDescriptor}) with the type codes of {@link TknControlType}; all integers are big-endian.
 * Offsets below are relative to the start of the payload.
 *
 * <pre>
 *  HELLO   (0x10, client to server, 9..1097 bytes)
 *  +-------------+---------+--------+-------+-----------+-----------+-------------+
 *  | "TKNH"      | version | flags  | t_len | tenant    | k_len     | auth token  |
 *  | 54 4B 4E 48 | u8 = 1  | u8 = 0 | u8    | t_len B   | u16       | k_len B     |
 *  +-------------+---------+--------+-------+-----------+-----------+-------------+
 *   0             4         5        6       7           7+t_len     9+t_len
 *   tenant: 0..64 bytes of [A-Za-z0-9._-], empty = the server's default tenant
 *   token:  0..1024 bytes
 *
 *  READY   (0x11, server to client, 10..265 bytes)
 *  +---------+----------------+-------------------+-------+---------------------+
 *  | version | initial credit | max payload length| s_len | session id (ASCII)  |
 *  | u8      | u32            | u32               | u8    | s_len B             |
 *  +---------+----------------+-------------------+-------+---------------------+
 *   0         1                5                   9       10
 *
 *  ACK     (0x12, server to client, 28 bytes)
 *  +-------------+-------------+-------------+---------+
 *  | frames u64  | symbols u64 | tokens u64  | credit  |
 *  |             |             |             | u32     |
 *  +-------------+-------------+-------------+---------+
 *   0             8             16            24
 *
 *  ERROR   (0x13, server to client, 10..1034 bytes)
 *  +----------+-------------+---------------------------------+
 *  | code u16 | frame u64   | message, UTF-8, rest of payload |
 *  +----------+-------------+---------------------------------+
 *   0          2             10
 *
 *  FLUSH   (0x14, client to server, 8 bytes)    FLUSHED (0x15, server to client, 16 bytes)
 *  +----------------+                           +----------------+------------+
 *  | request id u64 |                           | request id u64 | tokens u64 |
 *  +----------------+                           +----------------+------------+
 *
 *  HELLO, tenant "acme", no token:
 *  10 0000000d | 544b4e48 01 00 04 61636d65 0000
 * </pre>
 *
 * <p>Counters that are u64 on the wire are read as Java {@code long}s (two's complement above
 * 2^63-1); u32 values are read as non-negative {@code long}s.
 */
public final class TknHelloDescriptor {

  /** {@code "TKNH"}, the first four payload bytes of a HELLO. */
  public static final int MAGIC = 0x544B_4E48;

  /** The only HELLO mode version so far. */
  public static final int VERSION = 1;

  public static final int MAX_TENANT_LENGTH = 64;
  public static final int MAX_TOKEN_LENGTH = 1024;
  public static final int MAX_SESSION_ID_LENGTH = 255;
  public static final int MAX_ERROR_MESSAGE_LENGTH = 1024;

  /** The largest value of a u32 field (credit, max payload length). */
  public static final long MAX_U32 = 0xFFFF_FFFFL;

  public static final int HELLO_MAGIC_OFFSET = 0;
  public static final int HELLO_VERSION_OFFSET = 4;
  public static final int HELLO_FLAGS_OFFSET = 5;
  public static final int HELLO_TENANT_LENGTH_OFFSET = 6;
  public static final int HELLO_TENANT_OFFSET = 7;

  /** HELLO without tenant or token: magic, version, flags and the two length fields. */
  public static final int HELLO_MIN_PAYLOAD_LENGTH = 9;

  public static final int READY_VERSION_OFFSET = 0;
  public static final int READY_CREDIT_OFFSET = 1;
  public static final int READY_MAX_PAYLOAD_LENGTH_OFFSET = 5;
  public static final int READY_SESSION_ID_LENGTH_OFFSET = 9;
  public static final int READY_SESSION_ID_OFFSET = 10;
  public static final int READY_MIN_PAYLOAD_LENGTH = 10;

  public static final int ACK_FRAMES_OFFSET = 0;
  public static final int ACK_SYMBOLS_OFFSET = 8;
  public static final int ACK_TOKENS_OFFSET = 16;
  public static final int ACK_CREDIT_OFFSET = 24;
  public static final int ACK_PAYLOAD_LENGTH = 28;

  public static final int ERROR_CODE_OFFSET = 0;
  public static final int ERROR_FRAME_OFFSET = 2;
  public static final int ERROR_MESSAGE_OFFSET = 10;
  public static final int ERROR_MIN_PAYLOAD_LENGTH = 10;

  public static final int FLUSH_REQUEST_ID_OFFSET = 0;
  public static final int FLUSH_PAYLOAD_LENGTH = 8;

  public static final int FLUSHED_REQUEST_ID_OFFSET = 0;
  public static final int FLUSHED_TOKENS_OFFSET = 8;
  public static final int FLUSHED_PAYLOAD_LENGTH = 16;

  private static final boolean[] TENANT_CHARS = new boolean[128];

  static {
    for (int c = 'a'; c <= 'z'; c++) {
      TENANT_CHARS[c] = true;
      TENANT_CHARS[c - 'a' + 'A'] = true;
    }
    for (int c = '0'; c <= '9'; c++) {
      TENANT_CHARS[c] = true;
    }
    TENANT_CHARS['.'] = true;
    TENANT_CHARS['_'] = true;
    TENANT_CHARS['-'] = true;
  }

  private TknHelloDescriptor() {}

  /** Whether {@code c} may appear in a tenant: {@code [A-Za-z0-9._-]}. */
  public static boolean isTenantChar(int c) {
    return c >= 0 && c < TENANT_CHARS.length && TENANT_CHARS[c];
  }

  /** Payload length of a HELLO with a tenant and token of these lengths. */
  public static int helloPayloadLength(int tenantLength, int tokenLength) {
    return HELLO_MIN_PAYLOAD_LENGTH + tenantLength + tokenLength;
  }

  /** Offset of a HELLO's token length field, which follows the tenant. */
  public static int helloTokenLengthOffset(int tenantLength) {
    return HELLO_TENANT_OFFSET + tenantLength;
  }
}
