package io.tokenworks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.latzero.server.LatZeroServer;
import io.tokenworks.latzero.server.LatZeroServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tokenworks latzero status|stop} against a server in this JVM: outputs, exit codes (0
 * running/stopped, 3 not running, 1 errors, 2 bad options) and that stop really stops it.
 */
class LatZeroCommandTest {

  private static final long SELF = ProcessHandle.current().pid();

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private LatZeroServer server;

  @AfterEach
  void closeServer() {
    if (server != null) {
      server.close();
    }
  }

  private int run(String... args) {
    return run(Map.of(), args);
  }

  private int run(Map<String, String> environment, String... args) {
    return TokenworksCommand.commandLine(
            new PrintWriter(out, true), new PrintWriter(err, true), environment)
        .execute(args);
  }

  private Path data() {
    return dir.resolve("data");
  }

  private LatZeroServer startServer() {
    server =
        LatZeroServer.start(
            LatZeroServerConfig.builder()
                .port(0)
                .metricsPort(0)
                .dataDirectory(data())
                .memoryDirectory(dir.resolve("memory"))
                .ioThreads(1)
                .build());
    return server;
  }

  @Test
  void statusShowsTheRunningServerAndStopStopsIt() throws Exception {
    LatZeroServer running = startServer();

    assertThat(run("latzero", "status", "--data-dir", data().toString())).isZero();
    assertThat(out.toString())
        .startsWith(
            "latzero: running, pid " + SELF + ", 127.0.0.1:" + running.port() + ", metrics off")
        .containsPattern("version +tokenworks-latzero-\\S+ \\(protocol ")
        .containsPattern("up +\\d")
        .contains(data().toAbsolutePath().toString())
        .containsPattern("live sessions +1")
        .containsPattern("calls accepted +0");
    assertThat(err.toString()).isEmpty();

    out.getBuffer().setLength(0);
    assertThat(run("latzero", "stop", "--data-dir", data().toString())).isZero();
    assertThat(out.toString())
        .contains("latzero: stopping pid " + SELF)
        .contains("latzero: stopped");
    assertThat(running.terminationFuture().get(10, TimeUnit.SECONDS)).isNull();
    assertThat(data().resolve(LatZeroServer.PID_FILE)).doesNotExist();
    assertThat(data().resolve(LatZeroServer.ENDPOINT_FILE)).doesNotExist();

    out.getBuffer().setLength(0);
    assertThat(run("latzero", "status", "--data-dir", data().toString())).isEqualTo(3);
    assertThat(out.toString().trim())
        .startsWith("latzero: not running: no server runs on data-dir=");
  }

  @Test
  void dataDirComesFromTheEnvironmentThenTheConfigFile() throws Exception {
    startServer();
    assertThat(run(Map.of("LATZERO_DATA_DIR", data().toString()), "latzero", "status")).isZero();

    Path config =
        Files.writeString(dir.resolve("latzero.properties"), "data-dir=" + data() + "\nport=1\n");
    assertThat(run(Map.of("LATZERO_CONFIG", config.toString()), "latzero", "status")).isZero();
    assertThat(run("latzero", "stop", "--config", config.toString())).isZero();
    assertThat(server.terminationFuture()).isDone();
  }

  @Test
  void statusAndStopOnAnEmptyOrMissingDirectoryExitThree() throws Exception {
    Files.createDirectories(data());
    assertThat(run("latzero", "status", "--data-dir", data().toString())).isEqualTo(3);
    assertThat(run("latzero", "stop", "-d", dir.resolve("missing").toString())).isEqualTo(3);
    assertThat(out.toString().lines())
        .containsExactly(
            "latzero: not running: no server runs on data-dir=" + data() + " (no latzero.endpoint)",
            "latzero: not running: no server runs on data-dir="
                + dir.resolve("missing")
                + " (no latzero.endpoint)");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void staleEndpointFileOfADeadProcessIsNotRunning() throws Exception {
    long dead = deadPid();
    Files.createDirectories(data());
    endpoint(dead, 45227, false);
    Files.writeString(data().resolve(LatZeroServer.PID_FILE), dead + "\n");

    assertThat(run("latzero", "status", "--data-dir", data().toString())).isEqualTo(3);
    assertThat(run("latzero", "stop", "--data-dir", data().toString())).isEqualTo(3);
    assertThat(out.toString().lines())
        .hasSize(2)
        .allSatisfy(
            line ->
                assertThat(line)
                    .startsWith("latzero: not running: stale ")
                    .contains("latzero.endpoint: process " + dead + " is gone"));
    // Reported, not removed: the next start replaces them.
    assertThat(data().resolve(LatZeroServer.ENDPOINT_FILE)).exists();
  }

  @Test
  void stalePidFileAloneIsNotRunning() throws Exception {
    long dead = deadPid();
    Files.createDirectories(data());
    Files.writeString(data().resolve(LatZeroServer.PID_FILE), dead + "\n");

    assertThat(run("latzero", "status", "--data-dir", data().toString())).isEqualTo(3);
    assertThat(out.toString()).contains("stale ").contains("latzero.pid: process " + dead);
  }

  @Test
  void livePidFileWithoutEndpointIsAnError() throws Exception {
    Files.createDirectories(data());
    Files.writeString(data().resolve(LatZeroServer.PID_FILE), SELF + "\n");

    assertThat(run("latzero", "status", "--data-dir", data().toString())).isEqualTo(1);
    assertOneLine("names process " + SELF + ", which is running, but there is no latzero.endpoint");
  }

  @Test
  void malformedEndpointFileIsAnError() throws Exception {
    Files.createDirectories(data());
    Files.writeString(
        data().resolve(LatZeroServer.ENDPOINT_FILE),
        "pid=" + SELF + "\nhost=127.0.0.1\nport=http\n");

    assertThat(run("latzero", "stop", "--data-dir", data().toString())).isEqualTo(1);
    assertOneLine("latzero.endpoint has a bad port=http");
  }

  @Test
  void missingAdminTokenIsAnError() throws Exception {
    Files.createDirectories(data());
    endpoint(SELF, 45227, false);

    assertThat(run("latzero", "status", "--data-dir", data().toString())).isEqualTo(1);
    assertOneLine("admin.token does not exist");
  }

  @Test
  void wrongAdminTokenIsRefused() throws Exception {
    startServer();
    Files.writeString(data().resolve(LatZeroServer.ADMIN_TOKEN_FILE), "0".repeat(64));

    assertThat(run("latzero", "stop", "--data-dir", data().toString())).isEqualTo(1);
    assertOneLine("refused the admin token");
    assertThat(server.terminationFuture()).isNotDone();
  }

  @Test
  void serverThatDoesNotAnswerIsAnError() throws Exception {
    Files.createDirectories(data());
    endpoint(SELF, freePort(), false);
    Files.writeString(data().resolve(LatZeroServer.ADMIN_TOKEN_FILE), "0".repeat(64));

    assertThat(run("latzero", "status", "--data-dir", data().toString())).isEqualTo(1);
    assertOneLine("did not answer: cannot connect to 127.0.0.1:");
  }

  @Test
  void stopReportsAServerThatDoesNotGoWithinTheTimeout() throws Exception {
    LatZeroServer running = startServer();
    // A second data directory naming a process that stays alive (this one) and never removes its
    // files: the shutdown is acknowledged, but nothing there shows the server going.
    Path other = Files.createDirectories(dir.resolve("other"));
    Files.writeString(
        other.resolve(LatZeroServer.ENDPOINT_FILE),
        "pid="
            + SELF
            + "\nhost=127.0.0.1\nport="
            + running.port()
            + "\ntls=false\nmetrics_port=0\n");
    Files.copy(
        data().resolve(LatZeroServer.ADMIN_TOKEN_FILE),
        other.resolve(LatZeroServer.ADMIN_TOKEN_FILE));

    assertThat(run("latzero", "stop", "--data-dir", other.toString(), "--timeout", "1"))
        .isEqualTo(1);
    assertOneLine("asked pid " + SELF + " to stop, but its server still runs after 1 s");
  }

  @Test
  void tlsServerNeedsItsCertificate() throws Exception {
    Files.createDirectories(data());
    endpoint(SELF, 45227, true);
    Files.writeString(data().resolve(LatZeroServer.ADMIN_TOKEN_FILE), "0".repeat(64));

    assertThat(run("latzero", "status", "--data-dir", data().toString())).isEqualTo(1);
    assertOneLine("speaks TLS: give its certificate with --tls-cert or LATZERO_TLS_CERT");

    err.getBuffer().setLength(0);
    assertThat(
            run(
                "latzero",
                "status",
                "--data-dir",
                data().toString(),
                "--tls-cert",
                dir.resolve("missing.pem").toString()))
        .isEqualTo(1);
    assertOneLine("--tls-cert: ");
  }

  @Test
  void statusAndStopSpeakTlsTrustingTheServersCertificate() throws Exception {
    Path[] pem = selfSignedPem();
    server =
        LatZeroServer.start(
            LatZeroServerConfig.builder()
                .port(0)
                .metricsPort(0)
                .dataDirectory(data())
                .memoryDirectory(dir.resolve("memory"))
                .ioThreads(1)
                .tls(pem[0], pem[1])
                .build());
    Map<String, String> environment = Map.of("LATZERO_TLS_CERT", pem[0].toString());

    assertThat(run(environment, "latzero", "status", "-d", data().toString()))
        .as("%s%s", out, err)
        .isZero();
    assertThat(out.toString()).contains("127.0.0.1:" + server.port() + " (TLS)");
    assertThat(run(environment, "latzero", "stop", "-d", data().toString())).isZero();
    assertThat(server.terminationFuture()).isDone();
  }

  @Test
  void badSettingsExitTwo() {
    assertThat(run("latzero", "stop", "--timeout", "0")).isEqualTo(2);
    assertThat(err.toString()).startsWith("tokenworks: --timeout=0 must be at least 1");

    err.getBuffer().setLength(0);
    assertThat(run(Map.of("LATZERO_DATA_DIR", "x", "LATZERO_PORT", "seventy"), "latzero", "status"))
        .isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo(
            "latzero: invalid port=\"seventy\" from environment LATZERO_PORT: not an integer");
  }

  @Test
  void latzeroAloneListsItsSubcommands() {
    assertThat(run("latzero")).isZero();
    assertThat(out.toString()).contains("Usage: tokenworks latzero", "start", "status", "stop");
  }

  private void assertOneLine(String expected) {
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString()).startsWith("latzero: ").contains(expected).doesNotContain("\tat ");
  }

  private void endpoint(long pid, int port, boolean tls) throws IOException {
    Files.writeString(
        data().resolve(LatZeroServer.ENDPOINT_FILE),
        "pid=" + pid + "\nhost=127.0.0.1\nport=" + port + "\ntls=" + tls + "\nmetrics_port=0\n");
  }

  /** A fresh self-signed EC certificate and its PKCS#8 key, as PEM files: {cert, key}. */
  private Path[] selfSignedPem() throws Exception {
    Path keystore = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "latzero",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "secret",
                "-keypass",
                "secret")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, "secret".toCharArray());
    }
    Key key = store.getKey("latzero", "secret".toCharArray());
    return new Path[] {
      pem(dir.resolve("cert.pem"), "CERTIFICATE", store.getCertificate("latzero").getEncoded()),
      pem(dir.resolve("key.pem"), "PRIVATE KEY", key.getEncoded())
    };
  }

  private static Path pem(Path file, String type, byte[] der) throws IOException {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return Files.writeString(
        file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
  }

  /** The pid of a process that has exited. */
  private static long deadPid() throws Exception {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return process.pid();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
