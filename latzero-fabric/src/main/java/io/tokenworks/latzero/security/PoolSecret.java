package io.tokenworks.latzero.security;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * One of the three 32-byte keys of an encrypted pool, exchanged as 64 hex characters.
 *
 * <p>Keys compare by identity: compare key material only through {@link PoolVerifiers}, which does
 * it in constant time. {@link #toString()} never shows the key. {@link #destroy()} zeroes the bytes
 * this object holds; strings returned by {@link #toHex()} are immutable and cannot be zeroed, so
 * call it only to hand a key to its owner.
 */
public abstract sealed class PoolSecret implements Destroyable
    permits SigilKey, CipherShard, OblivionSeal {

  /** Every key is this many random bytes. */
  public static final int LENGTH_BYTES = 32;

  /** Every key is exchanged as this many hex characters. */
  public static final int HEX_LENGTH = 2 * LENGTH_BYTES;

  /** Shared because SecureRandom is thread-safe and seeding one per key would be wasted work. */
  static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] bytes;
  private volatile boolean destroyed;

  /** Takes ownership of {@code bytes}, which must be exactly {@link #LENGTH_BYTES} long. */
  PoolSecret(byte[] bytes) {
    if (bytes.length != LENGTH_BYTES) {
      throw new IllegalArgumentException("key length=" + bytes.length + " (needs 32 bytes)");
    }
    this.bytes = bytes;
  }

  /** Which of the three keys this is. */
  public abstract KeyRole role();

  /** The key as 64 lowercase hex characters, to hand to its owner (e.g. in the JSON reply). */
  public final String toHex() {
    return HexFormat.of().formatHex(material());
  }

  /** Zeroes the key bytes; the key cannot be used afterwards. */
  @Override
  public final void destroy() {
    destroyed = true;
    Arrays.fill(bytes, (byte) 0);
  }

  @Override
  public final boolean isDestroyed() {
    return destroyed;
  }

  /** The class name only: key material never reaches logs. */
  @Override
  public final String toString() {
    return getClass().getSimpleName() + (destroyed ? "[destroyed]" : "[redacted]");
  }

  /**
   * The key bytes themselves, not a copy, for derivations in this package; callers must not keep or
   * modify them.
   */
  final byte[] material() {
    if (destroyed) {
      throw new IllegalStateException(getClass().getSimpleName() + " was destroyed");
    }
    return bytes;
  }

  static byte[] randomBytes(SecureRandom random) {
    byte[] bytes = new byte[LENGTH_BYTES];
    Objects.requireNonNull(random, "random").nextBytes(bytes);
    return bytes;
  }

  static byte[] copyOf(byte[] bytes) {
    return Objects.requireNonNull(bytes, "bytes").clone();
  }

  /**
   * Decodes a key strictly: exactly 64 ASCII hex digits, either case (Node's and Python's decoders
   * accept both, and case carries no information). The error names the field, never the value.
   */
  static byte[] parseHex(KeyRole role, String hex) {
    Objects.requireNonNull(hex, role.jsonName());
    if (hex.length() != HEX_LENGTH) {
      throw new LatZeroSecurityException(
          SecurityError.MALFORMED_KEY,
          role.jsonName() + " must be 64 hex characters, got " + hex.length());
    }
    for (int i = 0; i < HEX_LENGTH; i++) {
      if (!isAsciiHexDigit(hex.charAt(i))) {
        throw new LatZeroSecurityException(
            SecurityError.MALFORMED_KEY,
            role.jsonName() + " has a character that is not a hex digit at index " + i);
      }
    }
    return HexFormat.of().parseHex(hex);
  }

  private static boolean isAsciiHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
