package io.tokenworks.latzero.security;

import com.google.crypto.tink.subtle.Ed25519Sign;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Signs a pool's writes with its Ed25519 writer key, whose seed only the SigilKey and the
 * OblivionSeal derive. A reader, who holds the content key, can therefore decrypt and even encrypt,
 * but cannot make a write that {@link WriteVerifier} accepts. Signatures cover the pool, the block,
 * the version and the whole ciphertext.
 */
public final class WriteSigner {

  /** Bytes of an Ed25519 signature. */
  public static final int SIGNATURE_BYTES = 64;

  private final String pool;
  private final Ed25519Sign signer;
  private final WriteVerifier verifier;

  private WriteSigner(String pool, Ed25519Sign signer, WriteVerifier verifier) {
    this.pool = pool;
    this.signer = signer;
    this.verifier = verifier;
  }

  /**
   * The writer key of {@code pool}, derived from its SigilKey and OblivionSeal.
   *
   * @throws IllegalArgumentException if {@code pool} is empty
   */
  public static WriteSigner forPool(String pool, SigilKey sigil, OblivionSeal oblivion) {
    Objects.requireNonNull(sigil, "sigil");
    Objects.requireNonNull(oblivion, "oblivion");
    byte[] seed = KeyDerivation.writerSeed(pool, sigil, oblivion);
    try {
      Ed25519Sign.KeyPair pair = Ed25519Sign.KeyPair.newKeyPairFromSeed(seed);
      byte[] privateKey = pair.getPrivateKey();
      try {
        return new WriteSigner(
            pool, new Ed25519Sign(privateKey), WriteVerifier.of(pool, pair.getPublicKey()));
      } finally {
        Arrays.fill(privateKey, (byte) 0);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is unavailable", e);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /** The pool this key writes to. */
  public String pool() {
    return pool;
  }

  /** The matching verifier, whose public key goes into the pool's metadata. */
  public WriteVerifier verifier() {
    return verifier;
  }

  /**
   * Signs {@code ciphertext} as the content of {@code block} at {@code version}.
   *
   * @return a {@link #SIGNATURE_BYTES}-byte signature
   */
  public byte[] sign(String block, long version, byte[] ciphertext) {
    Objects.requireNonNull(ciphertext, "ciphertext");
    try {
      return signer.sign(KeyDerivation.signedMessage(pool, block, version, ciphertext));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /**
   * A sealed write: {@code ciphertext ‖ signature}, the form {@link WriteVerifier#verifySealed} and
   * {@link PoolCrypto#open} read.
   */
  public byte[] seal(String block, long version, byte[] ciphertext) {
    return KeyDerivation.concat(ciphertext, sign(block, version, ciphertext));
  }

  @Override
  public String toString() {
    return "WriteSigner[pool=" + pool + "]";
  }
}
