package io.tokenworks.latzero.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keystores come from the JDK's own keytool (there is no public API to make a certificate); PEM
 * files and broken variants are written from them here.
 */
class TlsContextsTest {

  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir static Path dir;

  private static Path keystore;
  private static Path expiredKeystore;
  private static Path dsaKeystore;
  private static Path certPem;
  private static Path keyPem;
  private static PrivateKey privateKey;
  private static Certificate[] chain;

  @BeforeAll
  static void makeKeystores() throws Exception {
    keystore = dir.resolve("server.p12");
    expiredKeystore = dir.resolve("expired.p12");
    dsaKeystore = dir.resolve("dsa.p12");
    List<Process> keytools = new ArrayList<>();
    keytools.add(keytool(keystore, "EC", "-groupname", "secp256r1", "-validity", "2"));
    keytools.add(
        keytool(
            expiredKeystore,
            "EC",
            "-groupname",
            "secp256r1",
            "-startdate",
            "-10d",
            "-validity",
            "1"));
    keytools.add(keytool(dsaKeystore, "DSA", "-keysize", "2048", "-validity", "2"));
    for (Process process : keytools) {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue())
          .as(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .isZero();
    }
    KeyStore store = load(keystore);
    privateKey = (PrivateKey) store.getKey("latzero", PASSWORD);
    chain = store.getCertificateChain("latzero");
    certPem = writePem(dir.resolve("cert.pem"), "CERTIFICATE", chain[0].getEncoded());
    keyPem = writePem(dir.resolve("key.pem"), "PRIVATE KEY", privateKey.getEncoded());
  }

  @Test
  void pemServerContextCompletesAHandshakeWithAClientTrustingItsCertificate() throws Exception {
    assertHandshake(TlsContexts.serverFromPem(certPem, keyPem));
  }

  @Test
  void pkcs12ServerContextCompletesAHandshake() throws Exception {
    assertHandshake(TlsContexts.serverFromPkcs12(keystore, PASSWORD));
  }

  @Test
  void missingCertificateFileIsReported() {
    Path missing = dir.resolve("nope.pem");

    assertTlsError(
        () -> TlsContexts.serverFromPem(missing, keyPem),
        "certificate file " + missing + " does not exist");
  }

  @Test
  void missingKeyFileIsReported() {
    Path missing = dir.resolve("nokey.pem");

    assertTlsError(
        () -> TlsContexts.serverFromPem(certPem, missing),
        "private key file " + missing + " does not exist");
  }

  @Test
  void certificateFileThatIsNotPemIsReported() throws IOException {
    Path garbage = Files.writeString(dir.resolve("garbage-cert.pem"), "not a certificate\n");

    assertTlsError(
        () -> TlsContexts.serverFromPem(garbage, keyPem), "is not a PEM X.509 certificate chain");
  }

  @Test
  void emptyCertificateFileIsReported() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty-cert.pem"), "");

    assertTlsError(() -> TlsContexts.serverFromPem(empty, keyPem), "holds no certificate");
  }

  @Test
  void expiredCertificateIsReported() throws Exception {
    KeyStore store = load(expiredKeystore);
    Path expiredCert =
        writePem(
            dir.resolve("expired-cert.pem"),
            "CERTIFICATE",
            store.getCertificate("latzero").getEncoded());

    assertTlsError(() -> TlsContexts.serverFromPem(expiredCert, keyPem), "expired on");
    assertTlsError(() -> TlsContexts.serverFromPkcs12(expiredKeystore, PASSWORD), "expired on");
  }

  @Test
  void pkcs1KeyIsReportedWithTheConversionCommand() throws IOException {
    Path pkcs1 =
        Files.writeString(
            dir.resolve("rsa.pem"),
            "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");

    assertTlsError(() -> TlsContexts.serverFromPem(certPem, pkcs1), "openssl pkcs8 -topk8");
  }

  @Test
  void encryptedKeyIsReported() throws IOException {
    Path encrypted =
        Files.writeString(
            dir.resolve("enc.pem"),
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");

    assertTlsError(() -> TlsContexts.serverFromPem(certPem, encrypted), "is encrypted");
  }

  @Test
  void keyFileWithoutAPrivateKeyBlockIsReported() throws IOException {
    Path noBlock = Files.writeString(dir.resolve("noblock.pem"), "hello\n");

    assertTlsError(
        () -> TlsContexts.serverFromPem(certPem, noBlock),
        "has no -----BEGIN PRIVATE KEY----- block");
  }

  @Test
  void keyFileWithInvalidBase64IsReported() throws IOException {
    Path badBase64 =
        Files.writeString(
            dir.resolve("b64.pem"), "-----BEGIN PRIVATE KEY-----\nA\n-----END PRIVATE KEY-----\n");

    assertTlsError(() -> TlsContexts.serverFromPem(certPem, badBase64), "invalid base64");
  }

  @Test
  void keyOfAnotherAlgorithmThanTheCertificateIsReported() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    Path rsaKey =
        writePem(
            dir.resolve("rsa-key.pem"),
            "PRIVATE KEY",
            rsa.generateKeyPair().getPrivate().getEncoded());

    assertTlsError(() -> TlsContexts.serverFromPem(certPem, rsaKey), "is not a PKCS#8 EC key");
  }

  @Test
  void keyOfAnotherPairIsReported() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    Path otherKey =
        writePem(
            dir.resolve("other-key.pem"),
            "PRIVATE KEY",
            ec.generateKeyPair().getPrivate().getEncoded());

    assertTlsError(
        () -> TlsContexts.serverFromPem(certPem, otherKey), "does not belong to the certificate");
  }

  @Test
  void unsupportedKeyAlgorithmIsReported() throws Exception {
    KeyStore store = load(dsaKeystore);
    Path dsaCert =
        writePem(
            dir.resolve("dsa-cert.pem"),
            "CERTIFICATE",
            store.getCertificate("latzero").getEncoded());
    Path dsaKey =
        writePem(
            dir.resolve("dsa-key.pem"),
            "PRIVATE KEY",
            store.getKey("latzero", PASSWORD).getEncoded());

    assertTlsError(() -> TlsContexts.serverFromPem(dsaCert, dsaKey), "DSA is not supported");
  }

  @Test
  void wrongKeystorePasswordIsReported() {
    assertTlsError(
        () -> TlsContexts.serverFromPkcs12(keystore, "wrong".toCharArray()), "wrong password");
  }

  @Test
  void fileThatIsNotAKeystoreIsReported() {
    assertTlsError(
        () -> TlsContexts.serverFromPkcs12(certPem, PASSWORD), "is not a readable PKCS12 keystore");
  }

  @Test
  void missingKeystoreIsReported() {
    assertTlsError(
        () -> TlsContexts.serverFromPkcs12(dir.resolve("none.p12"), PASSWORD), "does not exist");
  }

  @Test
  void keystoreWithoutAKeyEntryIsReported() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", chain[0]);
    Path trustOnly = save(store, dir.resolve("trust-only.p12"));

    assertTlsError(
        () -> TlsContexts.serverFromPkcs12(trustOnly, PASSWORD), "holds no private key entry");
  }

  @Test
  void keyProtectedByAnotherPasswordIsReported() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("latzero", privateKey, "different".toCharArray(), chain);
    Path mixed = save(store, dir.resolve("mixed.p12"));

    assertTlsError(
        () -> TlsContexts.serverFromPkcs12(mixed, PASSWORD),
        "protected by a password other than the keystore's");
  }

  @Test
  void clientTrustNeedsAnExistingCertificateFile() {
    assertTlsError(
        () -> TlsContexts.clientTrusting(dir.resolve("ca.pem")),
        "trusted certificate file " + dir.resolve("ca.pem") + " does not exist");
  }

  private static void assertTlsError(ThrowingCallable call, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            LatZeroSecurityException.class,
            e -> assertThat(e.error()).isEqualTo(SecurityError.TLS_CONFIG))
        .hasMessageContaining(messagePart);
  }

  private static void assertHandshake(SSLContext server) throws Exception {
    SSLContext client = TlsContexts.clientTrusting(certPem);
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (SSLServerSocket listener =
        (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1, loopback)) {
      listener.setSoTimeout(20_000);
      CompletableFuture<Integer> served =
          CompletableFuture.supplyAsync(
              () -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                  accepted.setSoTimeout(20_000);
                  int received = accepted.getInputStream().read();
                  accepted.getOutputStream().write(received + 1);
                  accepted.getOutputStream().flush();
                  return received;
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      try (SSLSocket socket =
          (SSLSocket) client.getSocketFactory().createSocket(loopback, listener.getLocalPort())) {
        socket.setSoTimeout(20_000);
        OutputStream out = socket.getOutputStream();
        out.write(41);
        out.flush();
        InputStream in = socket.getInputStream();
        assertThat(in.read()).isEqualTo(42);
        assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
      }
      assertThat(served.get(20, TimeUnit.SECONDS)).isEqualTo(41);
    }
  }

  private static Process keytool(Path store, String algorithm, String... options)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(
        List.of(
            "-genkeypair",
            "-alias",
            "latzero",
            "-keyalg",
            algorithm,
            "-dname",
            "CN=localhost",
            "-storetype",
            "PKCS12",
            "-keystore",
            store.toString(),
            "-storepass",
            new String(PASSWORD),
            "-keypass",
            new String(PASSWORD)));
    command.addAll(List.of(options));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static KeyStore load(Path file) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, PASSWORD);
    }
    return store;
  }

  private static Path save(KeyStore store, Path file) throws Exception {
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, PASSWORD);
    }
    return file;
  }

  private static Path writePem(Path file, String type, byte[] der) throws IOException {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return Files.writeString(
        file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
  }
}
