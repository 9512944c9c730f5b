package io.tokenworks.latzero.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.TextNode;
import io.tokenworks.latzero.security.TlsContexts;
import io.tokenworks.protocol.latzero.client.LatZeroClient;
import io.tokenworks.protocol.latzero.client.LatZeroClientOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code latzero start}: settings precedence, one-line errors, exit codes, TLS, admin stop. */
class LatZeroServerCommandTest {

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private CommandLine commandLine(LatZeroServerCommand command) {
    CommandLine commandLine = new CommandLine(command);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine;
  }

  private CompletableFuture<Integer> run(LatZeroServerCommand command, String... args) {
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(() -> commandLine(command).execute(args));
    await().atMost(Duration.ofSeconds(20)).until(() -> command.server() != null || exit.isDone());
    assertThat(exit.isDone()).as("command exited early: %s", err).isFalse();
    return exit;
  }

  @Test
  void settingsComeFromTheCommandLineThenEnvironmentThenFileThenDefaults() throws Exception {
    Path config = dir.resolve("latzero.properties");
    Files.writeString(config, "max-connections=7\nadmin-apps=ops\nport=1\n");
    LatZeroServerCommand command =
        new LatZeroServerCommand(
            Map.of(
                "LATZERO_METRICS_PORT", "0",
                "LATZERO_LOG_LEVEL", "info",
                "LATZERO_PORT", "2",
                "LATZERO_CONFIG", config.toString()));
    CompletableFuture<Integer> exit =
        run(
            command,
            "--port",
            "0",
            "-d",
            dir.resolve("data").toString(),
            "--memory-dir",
            dir.resolve("memory").toString());

    try (LatZeroClient client =
        LatZeroClient.connect("latzero://cli-app@127.0.0.1:" + command.server().port())) {
      assertThat(client.ping().get(10, TimeUnit.SECONDS).path("type").asText()).isEqualTo("pong");
    }
    command.stop();

    assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    assertThat(out.toString())
        .containsPattern("port +=.0 \\(command line --port\\)")
        .containsPattern("metrics-port +=.0 \\(environment LATZERO_METRICS_PORT\\)")
        .containsPattern("log-level +=.info \\(environment LATZERO_LOG_LEVEL\\)")
        .containsPattern(
            "max-connections +=.7 \\(config file "
                + java.util.regex.Pattern.quote(config.toString())
                + "\\)")
        .containsPattern("admin-apps +=.ops \\(config file")
        .containsPattern("host +=.127.0.0.1 \\(default\\)")
        .containsPattern("enable-tls +=.false \\(default\\)")
        .contains("latzero: listening on")
        .contains("metrics off");
  }

  @Test
  void adminShutdownEndsTheCommand() throws Exception {
    LatZeroServerCommand command = new LatZeroServerCommand(Map.of("LATZERO_METRICS_PORT", "0"));
    Path data = dir.resolve("data");
    CompletableFuture<Integer> exit =
        run(
            command,
            "--port",
            "0",
            "--data-dir",
            data.toString(),
            "--memory-dir",
            dir.resolve("m").toString());
    String token = Files.readString(data.resolve(LatZeroServer.ADMIN_TOKEN_FILE)).trim();

    try (LatZeroClient admin =
        LatZeroClient.connect(
            "127.0.0.1",
            command.server().port(),
            LatZeroServer.ADMIN_APP_ID,
            LatZeroClientOptions.builder().adminToken(token).build())) {
      admin.shutdownServer();
    }

    assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    assertThat(data.resolve(LatZeroServer.PID_FILE)).doesNotExist();
  }

  @Test
  void badValueExitsWithOneLineNamingItsOrigin() {
    int code = commandLine(new LatZeroServerCommand(Map.of("LATZERO_PORT", "seventy"))).execute();

    assertThat(code).isEqualTo(LatZeroServerCommand.EXIT_CONFIG);
    assertThat(err.toString().strip())
        .isEqualTo(
            "latzero: invalid port=\"seventy\" from environment LATZERO_PORT: not an integer");
  }

  @Test
  void tlsWithoutCertificateAndKeyExitsWithOneLine() {
    int code =
        commandLine(new LatZeroServerCommand(Map.of("LATZERO_ENABLE_TLS", "true")))
            .execute("--data-dir", dir.toString());

    assertThat(code).isEqualTo(LatZeroServerCommand.EXIT_CONFIG);
    assertThat(err.toString().strip())
        .startsWith("latzero: enable-tls=true needs tls-cert and tls-key")
        .doesNotContain("\n");
  }

  @Test
  void unreadableCertificateExitsWithOneStartupLine() {
    int code =
        commandLine(new LatZeroServerCommand(Map.of()))
            .execute(
                "--tls",
                "--tls-cert",
                dir.resolve("missing.pem").toString(),
                "--tls-key",
                dir.resolve("missing-key.pem").toString(),
                "--data-dir",
                dir.resolve("data").toString(),
                "--metrics-port",
                "0");

    assertThat(code).isEqualTo(LatZeroServerCommand.EXIT_START);
    assertThat(err.toString().strip()).startsWith("latzero: TLS: ").doesNotContain("\n");
  }

  @Test
  void tlsListenerServesClientsTrustingItsCertificate() throws Exception {
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
            .start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(keystore)) {
      store.load(in, "secret".toCharArray());
    }
    Path cert =
        pem(dir.resolve("cert.pem"), "CERTIFICATE", store.getCertificate("latzero").getEncoded());
    Path key =
        pem(
            dir.resolve("key.pem"),
            "PRIVATE KEY",
            ((PrivateKey) store.getKey("latzero", "secret".toCharArray())).getEncoded());

    try (LatZeroServer server = TestServers.start(dir, settings -> settings.tls(cert, key));
        LatZeroClient echo =
            LatZeroClient.connect(
                "127.0.0.1",
                server.port(),
                "tls-echo",
                LatZeroClientOptions.builder()
                    .sslContext(TlsContexts.clientTrusting(cert))
                    .trigger("echo", call -> call.payload())
                    .build());
        LatZeroClient caller =
            LatZeroClient.connect(
                "127.0.0.1",
                server.port(),
                "tls-caller",
                LatZeroClientOptions.builder()
                    .sslContext(TlsContexts.clientTrusting(cert))
                    .build())) {
      assertThat(
              caller
                  .call("default", "echo", new TextNode("secret"))
                  .get(10, TimeUnit.SECONDS)
                  .asText())
          .isEqualTo("secret");
      assertThat(echo.pools()).isEqualTo(List.of("default"));
    }
  }

  private static Path pem(Path file, String type, byte[] der) throws Exception {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return Files.writeString(
        file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
  }
}
