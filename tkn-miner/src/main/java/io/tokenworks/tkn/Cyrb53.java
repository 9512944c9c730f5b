package io.tokenworks.tkn;

import java.util.Base64;

/**
 * The cyrb53 hash exactly as upstream TKN computes it (seed 0), so symbol keys written to the graph
 * match upstream's. Upstream keeps all 64 bits of the two 32-bit lanes instead of the usual 53: the
 * key layout is {@code h2} little-endian, then {@code h1} little-endian, zero-padded to {@link
 * #KEY_BYTES} bytes. Strings hash their UTF-16 code units, byte arrays their bytes.
 *
 * <p>A hash is returned as one {@code long}: {@code h1} in the high 32 bits, {@code h2} in the low.
 */
public final class Cyrb53 {

  /** Upstream's default hash buffer size: 8 hash bytes followed by 56 zero bytes. */
  public static final int KEY_BYTES = 64;

  private Cyrb53() {}

  /** Hashes the UTF-16 code units of {@code text}. */
  public static long hash(CharSequence text) {
    int h1 = 0xDEADBEEF;
    int h2 = 0x41C6CE57;
    for (int i = 0, n = text.length(); i < n; i++) {
      int c = text.charAt(i);
      h1 = (h1 ^ c) * 0x9E3779B1;
      h2 = (h2 ^ c) * 0x5F356495;
    }
    return finish(h1, h2);
  }

  /** Hashes {@code length} raw bytes of {@code bytes} starting at {@code offset}. */
  public static long hash(byte[] bytes, int offset, int length) {
    int h1 = 0xDEADBEEF;
    int h2 = 0x41C6CE57;
    for (int i = offset, end = offset + length; i < end; i++) {
      int c = bytes[i] & 0xFF;
      h1 = (h1 ^ c) * 0x9E3779B1;
      h2 = (h2 ^ c) * 0x5F356495;
    }
    return finish(h1, h2);
  }

  private static long finish(int h1, int h2) {
    int f1 = ((h1 ^ (h1 >>> 16)) * 0x85EBCA6B) ^ ((h2 ^ (h2 >>> 13)) * 0xC2B2AE35);
    int f2 = ((h2 ^ (h2 >>> 16)) * 0x85EBCA6B) ^ ((f1 ^ (f1 >>> 13)) * 0xC2B2AE35);
    return ((long) f1 << 32) | (f2 & 0xFFFFFFFFL);
  }

  /** The standard 53-bit cyrb53 number, {@code 2^32 * (h2 & 0x1FFFFF) + h1}. */
  public static long standard53(long hash) {
    return ((hash & 0x1FFFFFL) << 32) + (hash >>> 32);
  }

  /** Writes upstream's {@link #KEY_BYTES}-byte key layout of {@code hash} into {@code target}. */
  public static void writeKey(long hash, byte[] target, int offset) {
    int h1 = (int) (hash >>> 32);
    int h2 = (int) hash;
    for (int i = 0; i < 4; i++) {
      target[offset + i] = (byte) (h2 >>> (8 * i));
      target[offset + 4 + i] = (byte) (h1 >>> (8 * i));
    }
    for (int i = 8; i < KEY_BYTES; i++) {
      target[offset + i] = 0;
    }
  }

  /** The first 8 bytes of the key layout as lowercase hex, as the reference vectors write them. */
  public static String hex(long hash) {
    byte[] key = new byte[KEY_BYTES];
    writeKey(hash, key, 0);
    StringBuilder out = new StringBuilder(16);
    for (int i = 0; i < 8; i++) {
      out.append(Character.forDigit((key[i] >>> 4) & 0xF, 16))
          .append(Character.forDigit(key[i] & 0xF, 16));
    }
    return out.toString();
  }

  /** Base64 of the whole key layout: upstream v1.5's symbol key ({@code ValueDictionary.key}). */
  public static String base64Key(long hash) {
    byte[] key = new byte[KEY_BYTES];
    writeKey(hash, key, 0);
    return Base64.getEncoder().encodeToString(key);
  }
}
