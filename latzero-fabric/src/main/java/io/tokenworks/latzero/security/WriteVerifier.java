package io.tokenworks.latzero.security;

import com.google.crypto.tink.subtle.Ed25519Verify;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Checks that a write was signed by the writer key of a pool. Needs only the public key, so both
 * readers and the server (which holds no keys) can refuse forged writes.
 */
public final class WriteVerifier {

  /** Bytes of an Ed25519 public key. */
  public static final int PUBLIC_KEY_BYTES = 32;

  private final String pool;
  private final byte[] publicKey;
  private final Ed25519Verify verify;

  private WriteVerifier(String pool, byte[] publicKey) {
    this.pool = KeyDerivation.requirePool(pool);
    this.publicKey = publicKey;
    this.verify = new Ed25519Verify(publicKey);
  }

  /**
   * The verifier of {@code pool} for a 32-byte Ed25519 public key (copied).
   *
   * @throws IllegalArgumentException if the key is not 32 bytes or {@code pool} is empty
   */
  public static WriteVerifier of(String pool, byte[] publicKey) {
    Objects.requireNonNull(publicKey, "publicKey");
    if (publicKey.length != PUBLIC_KEY_BYTES) {
      throw new IllegalArgumentException(
          "publicKey length=" + publicKey.length + " (Ed25519 needs 32 bytes)");
    }
    return new WriteVerifier(pool, publicKey.clone());
  }

  /** The pool whose writes this verifies. */
  public String pool() {
    return pool;
  }

  /** The writer's public key (a copy); public, so safe to store and show. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The writer's public key as 64 lowercase hex characters. */
  public String publicKeyHex() {
    return HexFormat.of().formatHex(publicKey);
  }

  /**
   * Checks {@code signature} over {@code ciphertext} as the content of {@code block} at {@code
   * version} in this pool.
   *
   * @throws LatZeroSecurityException {@link SecurityError#SIGNATURE_INVALID} otherwise
   */
  public void verify(String block, long version, byte[] ciphertext, byte[] signature) {
    Objects.requireNonNull(ciphertext, "ciphertext");
    Objects.requireNonNull(signature, "signature");
    byte[] message = KeyDerivation.signedMessage(pool, block, version, ciphertext);
    try {
      verify.verify(signature, message);
    } catch (GeneralSecurityException e) {
      throw new LatZeroSecurityException(
          SecurityError.SIGNATURE_INVALID,
          "write to block '"
              + block
              + "' version "
              + version
              + " in pool '"
              + pool
              + "' is not signed by the pool's writer key");
    }
  }

  /**
   * Checks a sealed write ({@code ciphertext ‖ signature}) and returns its ciphertext.
   *
   * @throws LatZeroSecurityException {@link SecurityError#MALFORMED_CIPHERTEXT} when shorter than a
   *     signature plus the cipher's overhead; {@link SecurityError#SIGNATURE_INVALID} when the
   *     signature does not verify
   */
  public byte[] verifySealed(String block, long version, byte[] sealed) {
    Objects.requireNonNull(sealed, "sealed");
    int minimum = ContentCipher.OVERHEAD_BYTES + WriteSigner.SIGNATURE_BYTES;
    if (sealed.length < minimum) {
      throw new LatZeroSecurityException(
          SecurityError.MALFORMED_CIPHERTEXT,
          "sealed write length=" + sealed.length + " is below the " + minimum + "-byte minimum");
    }
    int split = sealed.length - WriteSigner.SIGNATURE_BYTES;
    byte[] ciphertext = Arrays.copyOfRange(sealed, 0, split);
    verify(block, version, ciphertext, Arrays.copyOfRange(sealed, split, sealed.length));
    return ciphertext;
  }

  @Override
  public String toString() {
    return "WriteVerifier[pool=" + pool + ", publicKey=" + publicKeyHex() + "]";
  }
}
