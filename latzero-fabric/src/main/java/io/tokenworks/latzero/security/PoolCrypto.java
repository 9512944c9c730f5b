package io.tokenworks.latzero.security;

import java.util.Objects;

/**
 * A client's view of an encrypted pool: seals its writes and opens the pool's data with whatever
 * keys it holds.
 *
 * <ul>
 *   <li>{@link #open} needs the SigilKey and the CipherShard (READ). It first checks the writer's
 *       signature with the pool's public key, then decrypts.
 *   <li>{@link #seal} needs all three keys: the content key to encrypt (so readers can decrypt) and
 *       the writer key to sign (so readers know a writer made it).
 * </ul>
 *
 * <p>A sealed write is upstream's ciphertext layout followed by the signature:
 *
 * <pre>
 * +----------+-------------+--------+---------------+
 * | nonce 12 | ciphertext  | tag 16 | signature 64  |
 * +----------+-------------+--------+---------------+
 * </pre>
 */
public final class PoolCrypto {

  private final String pool;
  private final ContentCipher cipher;
  private final WriteSigner signer;
  private final WriteVerifier writers;

  private PoolCrypto(String pool, ContentCipher cipher, WriteSigner signer, WriteVerifier writers) {
    this.pool = pool;
    this.cipher = cipher;
    this.signer = signer;
    this.writers = writers;
  }

  /**
   * The pool's crypto for the holder of {@code keys}; {@code writers} is the pool's writer public
   * key from its metadata ({@link PoolVerifiers#writeVerifier()}).
   *
   * @throws IllegalArgumentException if {@code writers} belongs to another pool or {@code pool} is
   *     empty
   */
  public static PoolCrypto forPool(String pool, PresentedKeys keys, WriteVerifier writers) {
    KeyDerivation.requirePool(pool);
    Objects.requireNonNull(keys, "keys");
    if (!Objects.requireNonNull(writers, "writers").pool().equals(pool)) {
      throw new IllegalArgumentException("writers pool=" + writers.pool() + " is not pool=" + pool);
    }
    ContentCipher cipher = null;
    WriteSigner signer = null;
    if (keys.sigil().isPresent() && keys.cipher().isPresent()) {
      cipher = ContentCipher.forPool(pool, keys.sigil().get(), keys.cipher().get());
    }
    if (keys.sigil().isPresent() && keys.oblivion().isPresent()) {
      signer = WriteSigner.forPool(pool, keys.sigil().get(), keys.oblivion().get());
    }
    return new PoolCrypto(pool, cipher, signer, writers);
  }

  /** The pool. */
  public String pool() {
    return pool;
  }

  /** Whether the keys allow {@link #open} (SigilKey and CipherShard). */
  public boolean canRead() {
    return cipher != null;
  }

  /** Whether the keys allow {@link #seal} (all three keys). */
  public boolean canWrite() {
    return cipher != null && signer != null;
  }

  /**
   * Encrypts and signs {@code plaintext} as the content of {@code block} at {@code version}.
   *
   * @throws LatZeroSecurityException {@link SecurityError#MISSING_KEY} without all three keys
   */
  public byte[] seal(String block, long version, byte[] plaintext) {
    if (!canWrite()) {
      throw new LatZeroSecurityException(
          SecurityError.MISSING_KEY,
          "sealing a write to pool '" + pool + "' needs sigil_key, cipher_shard and oblivion_seal");
    }
    return signer.seal(block, version, cipher.encrypt(block, version, plaintext));
  }

  /**
   * Checks the writer's signature on a sealed write, then decrypts it.
   *
   * @throws LatZeroSecurityException {@link SecurityError#MISSING_KEY} without the SigilKey and
   *     CipherShard; {@link SecurityError#MALFORMED_CIPHERTEXT} when too short; {@link
   *     SecurityError#SIGNATURE_INVALID} when no writer of this pool sealed it for this block and
   *     version; {@link SecurityError#DECRYPTION_FAILED} when it does not decrypt
   */
  public byte[] open(String block, long version, byte[] sealed) {
    if (!canRead()) {
      throw new LatZeroSecurityException(
          SecurityError.MISSING_KEY,
          "reading pool '" + pool + "' needs sigil_key and cipher_shard");
    }
    return cipher.decrypt(block, version, writers.verifySealed(block, version, sealed));
  }

  @Override
  public String toString() {
    return "PoolCrypto[pool=" + pool + ", read=" + canRead() + ", write=" + canWrite() + "]";
  }
}
