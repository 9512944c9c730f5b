package io.tokenworks.latzero.security;

import java.security.SecureRandom;

/**
 * The OblivionSeal, which with the {@link SigilKey} grants writing an encrypted pool (upstream
 * {@code oblivion_seal}). Its holder can derive the pool's writer signing key, so readers accept
 * what it writes.
 */
public final class OblivionSeal extends PoolSecret {

  private OblivionSeal(byte[] bytes) {
    super(bytes);
  }

  /** A fresh key of 32 bytes from a shared {@link SecureRandom}. */
  public static OblivionSeal generate() {
    return generate(RANDOM);
  }

  /** A fresh key of 32 bytes from {@code random}. */
  public static OblivionSeal generate(SecureRandom random) {
    return new OblivionSeal(randomBytes(random));
  }

  /**
   * Parses 64 hex characters.
   *
   * @throws LatZeroSecurityException {@link SecurityError#MALFORMED_KEY} for a wrong length or a
   *     non-hex character; the message never contains the value
   */
  public static OblivionSeal parseHex(String hex) {
    return new OblivionSeal(parseHex(KeyRole.OBLIVION, hex));
  }

  /**
   * A key from 32 raw bytes, copied (the caller may zero its array afterwards).
   *
   * @throws IllegalArgumentException if {@code bytes} is not 32 bytes long
   */
  public static OblivionSeal of(byte[] bytes) {
    return new OblivionSeal(copyOf(bytes));
  }

  @Override
  public KeyRole role() {
    return KeyRole.OBLIVION;
  }
}
