package io.tokenworks.latzero.security;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the fabric keeps about an encrypted pool's keys: one verifier per key, never the keys (which
 * upstream stored in plaintext), plus the writer's public key. It decides capabilities from the
 * keys an app presents.
 *
 * <p>A verifier is HKDF-SHA256 of the key with a random 32-byte salt drawn per pool and an info
 * label naming the key's role and the pool. The stored form is one ASCII line (see {@link
 * #toStoredForm()}), versioned by its {@code lzv1} prefix.
 *
 * <p>Immutable and thread-safe.
 */
public final class PoolVerifiers {

  /** Leads the stored form; a new verifier scheme gets a new prefix. */
  static final String FORMAT = "lzv1";

  private static final int SALT_BYTES = 32;
  private static final int STORED_FIELDS = 6;

  /** Stands in for an absent key so an absent key costs the same work as a wrong one. */
  private static final byte[] ABSENT = new byte[PoolSecret.LENGTH_BYTES];

  /** How two verifiers are compared; a seam only so tests can count the constant-time calls. */
  interface Comparison {
    boolean equal(byte[] computed, byte[] stored);
  }

  private static final Comparison CONSTANT_TIME = MessageDigest::isEqual;

  /**
   * A freshly provisioned pool: the keys for its creator (handed out once, then forgotten by the
   * fabric) and the verifiers for the fabric to store.
   */
  public record Provisioned(TripleKey keys, PoolVerifiers verifiers) {
    public Provisioned {
      Objects.requireNonNull(keys, "keys");
      Objects.requireNonNull(verifiers, "verifiers");
    }
  }

  private final String pool;
  private final byte[] salt;
  private final byte[] sigil;
  private final byte[] cipher;
  private final byte[] oblivion;
  private final WriteVerifier writer;
  private final Comparison comparison;

  private PoolVerifiers(
      String pool,
      byte[] salt,
      byte[] sigil,
      byte[] cipher,
      byte[] oblivion,
      WriteVerifier writer,
      Comparison comparison) {
    this.pool = pool;
    this.salt = salt;
    this.sigil = sigil;
    this.cipher = cipher;
    this.oblivion = oblivion;
    this.writer = writer;
    this.comparison = comparison;
  }

  /**
   * New keys and their verifiers for {@code pool}, e.g. when an encrypted pool is created.
   *
   * @throws IllegalArgumentException if {@code pool} is empty
   */
  public static Provisioned provision(String pool) {
    return provision(pool, PoolSecret.RANDOM);
  }

  /** As {@link #provision(String)}, drawing keys and salt from {@code random}. */
  public static Provisioned provision(String pool, SecureRandom random) {
    KeyDerivation.requirePool(pool);
    TripleKey keys = TripleKey.generate(random);
    return new Provisioned(keys, fromKeys(pool, keys, random));
  }

  /**
   * Verifiers for existing keys with a fresh random salt, e.g. when an operator imports keys.
   *
   * @throws IllegalArgumentException if {@code pool} is empty
   */
  public static PoolVerifiers fromKeys(String pool, TripleKey keys, SecureRandom random) {
    byte[] salt = new byte[SALT_BYTES];
    Objects.requireNonNull(random, "random").nextBytes(salt);
    return fromKeys(pool, keys, salt);
  }

  static PoolVerifiers fromKeys(String pool, TripleKey keys, byte[] salt) {
    KeyDerivation.requirePool(pool);
    Objects.requireNonNull(keys, "keys");
    WriteVerifier writer = WriteSigner.forPool(pool, keys.sigil(), keys.oblivion()).verifier();
    return new PoolVerifiers(
        pool,
        salt.clone(),
        KeyDerivation.verifier(KeyRole.SIGIL, pool, salt, keys.sigil().material()),
        KeyDerivation.verifier(KeyRole.CIPHER, pool, salt, keys.cipher().material()),
        KeyDerivation.verifier(KeyRole.OBLIVION, pool, salt, keys.oblivion().material()),
        writer,
        CONSTANT_TIME);
  }

  /**
   * Reads what {@link #toStoredForm()} wrote for the same pool. Verifiers are bound to their pool:
   * a record read under another pool's name grants nothing.
   *
   * @throws LatZeroSecurityException {@link SecurityError#MALFORMED_VERIFIER} when {@code stored}
   *     is not such a record
   * @throws IllegalArgumentException if {@code pool} is empty
   */
  public static PoolVerifiers parse(String pool, String stored) {
    return parse(pool, stored, CONSTANT_TIME);
  }

  static PoolVerifiers parse(String pool, String stored, Comparison comparison) {
    KeyDerivation.requirePool(pool);
    Objects.requireNonNull(stored, "stored");
    String[] fields = stored.split("\\.", -1);
    if (fields.length != STORED_FIELDS || !fields[0].equals(FORMAT)) {
      throw malformed(pool, "is not an " + FORMAT + " record of " + STORED_FIELDS + " fields");
    }
    byte[][] values = new byte[STORED_FIELDS - 1][];
    for (int i = 1; i < STORED_FIELDS; i++) {
      values[i - 1] = parseField(pool, i, fields[i]);
    }
    return new PoolVerifiers(
        pool,
        values[0],
        values[1],
        values[2],
        values[3],
        WriteVerifier.of(pool, values[4]),
        comparison);
  }

  /**
   * The record to persist (e.g. in {@code pool_metadata}): {@code lzv1.<salt>.<sigil
   * verifier>.<cipher verifier>.<oblivion verifier>.<writer public key>}, each field 64 lowercase
   * hex characters. It contains no key and nothing a key can be computed from.
   */
  public String toStoredForm() {
    HexFormat hex = HexFormat.of();
    return String.join(
        ".",
        FORMAT,
        hex.formatHex(salt),
        hex.formatHex(sigil),
        hex.formatHex(cipher),
        hex.formatHex(oblivion),
        writer.publicKeyHex());
  }

  /** The pool these verifiers belong to. */
  public String pool() {
    return pool;
  }

  /** The pool's writer public key, to check writes on the server and to give to readers. */
  public WriteVerifier writeVerifier() {
    return writer;
  }

  /**
   * The capabilities {@code presented} grants: {@link Capability#JOIN} for the right SigilKey,
   * {@link Capability#READ} for it plus the right CipherShard, {@link Capability#WRITE} for it plus
   * the right OblivionSeal. Wrong or missing keys grant nothing more.
   *
   * <p>All three verifiers are always computed and compared with {@link MessageDigest#isEqual}, an
   * absent key against a stand-in, so the work done does not depend on which key is wrong. That is
   * three HKDF computations: authorize once per session (at handshake), not per call.
   *
   * @return an unmodifiable set, empty when nothing is granted
   */
  public Set<Capability> authorize(PresentedKeys presented) {
    Objects.requireNonNull(presented, "presented");
    boolean sigilOk = matches(KeyRole.SIGIL, presented.sigil(), sigil);
    boolean cipherOk = matches(KeyRole.CIPHER, presented.cipher(), cipher);
    boolean oblivionOk = matches(KeyRole.OBLIVION, presented.oblivion(), oblivion);
    EnumSet<Capability> granted = EnumSet.noneOf(Capability.class);
    if (sigilOk) {
      granted.add(Capability.JOIN);
      if (cipherOk) {
        granted.add(Capability.READ);
      }
      if (oblivionOk) {
        granted.add(Capability.WRITE);
      }
    }
    return Collections.unmodifiableSet(granted);
  }

  /**
   * Passes when {@code presented} grants {@code needed}.
   *
   * @throws LatZeroSecurityException {@link SecurityError#ACCESS_DENIED} otherwise; the message
   *     names the keys the capability needs, not which one was wrong
   */
  public void require(PresentedKeys presented, Capability needed) {
    if (!authorize(presented).contains(Objects.requireNonNull(needed, "needed"))) {
      throw new LatZeroSecurityException(
          SecurityError.ACCESS_DENIED,
          needed + " on pool '" + pool + "' needs " + neededKeys(needed));
    }
  }

  /**
   * New keys and verifiers for this pool, replacing these (the caller persists the new verifiers
   * and hands out the new keys). Data encrypted under the old keys is not re-encrypted here: the
   * caller must decrypt it with the old {@link PoolCrypto} and seal it again with the new one
   * before discarding the old keys.
   */
  public Provisioned rotate() {
    return provision(pool);
  }

  @Override
  public String toString() {
    return "PoolVerifiers[pool=" + pool + "]";
  }

  private boolean matches(KeyRole role, Optional<? extends PoolSecret> key, byte[] stored) {
    byte[] material = key.isPresent() ? key.get().material() : ABSENT;
    byte[] computed = KeyDerivation.verifier(role, pool, salt, material);
    boolean equal = comparison.equal(computed, stored);
    Arrays.fill(computed, (byte) 0);
    return equal & key.isPresent();
  }

  private static String neededKeys(Capability capability) {
    return switch (capability) {
      case JOIN -> "sigil_key";
      case READ -> "sigil_key and cipher_shard";
      case WRITE -> "sigil_key and oblivion_seal";
    };
  }

  private static byte[] parseField(String pool, int index, String field) {
    if (field.length() != 2 * SALT_BYTES) {
      throw malformed(pool, "field " + index + " has length " + field.length() + ", not 64");
    }
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        throw malformed(pool, "field " + index + " is not lowercase hex at index " + i);
      }
    }
    return HexFormat.of().parseHex(field);
  }

  private static LatZeroSecurityException malformed(String pool, String reason) {
    return new LatZeroSecurityException(
        SecurityError.MALFORMED_VERIFIER, "stored verifiers of pool '" + pool + "' " + reason);
  }
}
