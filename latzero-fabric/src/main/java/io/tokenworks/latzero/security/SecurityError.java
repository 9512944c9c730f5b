package io.tokenworks.latzero.security;

/**
 * Why a security operation failed. The server maps these to its wire errors ({@link #ACCESS_DENIED}
 * and {@link #MALFORMED_KEY} to an access-denied reply, the rest to the operation's error reply).
 * No message that comes with one of these ever contains key material.
 */
public enum SecurityError {
  /**
   * A key is not 64 hexadecimal characters (wrong length, a non-hex character, or not a JSON
   * string). The message names the field and the problem, never the value.
   */
  MALFORMED_KEY,
  /** An operation needs a key that was not presented (e.g. sealing a write without the seal). */
  MISSING_KEY,
  /** The presented keys do not grant the capability the operation needs. */
  ACCESS_DENIED,
  /**
   * A ciphertext does not authenticate: it was altered, it was made under other keys, or it was
   * bound to another pool, block or version. These causes are deliberately indistinguishable.
   */
  DECRYPTION_FAILED,
  /** A ciphertext or sealed write is shorter than its fixed overhead, so it cannot be genuine. */
  MALFORMED_CIPHERTEXT,
  /** A write is not signed by the pool's writer key for that pool, block and version. */
  SIGNATURE_INVALID,
  /** A stored verifier record cannot be read (unknown format, wrong field count or length). */
  MALFORMED_VERIFIER,
  /**
   * A TLS certificate, private key or keystore file is missing, unreadable, malformed, protected by
   * another password, or the key does not match the certificate. The message names the file.
   */
  TLS_CONFIG
}
