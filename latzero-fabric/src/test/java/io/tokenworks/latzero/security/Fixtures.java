package io.tokenworks.latzero.security;

import java.util.HexFormat;

/**
 * Fixed keys (bytes 0..31, 32..63, 64..95) whose derived values were computed independently with
 * Python's {@code cryptography} package (its HKDF, AES-GCM and Ed25519), so the goldens in these
 * tests do not come from the code under test.
 */
final class Fixtures {

  static final String POOL = "default";

  private Fixtures() {}

  static TripleKey fixedKeys() {
    return TripleKey.of(
        SigilKey.of(range(0)), CipherShard.of(range(32)), OblivionSeal.of(range(64)));
  }

  static byte[] range(int first) {
    byte[] bytes = new byte[32];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (first + i);
    }
    return bytes;
  }

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
