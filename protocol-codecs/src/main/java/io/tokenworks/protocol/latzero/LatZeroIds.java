package io.tokenworks.protocol.latzero;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Message ids as LatZero peers send them: random version-4 UUIDs in their 36-character form. Ids
 * only need to be unique, not unpredictable, so a thread-local generator replaces {@link
 * java.util.UUID#randomUUID()}'s shared {@code SecureRandom}, which every message would otherwise
 * pay for.
 */
public final class LatZeroIds {

  /** Characters in an id. */
  public static final int LENGTH = 36;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private LatZeroIds() {}

  /** A fresh id. */
  public static String next() {
    char[] chars = new char[LENGTH];
    next(chars);
    return new String(chars);
  }

  /** Writes a fresh id into the first {@link #LENGTH} chars of {@code into}. */
  public static void next(char[] into) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long low =
        (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // IETF variant
    int at = 0;
    for (int nibble = 15; nibble >= 0; nibble--) {
      if (nibble == 7 || nibble == 3) {
        into[at++] = '-';
      }
      into[at++] = HEX[(int) (high >>> (nibble * 4)) & 0xF];
    }
    for (int nibble = 15; nibble >= 0; nibble--) {
      if (nibble == 15 || nibble == 11) {
        into[at++] = '-';
      }
      into[at++] = HEX[(int) (low >>> (nibble * 4)) & 0xF];
    }
  }
}
