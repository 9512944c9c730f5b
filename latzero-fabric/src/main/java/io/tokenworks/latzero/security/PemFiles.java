package io.tokenworks.latzero.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** Reads certificate chains and PKCS#8 private keys from PEM files, with one-line errors. */
final class PemFiles {

  private static final String BEGIN_KEY = "-----BEGIN PRIVATE KEY-----";
  private static final String END_KEY = "-----END PRIVATE KEY-----";
  private static final byte[] PROBE = "latzero-tls-key-check".getBytes(StandardCharsets.US_ASCII);

  private PemFiles() {}

  static byte[] read(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      throw tls(what + " file " + file + " does not exist or is not a regular file", null);
    }
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw tls("cannot read " + what + " file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The X.509 certificates in {@code file} (PEM, one or more, leaf first), each currently valid.
   */
  static List<X509Certificate> certificates(Path file, String what) {
    byte[] bytes = read(file, what);
    List<X509Certificate> chain = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (var certificate : factory.generateCertificates(new ByteArrayInputStream(bytes))) {
        chain.add((X509Certificate) certificate);
      }
    } catch (CertificateException e) {
      throw tls(what + " file " + file + " is not a PEM X.509 certificate chain", e);
    }
    if (chain.isEmpty()) {
      throw tls(what + " file " + file + " holds no certificate", null);
    }
    for (X509Certificate certificate : chain) {
      checkValidity(certificate, file);
    }
    return chain;
  }

  static void checkValidity(X509Certificate certificate, Path file) {
    try {
      certificate.checkValidity();
    } catch (CertificateExpiredException e) {
      throw tls(
          "certificate "
              + certificate.getSubjectX500Principal()
              + " in "
              + file
              + " expired on "
              + certificate.getNotAfter().toInstant(),
          e);
    } catch (CertificateNotYetValidException e) {
      throw tls(
          "certificate "
              + certificate.getSubjectX500Principal()
              + " in "
              + file
              + " is not valid before "
              + certificate.getNotBefore().toInstant(),
          e);
    }
  }

  /**
   * The unencrypted PKCS#8 key in {@code file}, of the algorithm of {@code certificate}'s public
   * key, checked to be that certificate's key by signing a probe with it.
   */
  static PrivateKey privateKey(Path file, X509Certificate certificate) {
    byte[] bytes = read(file, "private key");
    String text = new String(bytes, StandardCharsets.US_ASCII);
    Arrays.fill(bytes, (byte) 0);
    if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      throw tls(
          "private key file "
              + file
              + " is encrypted; decrypt it (openssl pkcs8 -in key.pem -out plain.pem)"
              + " or use a PKCS12 keystore",
          null);
    }
    if (text.contains("-----BEGIN RSA PRIVATE KEY-----")
        || text.contains("-----BEGIN EC PRIVATE KEY-----")) {
      throw tls(
          "private key file "
              + file
              + " is PKCS#1/SEC1, not PKCS#8; convert it"
              + " (openssl pkcs8 -topk8 -nocrypt -in key.pem -out pkcs8.pem)",
          null);
    }
    int begin = text.indexOf(BEGIN_KEY);
    int end = begin < 0 ? -1 : text.indexOf(END_KEY, begin);
    if (end < 0) {
      throw tls("private key file " + file + " has no " + BEGIN_KEY + " block", null);
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN_KEY.length(), end));
    } catch (IllegalArgumentException e) {
      throw tls("private key file " + file + " holds invalid base64", e);
    }
    String algorithm = certificate.getPublicKey().getAlgorithm();
    try {
      PrivateKey key =
          KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      checkPair(key, certificate.getPublicKey(), file);
      return key;
    } catch (NoSuchAlgorithmException e) {
      throw tls("certificate key algorithm " + algorithm + " is not supported", e);
    } catch (InvalidKeySpecException e) {
      throw tls(
          "private key file "
              + file
              + " is not a PKCS#8 "
              + algorithm
              + " key as the certificate's",
          e);
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  private static void checkPair(PrivateKey key, PublicKey publicKey, Path file) {
    String algorithm =
        switch (publicKey.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
          default ->
              throw tls(
                  "certificate key algorithm "
                      + publicKey.getAlgorithm()
                      + " is not supported"
                      + " (use RSA, EC or EdDSA)",
                  null);
        };
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(PROBE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(PROBE);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      throw tls("private key in " + file + " cannot sign with " + algorithm, e);
    }
    if (!matches) {
      throw tls("private key in " + file + " does not belong to the certificate", null);
    }
  }

  static LatZeroSecurityException tls(String message, Throwable cause) {
    return cause == null
        ? new LatZeroSecurityException(SecurityError.TLS_CONFIG, message)
        : new LatZeroSecurityException(SecurityError.TLS_CONFIG, message, cause);
  }
}
