package io.tokenworks.latzero.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tokenworks.protocol.latzero.client.LatZeroClient;
import io.tokenworks.protocol.latzero.client.LatZeroClientException;
import io.tokenworks.protocol.latzero.client.LatZeroClientOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminAndMetricsTest {

  @TempDir Path dir;
  private LatZeroServer server;

  @BeforeEach
  void start() {
    server =
        TestServers.start(
            dir,
            settings ->
                settings.adminApps("ops").metricsPort(LatZeroServerConfig.EPHEMERAL_METRICS_PORT));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String token() throws Exception {
    return Files.readString(server.adminTokenFile()).trim();
  }

  private LatZeroClient admin(String token) {
    return TestServers.client(
        server,
        LatZeroServer.ADMIN_APP_ID,
        LatZeroClientOptions.builder().adminToken(token).build());
  }

  private static String refusal(Runnable action) {
    try {
      action.run();
    } catch (LatZeroClientException e) {
      return e.code();
    }
    throw new AssertionError("not refused");
  }

  @Test
  void runningServerWritesItsPidEndpointAndOwnerOnlyTokenFiles() throws Exception {
    Path data = dir.resolve("data");
    assertThat(Files.readString(data.resolve(LatZeroServer.PID_FILE)).trim())
        .isEqualTo(Long.toString(ProcessHandle.current().pid()));
    Properties endpoint = new Properties();
    try (var in = Files.newBufferedReader(data.resolve(LatZeroServer.ENDPOINT_FILE))) {
      endpoint.load(in);
    }
    assertThat(endpoint.getProperty("port")).isEqualTo(Integer.toString(server.port()));
    assertThat(endpoint.getProperty("host")).isEqualTo("127.0.0.1");
    assertThat(endpoint.getProperty("metrics_port"))
        .isEqualTo(Integer.toString(server.metricsPort()));
    assertThat(token()).matches("[0-9a-f]{64}");
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(
              PosixFilePermissions.toString(Files.getPosixFilePermissions(server.adminTokenFile())))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void tokenHolderReadsTheStatusAndShutsTheServerDown() throws Exception {
    LatZeroClient bystander = TestServers.client(server, "bystander");
    List<LatZeroClientException> told = new CopyOnWriteArrayList<>();
    bystander.onServerError(told::add);

    try (LatZeroClient admin = admin(token())) {
      ObjectNode status = admin.serverStatus();
      assertThat(SchemaValidator.protocol().validate(status, "#/definitions/results/serverStatus"))
          .isEmpty();
      assertThat(status.path("connections").asInt()).isEqualTo(2);
      assertThat(admin.listApps()).extracting(a -> a.path("app_id").asText()).contains("bystander");

      admin.shutdownServer();
    }

    server.terminationFuture().get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> !told.isEmpty());
    assertThat(told.get(0).code()).isEqualTo("SERVICE_UNAVAILABLE");
    assertThat(dir.resolve("data").resolve(LatZeroServer.PID_FILE)).doesNotExist();
    assertThat(server.adminTokenFile()).doesNotExist();
    bystander.close();
  }

  @Test
  void adminAppIdWithoutTheRightTokenIsDenied() {
    assertThat(refusal(() -> admin("0".repeat(64)).close())).isEqualTo("ACCESS_DENIED");
    assertThat(refusal(() -> TestServers.client(server, LatZeroServer.ADMIN_APP_ID).close()))
        .isEqualTo("ACCESS_DENIED");
  }

  @Test
  void adminTokenWithAnotherAppIdIsRefused() throws Exception {
    String token = token();
    assertThat(
            refusal(
                () ->
                    TestServers.client(
                            server,
                            "impostor",
                            LatZeroClientOptions.builder().adminToken(token).build())
                        .close()))
        .isEqualTo("VALIDATION_ERROR");
  }

  @Test
  void ordinaryAppMayNotReadTheStatusNorShutDown() {
    try (LatZeroClient app = TestServers.client(server, "ordinary")) {
      assertThat(refusal(app::serverStatus)).isEqualTo("ACCESS_DENIED");
      assertThat(refusal(app::shutdownServer)).isEqualTo("ACCESS_DENIED");
      assertThat(refusal(app::listApps)).isEqualTo("ACCESS_DENIED");
    }
    assertThat(server.terminationFuture()).isNotDone();
  }

  @Test
  void configuredAdminAppListsApps() {
    try (LatZeroClient ops = TestServers.client(server, "ops")) {
      List<ObjectNode> apps = ops.listApps();
      assertThat(apps).extracting(a -> a.path("app_id").asText()).contains("ops");
      ObjectNode listed = RawClient.JSON.createObjectNode();
      listed.putArray("apps").addAll(apps);
      assertThat(SchemaValidator.protocol().validate(listed, "#/definitions/results/listApps"))
          .isEmpty();
    }
  }

  @Test
  void metricsEndpointServesTheLatZeroMetricsAndHealth() throws Exception {
    try (LatZeroClient echo =
            TestServers.client(
                server,
                "echo",
                LatZeroClientOptions.builder().trigger("echo", call -> call.payload()).build());
        LatZeroClient caller = TestServers.client(server, "caller")) {
      caller.call("default", "echo", new TextNode("x")).get(10, TimeUnit.SECONDS);
      refusal(() -> caller.memory().inspect("default", "absent"));

      HttpClient http = HttpClient.newHttpClient();
      String metrics = get(http, "/metrics").body();
      assertThat(metrics)
          .contains("latzero_connections 2")
          .contains("latzero_messages_total{type=\"trigger\"} 1")
          .contains("latzero_messages_total{type=\"handshake\"} 2")
          .contains("latzero_errors_total{code=\"BLOCK_NOT_FOUND\"} 1")
          .contains("latzero_calls_total{outcome=\"success\"} 1")
          .contains("latzero_call_latency_seconds_bucket{le=\"0.001\"}")
          .contains("latzero_call_latency_seconds_count 1")
          .contains("latzero_outbound_queue_bytes")
          .contains("latzero_sessions_live 2");
      HttpResponse<String> health = get(http, "/health");
      assertThat(health.statusCode()).isEqualTo(200);
    }
  }

  private HttpResponse<String> get(HttpClient http, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort() + path))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
