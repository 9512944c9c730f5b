package io.tokenworks.protocol.tkn;

import static io.tokenworks.protocol.tkn.TknFrameDescriptor.BYTE_ORDER;
import static io.tokenworks.protocol.tkn.TknFrameDescriptor.HEADER_LENGTH;
import static io.tokenworks.protocol.tkn.TknFrameDescriptor.PAYLOAD_LENGTH_OFFSET;
import static io.tokenworks.protocol.tkn.TknFrameDescriptor.TYPE_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.ACK_CREDIT_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.ACK_FRAMES_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.ACK_SYMBOLS_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.ACK_TOKENS_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.ERROR_CODE_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.ERROR_FRAME_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.ERROR_MESSAGE_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.FLUSHED_REQUEST_ID_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.FLUSHED_TOKENS_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.FLUSH_REQUEST_ID_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.HELLO_FLAGS_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.HELLO_MAGIC_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.HELLO_MIN_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.HELLO_TENANT_LENGTH_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.HELLO_TENANT_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.HELLO_VERSION_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.MAGIC;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.MAX_TENANT_LENGTH;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.MAX_TOKEN_LENGTH;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.READY_CREDIT_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.READY_MAX_PAYLOAD_LENGTH_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.READY_MIN_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.READY_SESSION_ID_LENGTH_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.READY_SESSION_ID_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.READY_VERSION_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.VERSION;

import org.agrona.DirectBuffer;

/**
 * Finds HELLO mode control frames in a byte stream and reads their fields in place. Call {@link
 * #decode} with everything received but not yet consumed; like {@link TknFrameDecoder} it never
 * throws for bad bytes, never reads past {@code offset + length}, allocates nothing and keeps no
 * reference to the buffer beyond the frame it last found.
 *
 * <p>A stream that mixes control and data frames (a server's inbound side) is read by trying this
 * decoder first: on {@link TknControlResult#NOT_CONTROL} the frame is a v1 data frame (or unknown)
 * for {@link TknFrameDecoder}.
 *
 * <p>After {@link TknControlResult#FRAME}, {@link #type()} says which accessors apply; the others
 * return meaningless values. Fields that two types share have one accessor: {@link #version()}
 * (HELLO, READY), {@link #credit()} (READY's initial credit, ACK's grant), {@link #tokens()} (ACK,
 * FLUSHED), {@link #requestId()} (FLUSH, FLUSHED). Not thread-safe: one decoder per connection.
 */
public final class TknControlDecoder {

  private DirectBuffer buffer;
  private int payloadOffset;
  private int payloadLength;
  private TknControlType type;
  private int frameLength;

  /**
   * Decodes the control frame that starts at {@code offset}.
   *
   * @return {@link TknControlResult#FRAME} with {@link #type()} and {@link #frameLength()} set,
   *     {@link TknControlResult#NEED_MORE} with {@link #frameLength()} set to the bytes needed,
   *     {@link TknControlResult#NOT_CONTROL}, or an error
   */
  public TknControlResult decode(DirectBuffer buffer, int offset, int length) {
    type = null;
    if (length < 1) {
      frameLength = HEADER_LENGTH;
      return TknControlResult.NEED_MORE;
    }
    TknControlType found = TknControlType.fromCode(buffer.getByte(offset + TYPE_OFFSET));
    if (found == null) {
      frameLength = 0;
      return TknControlResult.NOT_CONTROL;
    }
    if (length < HEADER_LENGTH) {
      frameLength = HEADER_LENGTH;
      return TknControlResult.NEED_MORE;
    }
    long declared = buffer.getInt(offset + PAYLOAD_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF_FFFFL;
    if (declared > found.maxPayloadLength()) {
      frameLength = 0;
      return TknControlResult.PAYLOAD_TOO_LARGE;
    }
    frameLength = HEADER_LENGTH + (int) declared;
    if (length < frameLength) {
      return TknControlResult.NEED_MORE;
    }
    this.buffer = buffer;
    this.payloadOffset = offset + HEADER_LENGTH;
    this.payloadLength = (int) declared;
    this.type = found;
    if (declared < found.minPayloadLength()) {
      return TknControlResult.LENGTH_MISMATCH;
    }
    switch (found) {
      case HELLO:
        return checkHello();
      case READY:
        return checkReady();
      default:
        // The other layouts are fixed or end in free text: min and max say it all.
        return TknControlResult.FRAME;
    }
  }

  private TknControlResult checkHello() {
    if (buffer.getInt(payloadOffset + HELLO_MAGIC_OFFSET, BYTE_ORDER) != MAGIC) {
      return TknControlResult.BAD_MAGIC;
    }
    if (version() != VERSION) {
      return TknControlResult.UNSUPPORTED_VERSION;
    }
    if (flags() != 0) {
      return TknControlResult.RESERVED_FLAGS;
    }
    int tenantLength = tenantLength();
    if (HELLO_MIN_PAYLOAD_LENGTH + tenantLength > payloadLength) {
      return TknControlResult.LENGTH_MISMATCH;
    }
    if (HELLO_MIN_PAYLOAD_LENGTH + tenantLength + tokenLength() != payloadLength) {
      return TknControlResult.LENGTH_MISMATCH;
    }
    if (tenantLength > MAX_TENANT_LENGTH) {
      return TknControlResult.BAD_TENANT;
    }
    for (int i = 0; i < tenantLength; i++) {
      if (!TknHelloDescriptor.isTenantChar(
          buffer.getByte(payloadOffset + HELLO_TENANT_OFFSET + i))) {
        return TknControlResult.BAD_TENANT;
      }
    }
    if (tokenLength() > MAX_TOKEN_LENGTH) {
      return TknControlResult.TOKEN_TOO_LONG;
    }
    return TknControlResult.FRAME;
  }

  private TknControlResult checkReady() {
    if (version() != VERSION) {
      return TknControlResult.UNSUPPORTED_VERSION;
    }
    int sessionIdLength = sessionIdLength();
    if (READY_MIN_PAYLOAD_LENGTH + sessionIdLength != payloadLength) {
      return TknControlResult.LENGTH_MISMATCH;
    }
    for (int i = 0; i < sessionIdLength; i++) {
      byte b = buffer.getByte(payloadOffset + READY_SESSION_ID_OFFSET + i);
      if (b < 0x20 || b > 0x7E) {
        return TknControlResult.BAD_SESSION_ID;
      }
    }
    return TknControlResult.FRAME;
  }

  /**
   * The type of the last frame decoded whole, or {@code null} after {@link
   * TknControlResult#NEED_MORE}, {@link TknControlResult#NOT_CONTROL} or {@link
   * TknControlResult#PAYLOAD_TOO_LARGE}.
   */
  public TknControlType type() {
    return type;
  }

  /**
   * After a whole frame (valid or not): the bytes it occupies, to consume or skip. After {@link
   * TknControlResult#NEED_MORE}: the bytes needed before the next call can make progress. Zero
   * after {@link TknControlResult#NOT_CONTROL} and {@link TknControlResult#PAYLOAD_TOO_LARGE}.
   */
  public int frameLength() {
    return frameLength;
  }

  public DirectBuffer buffer() {
    return buffer;
  }

  /** Offset in {@link #buffer()} of the last whole frame's payload. */
  public int payloadOffset() {
    return payloadOffset;
  }

  public int payloadLength() {
    return payloadLength;
  }

  /** HELLO and READY: the protocol version. */
  public int version() {
    int at = type == TknControlType.HELLO ? HELLO_VERSION_OFFSET : READY_VERSION_OFFSET;
    return buffer.getByte(payloadOffset + at) & 0xFF;
  }

  /** HELLO: the flags byte (0 in a valid HELLO). */
  public int flags() {
    return buffer.getByte(payloadOffset + HELLO_FLAGS_OFFSET) & 0xFF;
  }

  /** HELLO: the tenant's length in bytes; 0 asks for the server's default tenant. */
  public int tenantLength() {
    return buffer.getByte(payloadOffset + HELLO_TENANT_LENGTH_OFFSET) & 0xFF;
  }

  /** HELLO: offset of the tenant's bytes in {@link #buffer()}. */
  public int tenantOffset() {
    return payloadOffset + HELLO_TENANT_OFFSET;
  }

  /** HELLO: the tenant as a string. Allocates: not for hot paths (a HELLO is once a session). */
  public String tenant() {
    return buffer.getStringWithoutLengthAscii(tenantOffset(), tenantLength());
  }

  /** HELLO: the auth token's length in bytes. */
  public int tokenLength() {
    return buffer.getShort(tenantOffset() + tenantLength(), BYTE_ORDER) & 0xFFFF;
  }

  /** HELLO: offset of the auth token's bytes in {@link #buffer()}. */
  public int tokenOffset() {
    return tenantOffset() + tenantLength() + 2;
  }

  /** HELLO: a copy of the auth token. Allocates. */
  public byte[] token() {
    byte[] token = new byte[tokenLength()];
    buffer.getBytes(tokenOffset(), token);
    return token;
  }

  /** READY: the initial credit; ACK: the credit granted by this ACK. A u32. */
  public long credit() {
    int at = type == TknControlType.READY ? READY_CREDIT_OFFSET : ACK_CREDIT_OFFSET;
    return buffer.getInt(payloadOffset + at, BYTE_ORDER) & 0xFFFF_FFFFL;
  }

  /** READY: the largest data frame payload the server accepts. A u32. */
  public long maxPayloadLength() {
    return buffer.getInt(payloadOffset + READY_MAX_PAYLOAD_LENGTH_OFFSET, BYTE_ORDER)
        & 0xFFFF_FFFFL;
  }

  /** READY: the session id's length in bytes. */
  public int sessionIdLength() {
    return buffer.getByte(payloadOffset + READY_SESSION_ID_LENGTH_OFFSET) & 0xFF;
  }

  /** READY: the session id. Allocates. */
  public String sessionId() {
    return buffer.getStringWithoutLengthAscii(
        payloadOffset + READY_SESSION_ID_OFFSET, sessionIdLength());
  }

  /** ACK: data frames processed in this session so far. */
  public long frames() {
    return buffer.getLong(payloadOffset + ACK_FRAMES_OFFSET, BYTE_ORDER);
  }

  /** ACK: symbols mined in this session so far. */
  public long symbols() {
    return buffer.getLong(payloadOffset + ACK_SYMBOLS_OFFSET, BYTE_ORDER);
  }

  /** ACK: tokens emitted so far; FLUSHED: tokens written to the graph sink so far. */
  public long tokens() {
    int at = type == TknControlType.ACK ? ACK_TOKENS_OFFSET : FLUSHED_TOKENS_OFFSET;
    return buffer.getLong(payloadOffset + at, BYTE_ORDER);
  }

  /** ERROR: the u16 error code; see {@link TknErrorCode#fromCode}. */
  public int errorCode() {
    return buffer.getShort(payloadOffset + ERROR_CODE_OFFSET, BYTE_ORDER) & 0xFFFF;
  }

  /** ERROR: the 1-based number of the data frame concerned, or 0 for none. */
  public long errorFrame() {
    return buffer.getLong(payloadOffset + ERROR_FRAME_OFFSET, BYTE_ORDER);
  }

  /** ERROR: offset of the UTF-8 message in {@link #buffer()}. */
  public int messageOffset() {
    return payloadOffset + ERROR_MESSAGE_OFFSET;
  }

  /** ERROR: the message's length in bytes. */
  public int messageLength() {
    return payloadLength - ERROR_MESSAGE_OFFSET;
  }

  /** ERROR: the message decoded as UTF-8 (malformed bytes become U+FFFD). Allocates. */
  public String message() {
    return buffer.getStringWithoutLengthUtf8(messageOffset(), messageLength());
  }

  /** FLUSH and FLUSHED: the request id. */
  public long requestId() {
    int at = type == TknControlType.FLUSH ? FLUSH_REQUEST_ID_OFFSET : FLUSHED_REQUEST_ID_OFFSET;
    return buffer.getLong(payloadOffset + at, BYTE_ORDER);
  }
}
