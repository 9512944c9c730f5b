package io.tokenworks.latzero.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * All three keys of an encrypted pool, as its creator receives them once. The server keeps only
 * {@link PoolVerifiers}; whoever holds this object decides who gets which key.
 */
public final class TripleKey implements Destroyable {

  private final SigilKey sigil;
  private final CipherShard cipher;
  private final OblivionSeal oblivion;

  private TripleKey(SigilKey sigil, CipherShard cipher, OblivionSeal oblivion) {
    this.sigil = Objects.requireNonNull(sigil, "sigil");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.oblivion = Objects.requireNonNull(oblivion, "oblivion");
  }

  /** Three fresh keys from a shared {@link SecureRandom}. */
  public static TripleKey generate() {
    return generate(PoolSecret.RANDOM);
  }

  /** Three fresh keys from {@code random}. */
  public static TripleKey generate(SecureRandom random) {
    return new TripleKey(
        SigilKey.generate(random), CipherShard.generate(random), OblivionSeal.generate(random));
  }

  /** The three given keys (not copied: destroying this object destroys them). */
  public static TripleKey of(SigilKey sigil, CipherShard cipher, OblivionSeal oblivion) {
    return new TripleKey(sigil, cipher, oblivion);
  }

  /**
   * Reads all three keys from a JSON object with upstream's field names.
   *
   * @throws LatZeroSecurityException {@link SecurityError#MISSING_KEY} when a field is absent or
   *     null, {@link SecurityError#MALFORMED_KEY} when one is not 64 hex characters
   */
  public static TripleKey fromJson(JsonNode fields) {
    PresentedKeys keys = PresentedKeys.fromJson(fields);
    for (KeyRole role : KeyRole.values()) {
      boolean present =
          switch (role) {
            case SIGIL -> keys.sigil().isPresent();
            case CIPHER -> keys.cipher().isPresent();
            case OBLIVION -> keys.oblivion().isPresent();
          };
      if (!present) {
        keys.destroy();
        throw new LatZeroSecurityException(
            SecurityError.MISSING_KEY, role.jsonName() + " is missing");
      }
    }
    return new TripleKey(keys.sigil().get(), keys.cipher().get(), keys.oblivion().get());
  }

  public SigilKey sigil() {
    return sigil;
  }

  public CipherShard cipher() {
    return cipher;
  }

  public OblivionSeal oblivion() {
    return oblivion;
  }

  /** All three keys as presented keys (sharing these key objects). */
  public PresentedKeys presented() {
    return PresentedKeys.of(sigil, cipher, oblivion);
  }

  /**
   * Writes the three keys into {@code target} under upstream's field names, as 64 lowercase hex
   * characters each, e.g. to answer the pool's creator.
   *
   * @return {@code target}
   */
  public ObjectNode writeJson(ObjectNode target) {
    target.put(KeyRole.SIGIL.jsonName(), sigil.toHex());
    target.put(KeyRole.CIPHER.jsonName(), cipher.toHex());
    target.put(KeyRole.OBLIVION.jsonName(), oblivion.toHex());
    return target;
  }

  /**
   * Upstream's pool key, for compatibility: HKDF-SHA256 with IKM sigil ‖ cipher ‖ oblivion, salt
   * SHA-256(UTF-8 pool), info UTF-8 {@code "latzero-pool-" + pool}, 32 bytes. This package encrypts
   * and signs with separate sub-keys instead (see the package documentation), because a key that
   * needs all three inputs cannot separate reading from writing.
   *
   * @return a new array the caller owns and should zero when done
   * @throws IllegalArgumentException if {@code pool} is empty
   */
  public byte[] poolKey(String pool) {
    return KeyDerivation.poolKey(pool, sigil, cipher, oblivion);
  }

  /** Zeroes all three keys. */
  @Override
  public void destroy() {
    sigil.destroy();
    cipher.destroy();
    oblivion.destroy();
  }

  @Override
  public boolean isDestroyed() {
    return sigil.isDestroyed() && cipher.isDestroyed() && oblivion.isDestroyed();
  }

  @Override
  public String toString() {
    return "TripleKey[redacted]";
  }
}
