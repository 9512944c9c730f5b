package io.tokenworks.protocol.tau;

import static io.tokenworks.protocol.tau.TauFrameDescriptor.BYTE_ORDER;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.CERTIFICATE_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.FLAGS_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.HEADER_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.LABEL_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.MAGIC_0;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.MAGIC_1;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.MAGIC_2;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.MAX_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.OPCODE_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.PAYLOAD_LENGTH_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.QUERY_REPLY_FOUND;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.QUERY_REPLY_NOT_FOUND;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.TIMESTAMP_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.VALUE_OFFSET;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.VERSION;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.VERSION_OFFSET;

import java.util.List;
import org.agrona.MutableDirectBuffer;

/**
 * Writes TAU v1 frames into a caller-owned buffer. Every method writes one whole frame at {@code
 * offset} and returns its length in bytes; the caller makes sure the buffer has room ({@link
 * TauFrameDescriptor} gives every length). Nothing here allocates.
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
   * A frame with an empty payload: DISCONNECT, PING, PONG, LIST_LENSES, or an OK with nothing to
   * say.
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

  /** A point query on a series (QUERY_POINT) or a lens (QUERY_LENS). */
  public static int query(
      MutableDirectBuffer buffer, int offset, TauOpcode opcode, TauLabel label, long timestamp) {
    if (opcode != TauOpcode.QUERY_POINT && opcode != TauOpcode.QUERY_LENS) {
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

  /** OK answering LIST_LENSES: the labels back to back, in the order given. */
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

  /** ERR with one status byte. */
  public static int error(MutableDirectBuffer buffer, int offset, TauStatus status) {
    header(buffer, offset, TauOpcode.ERR, TauFrameDescriptor.ERR_PAYLOAD_LENGTH);
    buffer.putByte(offset + HEADER_LENGTH, (byte) status.code());
    return HEADER_LENGTH + TauFrameDescriptor.ERR_PAYLOAD_LENGTH;
  }
}
