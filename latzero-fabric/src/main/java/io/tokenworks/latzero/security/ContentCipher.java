package io.tokenworks.latzero.security;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.subtle.AesGcmJce;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;

/**
 * AES-256-GCM over a pool's data under the pool's content key, which the SigilKey and the
 * CipherShard derive. Output keeps upstream's layout:
 *
 * <pre>
 * +----------+------------------------+---------+
 * | nonce 12 | ciphertext (= length)  | tag 16  |
 * +----------+------------------------+---------+
 * </pre>
 *
 * <p>Unlike upstream, every message gets a fresh random 96-bit nonce (Tink draws it from a {@link
 * java.security.SecureRandom}). Random nonces stay safe for about 2^32 messages per key; rotate the
 * pool's keys well before that. The associated data binds each ciphertext to its pool, block and
 * version, so it cannot be replayed into another block or passed off as another version.
 *
 * <p>Thread-safe. The derived key is zeroed after Tink has copied it into its key spec.
 */
public final class ContentCipher {

  /** Bytes of nonce that lead every ciphertext. */
  public static final int NONCE_BYTES = 12;

  /** Bytes of authentication tag that end every ciphertext. */
  public static final int TAG_BYTES = 16;

  /** A ciphertext is exactly this much longer than its plaintext. */
  public static final int OVERHEAD_BYTES = NONCE_BYTES + TAG_BYTES;

  private final String pool;
  private final Aead aead;

  private ContentCipher(String pool, Aead aead) {
    this.pool = pool;
    this.aead = aead;
  }

  /**
   * The cipher of {@code pool} for holders of its SigilKey and CipherShard.
   *
   * @throws IllegalArgumentException if {@code pool} is empty
   */
  public static ContentCipher forPool(String pool, SigilKey sigil, CipherShard cipher) {
    Objects.requireNonNull(sigil, "sigil");
    Objects.requireNonNull(cipher, "cipher");
    byte[] key = KeyDerivation.contentKey(pool, sigil, cipher);
    try {
      return new ContentCipher(pool, new AesGcmJce(key));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is unavailable in this JVM", e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** The pool this cipher belongs to. */
  public String pool() {
    return pool;
  }

  /**
   * Encrypts {@code plaintext} for {@code block} at {@code version}.
   *
   * @return nonce ‖ ciphertext ‖ tag, {@link #OVERHEAD_BYTES} longer than the plaintext
   */
  public byte[] encrypt(String block, long version, byte[] plaintext) {
    Objects.requireNonNull(plaintext, "plaintext");
    byte[] context = KeyDerivation.context(pool, block, version);
    try {
      return aead.encrypt(plaintext, context);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM encryption failed", e);
    }
  }

  /**
   * Decrypts what {@link #encrypt} made for the same pool, block and version.
   *
   * @throws LatZeroSecurityException {@link SecurityError#MALFORMED_CIPHERTEXT} when shorter than
   *     {@link #OVERHEAD_BYTES}; {@link SecurityError#DECRYPTION_FAILED} when altered, made under
   *     other keys or for another pool, block or version
   */
  public byte[] decrypt(String block, long version, byte[] ciphertext) {
    Objects.requireNonNull(ciphertext, "ciphertext");
    byte[] context = KeyDerivation.context(pool, block, version);
    if (ciphertext.length < OVERHEAD_BYTES) {
      throw new LatZeroSecurityException(
          SecurityError.MALFORMED_CIPHERTEXT,
          "ciphertext length=" + ciphertext.length + " is below the 28-byte nonce and tag");
    }
    try {
      return aead.decrypt(ciphertext, context);
    } catch (GeneralSecurityException e) {
      throw new LatZeroSecurityException(
          SecurityError.DECRYPTION_FAILED,
          "ciphertext of block '"
              + block
              + "' version "
              + version
              + " in pool '"
              + pool
              + "' does not authenticate");
    }
  }

  @Override
  public String toString() {
    return "ContentCipher[pool=" + pool + "]";
  }
}
