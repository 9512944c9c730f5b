package io.tokenworks.latzero.security;

import com.google.crypto.tink.subtle.Hkdf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Every key this package derives, in one place so the labels stay distinct. All derivations are
 * HKDF-SHA256 (Tink). The pool-bound ones use upstream's salt, SHA-256 of the UTF-8 pool name, and
 * an info label that starts with a fixed prefix followed by the pool name; the prefixes differ
 * within their first nine bytes, so no two derivations can share an info string.
 */
final class KeyDerivation {

  static final int KEY_BYTES = 32;

  /** Upstream's pool key label; the other labels are ours and carry a scheme version. */
  static final String POOL_KEY_PREFIX = "latzero-pool-";

  static final String READ_KEY_PREFIX = "latzero-read-v1-";
  static final String WRITE_KEY_PREFIX = "latzero-write-v1-";
  static final String VERIFIER_PREFIX = "latzero-verifier-v1-";

  /** Leads every signed message, so a write signature can never be mistaken for another use. */
  static final byte[] WRITE_SIGNATURE_DOMAIN =
      "latzero-signed-write-v1".getBytes(StandardCharsets.US_ASCII);

  private static final byte CONTEXT_FORMAT = 1;

  private KeyDerivation() {}

  static byte[] hkdfSha256(byte[] ikm, byte[] salt, byte[] info, int lengthBytes) {
    try {
      return Hkdf.computeHkdf("HMACSHA256", ikm, salt, info, lengthBytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable in this JVM", e);
    }
  }

  /** Upstream's pool key: IKM sigil ‖ cipher ‖ oblivion, salt SHA-256(pool), "latzero-pool-". */
  static byte[] poolKey(String pool, SigilKey sigil, CipherShard cipher, OblivionSeal oblivion) {
    byte[] ikm = concat(sigil.material(), cipher.material(), oblivion.material());
    try {
      return poolBound(pool, ikm, POOL_KEY_PREFIX);
    } finally {
      Arrays.fill(ikm, (byte) 0);
    }
  }

  /** The AES-256-GCM content key: readable by holders of the SigilKey and the CipherShard. */
  static byte[] contentKey(String pool, SigilKey sigil, CipherShard cipher) {
    byte[] ikm = concat(sigil.material(), cipher.material());
    try {
      return poolBound(pool, ikm, READ_KEY_PREFIX);
    } finally {
      Arrays.fill(ikm, (byte) 0);
    }
  }

  /** The Ed25519 seed of the pool's writer key: only holders of SigilKey and OblivionSeal. */
  static byte[] writerSeed(String pool, SigilKey sigil, OblivionSeal oblivion) {
    byte[] ikm = concat(sigil.material(), oblivion.material());
    try {
      return poolBound(pool, ikm, WRITE_KEY_PREFIX);
    } finally {
      Arrays.fill(ikm, (byte) 0);
    }
  }

  /**
   * What the server stores instead of a key: a one-way function of the key, keyed by a random
   * per-pool salt (so equal keys in two pools give unrelated verifiers and precomputation is
   * useless) and labelled with the key's role and the pool.
   */
  static byte[] verifier(KeyRole role, String pool, byte[] salt, byte[] key) {
    byte[] info = utf8(VERIFIER_PREFIX + role.jsonName() + "-" + pool);
    return hkdfSha256(key, salt, info, KEY_BYTES);
  }

  /**
   * The associated data binding a ciphertext to its place: a format byte, then the pool and the
   * block as length-prefixed UTF-8, then the version, all big-endian. Length prefixes make the
   * encoding injective, so ("ab", "c") and ("a", "bc") never collide.
   */
  static byte[] context(String pool, String block, long version) {
    byte[] poolBytes = utf8(requirePool(pool));
    byte[] blockBytes = utf8(Objects.requireNonNull(block, "block"));
    return ByteBuffer.allocate(1 + 4 + poolBytes.length + 4 + blockBytes.length + 8)
        .put(CONTEXT_FORMAT)
        .putInt(poolBytes.length)
        .put(poolBytes)
        .putInt(blockBytes.length)
        .put(blockBytes)
        .putLong(version)
        .array();
  }

  /** The message a writer signs: the domain, the context, then the whole ciphertext. */
  static byte[] signedMessage(String pool, String block, long version, byte[] ciphertext) {
    return concat(WRITE_SIGNATURE_DOMAIN, context(pool, block, version), ciphertext);
  }

  static String requirePool(String pool) {
    if (Objects.requireNonNull(pool, "pool").isEmpty()) {
      throw new IllegalArgumentException("pool must not be empty");
    }
    return pool;
  }

  static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable in this JVM", e);
    }
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }

  private static byte[] poolBound(String pool, byte[] ikm, String prefix) {
    requirePool(pool);
    return hkdfSha256(ikm, sha256(utf8(pool)), utf8(prefix + pool), KEY_BYTES);
  }
}
