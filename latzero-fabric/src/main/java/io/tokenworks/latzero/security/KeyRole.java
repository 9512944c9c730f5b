package io.tokenworks.latzero.security;

/** The three keys of an encrypted pool, with their upstream JSON field names. */
public enum KeyRole {
  /** The SigilKey: membership. */
  SIGIL("sigil_key"),
  /** The CipherShard: reading. */
  CIPHER("cipher_shard"),
  /** The OblivionSeal: writing. */
  OBLIVION("oblivion_seal");

  private final String jsonName;

  KeyRole(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The JSON field that carries this key as 64 hex characters (upstream's name). */
  public String jsonName() {
    return jsonName;
  }
}
