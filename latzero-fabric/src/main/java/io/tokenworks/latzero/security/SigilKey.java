package io.tokenworks.latzero.security;

import java.security.SecureRandom;

/**
 * The SigilKey, which grants membership of an encrypted pool (upstream {@code sigil_key}). Every
 * capability needs it.
 */
public final class SigilKey extends PoolSecret {

  private SigilKey(byte[] bytes) {
    super(bytes);
  }

  /** A fresh key of 32 bytes from a shared {@link SecureRandom}. */
  public static SigilKey generate() {
    return generate(RANDOM);
  }

  /** A fresh key of 32 bytes from {@code random}. */
  public static SigilKey generate(SecureRandom random) {
    return new SigilKey(randomBytes(random));
  }

  /**
   * Parses 64 hex characters.
   *
   * @throws LatZeroSecurityException {@link SecurityError#MALFORMED_KEY} for a wrong length or a
   *     non-hex character; the message never contains the value
   */
  public static SigilKey parseHex(String hex) {
    return new SigilKey(parseHex(KeyRole.SIGIL, hex));
  }

  /**
   * A key from 32 raw bytes, copied (the caller may zero its array afterwards).
   *
   * @throws IllegalArgumentException if {@code bytes} is not 32 bytes long
   */
  public static SigilKey of(byte[] bytes) {
    return new SigilKey(copyOf(bytes));
  }

  @Override
  public KeyRole role() {
    return KeyRole.SIGIL;
  }
}
