package io.tokenworks.tkn.server;

import java.security.SecureRandom;
import java.util.UUID;

/** UUIDv7 session ids, as upstream gives each connection: time-ordered, 74 random bits. */
final class SessionIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private SessionIds() {}

  static String next() {
    long millis = System.currentTimeMillis();
    long randomA = RANDOM.nextLong();
    long randomB = RANDOM.nextLong();
    long high = (millis << 16) | 0x7000L | (randomA & 0x0FFFL);
    long low = (randomB & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low).toString();
  }
}
