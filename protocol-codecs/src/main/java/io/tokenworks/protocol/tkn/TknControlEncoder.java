package io.tokenworks.protocol.tkn;

import static io.tokenworks.protocol.tkn.TknFrameDescriptor.BYTE_ORDER;
import static io.tokenworks.protocol.tkn.TknFrameDescriptor.HEADER_LENGTH;
import static io.tokenworks.protocol.tkn.TknFrameDescriptor.PAYLOAD_LENGTH_OFFSET;
import static io.tokenworks.protocol.tkn.TknFrameDescriptor.TYPE_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.ACK_CREDIT_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.ACK_FRAMES_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.ACK_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.ACK_SYMBOLS_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.ACK_TOKENS_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.ERROR_CODE_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.ERROR_FRAME_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.ERROR_MESSAGE_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.FLUSHED_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.FLUSHED_REQUEST_ID_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.FLUSHED_TOKENS_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.FLUSH_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.FLUSH_REQUEST_ID_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.HELLO_FLAGS_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.HELLO_MAGIC_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.HELLO_TENANT_LENGTH_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.HELLO_TENANT_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.HELLO_VERSION_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.MAGIC;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.MAX_ERROR_MESSAGE_LENGTH;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.MAX_SESSION_ID_LENGTH;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.MAX_TENANT_LENGTH;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.MAX_TOKEN_LENGTH;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.MAX_U32;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.READY_CREDIT_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.READY_MAX_PAYLOAD_LENGTH_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.READY_MIN_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.READY_SESSION_ID_LENGTH_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.READY_SESSION_ID_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.READY_VERSION_OFFSET;
import static io.tokenworks.protocol.tkn.TknHelloDescriptor.VERSION;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes HELLO mode control frames into a caller-owned buffer (see {@link TknHelloDescriptor}).
 * Every method writes one whole frame at {@code offset} and returns its length; none allocates.
 * Values the layout cannot carry (a tenant with a forbidden character, a credit above u32, a
 * message above 1024 bytes) throw {@link IllegalArgumentException} before anything is written. As
 * with {@link TknFrameEncoder}, the caller makes sure the buffer has room: no control frame is
 * longer than {@code 5 + }{@link TknControlType#maxPayloadLength()}.
 */
public final class TknControlEncoder {

  private TknControlEncoder() {}

  /**
   * A HELLO for {@code tenant} (empty for the server's default) with {@code tokenLength} bytes of
   * auth token from {@code token}.
   */
  public static int hello(
      MutableDirectBuffer buffer,
      int offset,
      CharSequence tenant,
      DirectBuffer token,
      int tokenOffset,
      int tokenLength) {
    checkTenant(tenant);
    if (tokenLength < 0 || tokenLength > MAX_TOKEN_LENGTH) {
      throw new IllegalArgumentException(
          "token length=" + tokenLength + " must be in [0, " + MAX_TOKEN_LENGTH + "]");
    }
    int tenantLength = tenant.length();
    int payloadLength = TknHelloDescriptor.helloPayloadLength(tenantLength, tokenLength);
    int payload = offset + HEADER_LENGTH;
    header(buffer, offset, TknControlType.HELLO, payloadLength);
    buffer.putInt(payload + HELLO_MAGIC_OFFSET, MAGIC, BYTE_ORDER);
    buffer.putByte(payload + HELLO_VERSION_OFFSET, (byte) VERSION);
    buffer.putByte(payload + HELLO_FLAGS_OFFSET, (byte) 0);
    buffer.putByte(payload + HELLO_TENANT_LENGTH_OFFSET, (byte) tenantLength);
    for (int i = 0; i < tenantLength; i++) {
      buffer.putByte(payload + HELLO_TENANT_OFFSET + i, (byte) tenant.charAt(i));
    }
    int tokenLengthAt = payload + TknHelloDescriptor.helloTokenLengthOffset(tenantLength);
    buffer.putShort(tokenLengthAt, (short) tokenLength, BYTE_ORDER);
    if (tokenLength > 0) {
      buffer.putBytes(tokenLengthAt + 2, token, tokenOffset, tokenLength);
    }
    return HEADER_LENGTH + payloadLength;
  }

  /**
   * A READY granting {@code initialCredit} data frames, announcing {@code maxPayloadLength} and
   * naming the session {@code sessionId} (printable ASCII, at most 255 characters).
   */
  public static int ready(
      MutableDirectBuffer buffer,
      int offset,
      long initialCredit,
      long maxPayloadLength,
      CharSequence sessionId) {
    checkU32("initialCredit", initialCredit);
    checkU32("maxPayloadLength", maxPayloadLength);
    int sessionIdLength = sessionId.length();
    if (sessionIdLength > MAX_SESSION_ID_LENGTH) {
      throw new IllegalArgumentException(
          "sessionId length=" + sessionIdLength + " must be <= " + MAX_SESSION_ID_LENGTH);
    }
    for (int i = 0; i < sessionIdLength; i++) {
      char c = sessionId.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        throw new IllegalArgumentException(
            "sessionId char at " + i + "=U+" + Integer.toHexString(c) + " is no printable ASCII");
      }
    }
    int payloadLength = READY_MIN_PAYLOAD_LENGTH + sessionIdLength;
    int payload = offset + HEADER_LENGTH;
    header(buffer, offset, TknControlType.READY, payloadLength);
    buffer.putByte(payload + READY_VERSION_OFFSET, (byte) VERSION);
    buffer.putInt(payload + READY_CREDIT_OFFSET, (int) initialCredit, BYTE_ORDER);
    buffer.putInt(payload + READY_MAX_PAYLOAD_LENGTH_OFFSET, (int) maxPayloadLength, BYTE_ORDER);
    buffer.putByte(payload + READY_SESSION_ID_LENGTH_OFFSET, (byte) sessionIdLength);
    for (int i = 0; i < sessionIdLength; i++) {
      buffer.putByte(payload + READY_SESSION_ID_OFFSET + i, (byte) sessionId.charAt(i));
    }
    return HEADER_LENGTH + payloadLength;
  }

  /** An ACK with the session's cumulative figures and the credit it grants. */
  public static int ack(
      MutableDirectBuffer buffer, int offset, long frames, long symbols, long tokens, long credit) {
    checkU32("credit", credit);
    int payload = offset + HEADER_LENGTH;
    header(buffer, offset, TknControlType.ACK, ACK_PAYLOAD_LENGTH);
    buffer.putLong(payload + ACK_FRAMES_OFFSET, frames, BYTE_ORDER);
    buffer.putLong(payload + ACK_SYMBOLS_OFFSET, symbols, BYTE_ORDER);
    buffer.putLong(payload + ACK_TOKENS_OFFSET, tokens, BYTE_ORDER);
    buffer.putInt(payload + ACK_CREDIT_OFFSET, (int) credit, BYTE_ORDER);
    return HEADER_LENGTH + ACK_PAYLOAD_LENGTH;
  }

  /** An ERROR with {@code code}, the data frame concerned (0 for none) and a message. */
  public static int error(
      MutableDirectBuffer buffer,
      int offset,
      TknErrorCode code,
      long frameNumber,
      CharSequence message) {
    return error(buffer, offset, code.code(), frameNumber, message);
  }

  /**
   * An ERROR with a raw u16 {@code code}, e.g. one this library does not know yet. The message is
   * written as UTF-8 and must fit in {@link TknHelloDescriptor#MAX_ERROR_MESSAGE_LENGTH} bytes.
   */
  public static int error(
      MutableDirectBuffer buffer, int offset, int code, long frameNumber, CharSequence message) {
    if (code < 0 || code > 0xFFFF) {
      throw new IllegalArgumentException("code=" + code + " must be in [0, 65535]");
    }
    int messageLength = TknFrameEncoder.utf8Length(message);
    if (messageLength > MAX_ERROR_MESSAGE_LENGTH) {
      throw new IllegalArgumentException(
          "message length=" + messageLength + " bytes must be <= " + MAX_ERROR_MESSAGE_LENGTH);
    }
    int payload = offset + HEADER_LENGTH;
    header(buffer, offset, TknControlType.ERROR, ERROR_MESSAGE_OFFSET + messageLength);
    buffer.putShort(payload + ERROR_CODE_OFFSET, (short) code, BYTE_ORDER);
    buffer.putLong(payload + ERROR_FRAME_OFFSET, frameNumber, BYTE_ORDER);
    TknFrameEncoder.putUtf8(buffer, payload + ERROR_MESSAGE_OFFSET, message);
    return HEADER_LENGTH + ERROR_MESSAGE_OFFSET + messageLength;
  }

  /** A FLUSH with {@code requestId}. */
  public static int flush(MutableDirectBuffer buffer, int offset, long requestId) {
    header(buffer, offset, TknControlType.FLUSH, FLUSH_PAYLOAD_LENGTH);
    buffer.putLong(offset + HEADER_LENGTH + FLUSH_REQUEST_ID_OFFSET, requestId, BYTE_ORDER);
    return HEADER_LENGTH + FLUSH_PAYLOAD_LENGTH;
  }

  /** A FLUSHED answering {@code requestId} with the tokens written to the sink so far. */
  public static int flushed(MutableDirectBuffer buffer, int offset, long requestId, long tokens) {
    int payload = offset + HEADER_LENGTH;
    header(buffer, offset, TknControlType.FLUSHED, FLUSHED_PAYLOAD_LENGTH);
    buffer.putLong(payload + FLUSHED_REQUEST_ID_OFFSET, requestId, BYTE_ORDER);
    buffer.putLong(payload + FLUSHED_TOKENS_OFFSET, tokens, BYTE_ORDER);
    return HEADER_LENGTH + FLUSHED_PAYLOAD_LENGTH;
  }

  /**
   * Checks that {@code tenant} fits a HELLO: at most 64 characters, each in {@code [A-Za-z0-9._-]}.
   *
   * @throws IllegalArgumentException naming the first problem
   */
  public static void checkTenant(CharSequence tenant) {
    int length = tenant.length();
    if (length > MAX_TENANT_LENGTH) {
      throw new IllegalArgumentException(
          "tenant length=" + length + " must be <= " + MAX_TENANT_LENGTH);
    }
    for (int i = 0; i < length; i++) {
      char c = tenant.charAt(i);
      if (!TknHelloDescriptor.isTenantChar(c)) {
        throw new IllegalArgumentException(
            "tenant=\""
                + tenant
                + "\" has '"
                + c
                + "' at index "
                + i
                + "; only [A-Za-z0-9._-] is allowed");
      }
    }
  }

  private static void header(
      MutableDirectBuffer buffer, int offset, TknControlType type, int payloadLength) {
    buffer.putByte(offset + TYPE_OFFSET, (byte) type.code());
    buffer.putInt(offset + PAYLOAD_LENGTH_OFFSET, payloadLength, BYTE_ORDER);
  }

  private static void checkU32(String name, long value) {
    if (value < 0 || value > MAX_U32) {
      throw new IllegalArgumentException(name + "=" + value + " must be in [0, " + MAX_U32 + "]");
    }
  }
}
