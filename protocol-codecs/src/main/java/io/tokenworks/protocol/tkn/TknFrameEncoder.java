package io.tokenworks.protocol.tkn;

import static io.tokenworks.protocol.tkn.TknFrameDescriptor.BYTE_ORDER;
import static io.tokenworks.protocol.tkn.TknFrameDescriptor.HEADER_LENGTH;
import static io.tokenworks.protocol.tkn.TknFrameDescriptor.MAX_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tkn.TknFrameDescriptor.PAYLOAD_LENGTH_OFFSET;
import static io.tokenworks.protocol.tkn.TknFrameDescriptor.TYPE_OFFSET;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes TKN v1 frames into a caller-owned buffer. Every method writes one whole frame at {@code
 * offset} and returns its length in bytes. Nothing here allocates, strings included: they are
 * encoded to UTF-8 straight into the buffer.
 *
 * <p>The caller makes sure the buffer has room: {@code 5 + payload length} bytes, where a string's
 * payload length is {@link #utf8Length(CharSequence)}. Capacity is deliberately not checked up
 * front so that an expandable buffer can grow; a fixed one throws {@link IndexOutOfBoundsException}
 * from Agrona's bounds checks. Several frames are written by calling the methods at successive
 * offsets; a BATCH is written with {@link TknBatchEncoder}.
 */
public final class TknFrameEncoder {

  private TknFrameEncoder() {}

  /** Writes a header announcing {@code payloadLength} bytes; returns the header length. */
  public static int header(
      MutableDirectBuffer buffer, int offset, TknFrameType type, int payloadLength) {
    if (payloadLength < 0 || payloadLength > MAX_PAYLOAD_LENGTH) {
      throw new IllegalArgumentException(
          "payloadLength=" + payloadLength + " must be in [0, " + MAX_PAYLOAD_LENGTH + "]");
    }
    buffer.putByte(offset + TYPE_OFFSET, (byte) type.code());
    buffer.putInt(offset + PAYLOAD_LENGTH_OFFSET, payloadLength, BYTE_ORDER);
    return HEADER_LENGTH;
  }

  /**
   * A STRING frame carrying {@code text} as UTF-8. An unpaired surrogate is written as {@code ?},
   * as {@link String#getBytes(java.nio.charset.Charset)} does.
   */
  public static int string(MutableDirectBuffer buffer, int offset, CharSequence text) {
    int payloadLength = putUtf8(buffer, offset + HEADER_LENGTH, text);
    return header(buffer, offset, TknFrameType.STRING, payloadLength) + payloadLength;
  }

  /** A BINARY frame carrying {@code length} bytes of {@code source} from {@code sourceOffset}. */
  public static int binary(
      MutableDirectBuffer buffer, int offset, DirectBuffer source, int sourceOffset, int length) {
    return copy(buffer, offset, TknFrameType.BINARY, source, sourceOffset, length);
  }

  /** A BINARY frame carrying {@code bytes}. */
  public static int binary(MutableDirectBuffer buffer, int offset, byte[] bytes) {
    return copy(buffer, offset, TknFrameType.BINARY, bytes);
  }

  /**
   * A JSON frame carrying {@code utf8Json} as given: the codec does not parse or validate JSON, the
   * receiving engine does.
   */
  public static int json(MutableDirectBuffer buffer, int offset, byte[] utf8Json) {
    return copy(buffer, offset, TknFrameType.JSON, utf8Json);
  }

  /** A JSON frame carrying {@code length} bytes of UTF-8 JSON from {@code source}, unparsed. */
  public static int json(
      MutableDirectBuffer buffer, int offset, DirectBuffer source, int sourceOffset, int length) {
    return copy(buffer, offset, TknFrameType.JSON, source, sourceOffset, length);
  }

  /** How many bytes {@link #string} writes for {@code text} as the payload. */
  public static int utf8Length(CharSequence text) {
    int length = 0;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        length++;
      } else if (c < 0x800) {
        length += 2;
      } else if (isSurrogatePair(text, i)) {
        length += 4;
        i++;
      } else {
        length += Character.isSurrogate(c) ? 1 : 3;
      }
    }
    return length;
  }

  private static int copy(
      MutableDirectBuffer buffer,
      int offset,
      TknFrameType type,
      DirectBuffer source,
      int sourceOffset,
      int length) {
    header(buffer, offset, type, length);
    buffer.putBytes(offset + HEADER_LENGTH, source, sourceOffset, length);
    return HEADER_LENGTH + length;
  }

  private static int copy(MutableDirectBuffer buffer, int offset, TknFrameType type, byte[] bytes) {
    header(buffer, offset, type, bytes.length);
    buffer.putBytes(offset + HEADER_LENGTH, bytes);
    return HEADER_LENGTH + bytes.length;
  }

  /**
   * Encodes {@code text} as UTF-8 at {@code index} and returns the bytes written. Unpaired
   * surrogates become {@code ?}, matching the JDK's encoder, so a round trip through {@link
   * TknFrame#string()} equals {@code new String(text.getBytes(UTF_8), UTF_8)}.
   */
  static int putUtf8(MutableDirectBuffer buffer, int index, CharSequence text) {
    int position = index;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        buffer.putByte(position++, (byte) c);
      } else if (c < 0x800) {
        buffer.putByte(position++, (byte) (0xC0 | (c >>> 6)));
        buffer.putByte(position++, (byte) (0x80 | (c & 0x3F)));
      } else if (isSurrogatePair(text, i)) {
        int codePoint = Character.toCodePoint(c, text.charAt(++i));
        buffer.putByte(position++, (byte) (0xF0 | (codePoint >>> 18)));
        buffer.putByte(position++, (byte) (0x80 | ((codePoint >>> 12) & 0x3F)));
        buffer.putByte(position++, (byte) (0x80 | ((codePoint >>> 6) & 0x3F)));
        buffer.putByte(position++, (byte) (0x80 | (codePoint & 0x3F)));
      } else if (Character.isSurrogate(c)) {
        buffer.putByte(position++, (byte) '?');
      } else {
        buffer.putByte(position++, (byte) (0xE0 | (c >>> 12)));
        buffer.putByte(position++, (byte) (0x80 | ((c >>> 6) & 0x3F)));
        buffer.putByte(position++, (byte) (0x80 | (c & 0x3F)));
      }
    }
    return position - index;
  }

  private static boolean isSurrogatePair(CharSequence text, int index) {
    return Character.isHighSurrogate(text.charAt(index))
        && index + 1 < text.length()
        && Character.isLowSurrogate(text.charAt(index + 1));
  }
}
