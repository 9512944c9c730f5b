package io.tokenworks.latzero.security;

import java.security.SecureRandom;

/**
 * The CipherShard, which with the {@link SigilKey} grants reading an encrypted pool (upstream
 * {@code cipher_shard}). Its holder can derive the pool's content key and decrypt, but not sign
 * writes.
 */
public final class CipherShard extends PoolSecret {

  private CipherShard(byte[] bytes) {
    super(bytes);
  }

  /** A fresh key of 32 bytes from a shared {@link SecureRandom}. */
  public static CipherShard generate() {
    return generate(RANDOM);
  }

  /** A fresh key of 32 bytes from {@code random}. */
  public static CipherShard generate(SecureRandom random) {
    return new CipherShard(randomBytes(random));
  }

  /**
   * Parses 64 hex characters.
   *
   * @throws LatZeroSecurityException {@link SecurityError#MALFORMED_KEY} for a wrong length or a
   *     non-hex character; the message never contains the value
   */
  public static CipherShard parseHex(String hex) {
    return new CipherShard(parseHex(KeyRole.CIPHER, hex));
  }

  /**
   * A key from 32 raw bytes, copied (the caller may zero its array afterwards).
   *
   * @throws IllegalArgumentException if {@code bytes} is not 32 bytes long
   */
  public static CipherShard of(byte[] bytes) {
    return new CipherShard(copyOf(bytes));
  }

  @Override
  public KeyRole role() {
    return KeyRole.CIPHER;
  }
}
