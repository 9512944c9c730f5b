package io.tokenworks.latzero.security;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF-SHA256 written from RFC 5869 on the JDK's {@link Mac}, independent of Tink, so tests can
 * check the production derivations against a second implementation.
 */
final class Rfc5869 {

  private Rfc5869() {}

  static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info, int length) {
    return expand(extract(salt, ikm), info, length);
  }

  static byte[] extract(byte[] salt, byte[] ikm) {
    byte[] key = salt.length == 0 ? new byte[32] : salt;
    return hmac(key, ikm);
  }

  static byte[] expand(byte[] prk, byte[] info, int length) {
    ByteArrayOutputStream okm = new ByteArrayOutputStream();
    byte[] previous = new byte[0];
    for (int counter = 1; okm.size() < length; counter++) {
      ByteArrayOutputStream block = new ByteArrayOutputStream();
      block.writeBytes(previous);
      block.writeBytes(info);
      block.write(counter);
      previous = hmac(prk, block.toByteArray());
      okm.writeBytes(previous);
    }
    byte[] out = new byte[length];
    System.arraycopy(okm.toByteArray(), 0, out, 0, length);
    return out;
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }
}
