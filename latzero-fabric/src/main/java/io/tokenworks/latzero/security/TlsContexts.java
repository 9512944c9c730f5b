package io.tokenworks.latzero.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * JDK {@link SSLContext}s for the optional TLS listener and its clients, from the files operators
 * have: a PEM certificate chain with an unencrypted PKCS#8 PEM key, or a PKCS12 keystore. Every
 * problem (missing file, malformed content, wrong password, key not matching the certificate,
 * expired certificate) is a {@link SecurityError#TLS_CONFIG} naming the file.
 *
 * <p>Contexts are plain {@code "TLS"} contexts with the JDK's default protocols and ciphers (TLS
 * 1.3 and 1.2 in Java 17); the listener sets client authentication on its engines if it wants it.
 */
public final class TlsContexts {

  /** Protects the in-memory keystore only; it never leaves this class or reaches a disk. */
  private static final char[] IN_MEMORY_PASSWORD = "latzero".toCharArray();

  private TlsContexts() {}

  /**
   * A server context from a PEM certificate chain (leaf first) and the leaf's PKCS#8 key.
   *
   * @throws LatZeroSecurityException {@link SecurityError#TLS_CONFIG} for any problem with either
   *     file
   */
  public static SSLContext serverFromPem(Path certificateChainPem, Path privateKeyPem) {
    Objects.requireNonNull(certificateChainPem, "certificateChainPem");
    Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    List<X509Certificate> chain = PemFiles.certificates(certificateChainPem, "certificate");
    PrivateKey key = PemFiles.privateKey(privateKeyPem, chain.get(0));
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("latzero", key, IN_MEMORY_PASSWORD, chain.toArray(new Certificate[0]));
      return serverContext(store, IN_MEMORY_PASSWORD, privateKeyPem);
    } catch (GeneralSecurityException | IOException e) {
      throw PemFiles.tls("cannot build a key store from " + privateKeyPem + ": " + e, e);
    }
  }

  /**
   * A server context from a PKCS12 keystore holding at least one private key entry, its key
   * protected by the keystore's password.
   *
   * @param password the keystore password; not kept, the caller may clear it afterwards
   * @throws LatZeroSecurityException {@link SecurityError#TLS_CONFIG} when the file is missing, not
   *     PKCS12, the password is wrong, or it holds no currently valid private key entry
   */
  public static SSLContext serverFromPkcs12(Path keystore, char[] password) {
    Objects.requireNonNull(keystore, "keystore");
    Objects.requireNonNull(password, "password");
    byte[] bytes = PemFiles.read(keystore, "PKCS12 keystore");
    KeyStore store;
    try {
      store = KeyStore.getInstance("PKCS12");
      store.load(new ByteArrayInputStream(bytes), password);
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw PemFiles.tls("wrong password for PKCS12 keystore " + keystore, e);
      }
      throw PemFiles.tls(keystore + " is not a readable PKCS12 keystore", e);
    } catch (GeneralSecurityException e) {
      throw PemFiles.tls(keystore + " is not a readable PKCS12 keystore", e);
    }
    checkHasValidKeyEntry(store, keystore);
    return serverContext(store, password, keystore);
  }

  /**
   * A client context that trusts exactly the certificates in a PEM file (e.g. the server's
   * self-signed certificate or a private CA).
   *
   * @throws LatZeroSecurityException {@link SecurityError#TLS_CONFIG} when the file is missing,
   *     holds no certificate or an expired one
   */
  public static SSLContext clientTrusting(Path trustedCertificatesPem) {
    Objects.requireNonNull(trustedCertificatesPem, "trustedCertificatesPem");
    List<X509Certificate> trusted =
        PemFiles.certificates(trustedCertificatesPem, "trusted certificate");
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < trusted.size(); i++) {
        store.setCertificateEntry("trusted-" + i, trusted.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw PemFiles.tls("cannot build a trust store from " + trustedCertificatesPem + ": " + e, e);
    }
  }

  private static void checkHasValidKeyEntry(KeyStore store, Path file) {
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate) {
          PemFiles.checkValidity((X509Certificate) store.getCertificate(alias), file);
          return;
        }
      }
    } catch (GeneralSecurityException e) {
      throw PemFiles.tls("cannot list the entries of PKCS12 keystore " + file, e);
    }
    throw PemFiles.tls("PKCS12 keystore " + file + " holds no private key entry", null);
  }

  private static SSLContext serverContext(KeyStore store, char[] password, Path file) {
    try {
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(factory.getKeyManagers(), null, null);
      return context;
    } catch (UnrecoverableKeyException e) {
      throw PemFiles.tls(
          "the private key in " + file + " is protected by a password other than the keystore's",
          e);
    } catch (GeneralSecurityException e) {
      throw PemFiles.tls("cannot build a TLS context from " + file + ": " + e, e);
    }
  }
}
