package io.tokenworks.latzero.security;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.Destroyable;

/**
 * The keys an app presents for an encrypted pool: any subset of the three. {@link
 * PoolVerifiers#authorize} turns them into capabilities; {@link PoolCrypto} uses them on the
 * client.
 */
public final class PresentedKeys implements Destroyable {

  private static final PresentedKeys NONE = new PresentedKeys(null, null, null);

  private final SigilKey sigil;
  private final CipherShard cipher;
  private final OblivionSeal oblivion;

  private PresentedKeys(SigilKey sigil, CipherShard cipher, OblivionSeal oblivion) {
    this.sigil = sigil;
    this.cipher = cipher;
    this.oblivion = oblivion;
  }

  /** Keys presented as objects; pass {@code null} for each key not presented. */
  public static PresentedKeys of(SigilKey sigil, CipherShard cipher, OblivionSeal oblivion) {
    return new PresentedKeys(sigil, cipher, oblivion);
  }

  /** No keys at all: grants nothing. */
  public static PresentedKeys none() {
    return NONE;
  }

  /**
   * Reads the fields {@code sigil_key}, {@code cipher_shard} and {@code oblivion_seal} of a JSON
   * object (e.g. a handshake). A field that is absent or JSON {@code null} is not presented.
   *
   * @throws LatZeroSecurityException {@link SecurityError#MALFORMED_KEY} when {@code fields} is not
   *     an object or a present field is not a string of 64 hex characters
   */
  public static PresentedKeys fromJson(JsonNode fields) {
    Objects.requireNonNull(fields, "fields");
    if (!fields.isObject()) {
      throw new LatZeroSecurityException(
          SecurityError.MALFORMED_KEY,
          "keys must be in a JSON object, got " + fields.getNodeType());
    }
    List<PoolSecret> parsed = new ArrayList<>(3);
    try {
      String sigilHex = text(fields, KeyRole.SIGIL);
      SigilKey sigil = sigilHex == null ? null : track(parsed, SigilKey.parseHex(sigilHex));
      String cipherHex = text(fields, KeyRole.CIPHER);
      CipherShard cipher =
          cipherHex == null ? null : track(parsed, CipherShard.parseHex(cipherHex));
      String oblivionHex = text(fields, KeyRole.OBLIVION);
      OblivionSeal oblivion =
          oblivionHex == null ? null : track(parsed, OblivionSeal.parseHex(oblivionHex));
      return new PresentedKeys(sigil, cipher, oblivion);
    } catch (LatZeroSecurityException e) {
      parsed.forEach(PoolSecret::destroy);
      throw e;
    }
  }

  /** The SigilKey, if presented. */
  public Optional<SigilKey> sigil() {
    return Optional.ofNullable(sigil);
  }

  /** The CipherShard, if presented. */
  public Optional<CipherShard> cipher() {
    return Optional.ofNullable(cipher);
  }

  /** The OblivionSeal, if presented. */
  public Optional<OblivionSeal> oblivion() {
    return Optional.ofNullable(oblivion);
  }

  /** Whether no key was presented. */
  public boolean isEmpty() {
    return sigil == null && cipher == null && oblivion == null;
  }

  /** Zeroes every presented key. */
  @Override
  public void destroy() {
    for (PoolSecret key : keys()) {
      key.destroy();
    }
  }

  @Override
  public boolean isDestroyed() {
    return keys().stream().allMatch(PoolSecret::isDestroyed) && !isEmpty();
  }

  /** Names which keys were presented, never their values. */
  @Override
  public String toString() {
    List<String> names = new ArrayList<>(3);
    for (PoolSecret key : keys()) {
      names.add(key.role().jsonName());
    }
    return "PresentedKeys" + names;
  }

  private List<PoolSecret> keys() {
    List<PoolSecret> keys = new ArrayList<>(3);
    if (sigil != null) {
      keys.add(sigil);
    }
    if (cipher != null) {
      keys.add(cipher);
    }
    if (oblivion != null) {
      keys.add(oblivion);
    }
    return keys;
  }

  private static String text(JsonNode fields, KeyRole role) {
    JsonNode value = fields.get(role.jsonName());
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new LatZeroSecurityException(
          SecurityError.MALFORMED_KEY,
          role.jsonName() + " must be a JSON string, got " + value.getNodeType());
    }
    return value.textValue();
  }

  private static <K extends PoolSecret> K track(List<PoolSecret> parsed, K key) {
    parsed.add(key);
    return key;
  }
}
