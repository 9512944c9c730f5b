package io.tokenworks.tkn;

import org.agrona.DirectBuffer;

/**
 * UTF-8 as upstream's JavaScript sees it. Decoding follows the WHATWG Encoding Standard's UTF-8
 * decoder (what {@code new TextDecoder()} does): a leading byte order mark is dropped, and each
 * maximal ill-formed subsequence becomes one U+FFFD. Encoding is generalized UTF-8 ("WTF-8"): a
 * lone surrogate, which a JSON {@code "\ud800"} escape can produce, gets the 3-byte form of its
 * code point instead of being replaced, so distinct strings always have distinct bytes.
 */
final class Utf8 {

  static final char REPLACEMENT = '\uFFFD';

  private Utf8() {}

  /** 3 if {@code buffer[offset ..]} starts with the UTF-8 byte order mark, else 0. */
  static int bomLength(DirectBuffer buffer, int offset, int length) {
    return length >= 3
            && buffer.getByte(offset) == (byte) 0xEF
            && buffer.getByte(offset + 1) == (byte) 0xBB
            && buffer.getByte(offset + 2) == (byte) 0xBF
        ? 3
        : 0;
  }

  /** Decodes like {@code TextDecoder.decode}, except that the caller strips the BOM. */
  static String decode(DirectBuffer buffer, int offset, int length) {
    StringBuilder out = new StringBuilder(length);
    int needed = 0;
    int seen = 0;
    int codePoint = 0;
    int lower = 0x80;
    int upper = 0xBF;
    for (int i = offset, end = offset + length; i < end; i++) {
      int b = buffer.getByte(i) & 0xFF;
      if (needed == 0) {
        if (b <= 0x7F) {
          out.append((char) b);
        } else if (b >= 0xC2 && b <= 0xDF) {
          needed = 1;
          codePoint = b & 0x1F;
        } else if (b >= 0xE0 && b <= 0xEF) {
          lower = b == 0xE0 ? 0xA0 : 0x80;
          upper = b == 0xED ? 0x9F : 0xBF;
          needed = 2;
          codePoint = b & 0x0F;
        } else if (b >= 0xF0 && b <= 0xF4) {
          lower = b == 0xF0 ? 0x90 : 0x80;
          upper = b == 0xF4 ? 0x8F : 0xBF;
          needed = 3;
          codePoint = b & 0x07;
        } else {
          out.append(REPLACEMENT);
        }
        continue;
      }
      if (b < lower || b > upper) {
        // The sequence so far is one maximal ill-formed subpart; this byte starts afresh.
        needed = 0;
        seen = 0;
        lower = 0x80;
        upper = 0xBF;
        out.append(REPLACEMENT);
        i--;
        continue;
      }
      lower = 0x80;
      upper = 0xBF;
      codePoint = (codePoint << 6) | (b & 0x3F);
      if (++seen == needed) {
        out.appendCodePoint(codePoint);
        needed = 0;
        seen = 0;
      }
    }
    if (needed != 0) {
      out.append(REPLACEMENT);
    }
    return out.toString();
  }

  /** True if the bytes are well-formed UTF-8, i.e. {@link #decode} would replace nothing. */
  static boolean isWellFormed(DirectBuffer bytes, int offset, int length) {
    int i = offset;
    int end = offset + length;
    while (i < end) {
      int b = bytes.getByte(i) & 0xFF;
      if (b <= 0x7F) {
        i++;
        continue;
      }
      int needed;
      int lower = 0x80;
      int upper = 0xBF;
      if (b >= 0xC2 && b <= 0xDF) {
        needed = 1;
      } else if (b >= 0xE0 && b <= 0xEF) {
        needed = 2;
        lower = b == 0xE0 ? 0xA0 : 0x80;
        upper = b == 0xED ? 0x9F : 0xBF;
      } else if (b >= 0xF0 && b <= 0xF4) {
        needed = 3;
        lower = b == 0xF0 ? 0x90 : 0x80;
        upper = b == 0xF4 ? 0x8F : 0xBF;
      } else {
        return false;
      }
      if (i + needed >= end) {
        return false;
      }
      int second = bytes.getByte(i + 1) & 0xFF;
      if (second < lower || second > upper) {
        return false;
      }
      for (int k = 2; k <= needed; k++) {
        int next = bytes.getByte(i + k) & 0xFF;
        if (next < 0x80 || next > 0xBF) {
          return false;
        }
      }
      i += needed + 1;
    }
    return true;
  }

  /** True if {@code text} has no unpaired surrogate, so its WTF-8 is plain UTF-8. */
  static boolean isWellFormed(CharSequence text) {
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** Upper bound of {@link #encode}'s output for {@code chars} UTF-16 units. */
  static int maxEncodedLength(int chars) {
    return chars * 3;
  }

  /** Writes the WTF-8 of {@code text} into {@code out} from 0; returns the byte count. */
  static int encode(CharSequence text, byte[] out) {
    int n = 0;
    for (int i = 0, len = text.length(); i < len; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        out[n++] = (byte) c;
      } else if (c < 0x800) {
        out[n++] = (byte) (0xC0 | (c >>> 6));
        out[n++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < len
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        int codePoint = Character.toCodePoint(c, text.charAt(++i));
        out[n++] = (byte) (0xF0 | (codePoint >>> 18));
        out[n++] = (byte) (0x80 | ((codePoint >>> 12) & 0x3F));
        out[n++] = (byte) (0x80 | ((codePoint >>> 6) & 0x3F));
        out[n++] = (byte) (0x80 | (codePoint & 0x3F));
      } else {
        out[n++] = (byte) (0xE0 | (c >>> 12));
        out[n++] = (byte) (0x80 | ((c >>> 6) & 0x3F));
        out[n++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return n;
  }
}
