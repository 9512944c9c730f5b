package io.tokenworks.tau.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.protocol.tau.TauClient;
import io.tokenworks.protocol.tau.TauClientException;
import io.tokenworks.protocol.tau.TauLabel;
import io.tokenworks.server.kit.ServerStartException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics endpoint with upstream's names, the histograms, and the startup refusals. */
class TauServerMetricsTest {

  @TempDir Path dataDirectory;
  private TauTestServer tau;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    if (tau != null) {
      tau.close();
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tau.server().metricsPort() + path))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsCarryUpstreamNamesAndSubMillisecondHistograms() throws Exception {
    tau = TauTestServer.start(dataDirectory);
    TauClient client = tau.client();
    TauLabel temp = TauLabel.of("temp");
    client.createSeries(temp);
    client.append(temp, 1, 1.0);
    client.append(temp, 2, 2.0);
    try {
      client.append(temp, 2, 3.0);
    } catch (TauClientException expected) {
      // out of order, counted below
    }
    client.queryPoint(temp, 1);

    HttpResponse<String> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    String text = response.body();
    assertThat(text)
        .contains("tau_connections_active 1.0")
        .contains("tau_connections_total 1.0")
        .contains("tau_requests_total{op=\"append\"} 3.0")
        .contains("tau_requests_total{op=\"connect\"} 1.0")
        .contains("tau_requests_total{op=\"query_point\"} 1.0")
        .contains("tau_errors_total{status=\"out_of_order\"} 1.0")
        .contains("tau_series_count 1.0")
        .contains("tau_actor_pool_size 2.0")
        .contains("tau_mailbox_queue_depth")
        .contains("tau_mailbox_full_count 0.0")
        .contains("tau_points_appended_total 2.0")
        .contains("tau_uptime_seconds")
        .contains("tau_request_latency_seconds_bucket{op=\"append\",le=\"1.0E-5\"}")
        .contains("tau_request_latency_seconds_count{op=\"append\"} 3")
        .contains("tau_wal_fsync_seconds_bucket{le=\"2.5E-4\"}")
        .contains("tau_wal_group_size_bucket{le=\"1.0\"}")
        .contains("tau_checkpoints_total 0.0")
        .contains("tau_stored_chunk_reads_total 0.0")
        .contains("tau_chunk_cache_bytes 0.0")
        .containsPattern("tau_point_memory_bytes [1-9][0-9.E]*\\n");
    assertThat(get("/").body()).contains("tau_series_count 1.0");
  }

  @Test
  void healthIsOkWhileServing() throws Exception {
    tau = TauTestServer.start(dataDirectory);
    HttpResponse<String> health = get("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok\n");
  }

  @Test
  void refusesAPublicAddressWithTheDefaultCertificate() {
    assertThatThrownBy(
            () ->
                TauServer.start(
                    TauServerConfig.builder()
                        .bind("0.0.0.0")
                        .port(0)
                        .metricsPort(0)
                        .dataDirectory(dataDirectory)
                        .build()))
        .isInstanceOf(ServerStartException.class)
        .hasMessageStartingWith(
            "tau: refusing to listen on 0.0.0.0 with the default development certificate");
  }

  @Test
  void aPublicAddressIsFineWithAnOwnCertificate() throws Exception {
    byte[] certificate = new byte[32];
    certificate[0] = 42;
    try (TauServer server =
        TauServer.start(
            TauServerConfig.builder()
                .bind("0.0.0.0")
                .certificate(certificate)
                .port(0)
                .metricsPort(0)
                .dataDirectory(dataDirectory)
                .build())) {
      try (TauClient client = TauClient.connect("127.0.0.1", server.port(), certificate)) {
        client.ping();
      }
    }
  }

  @Test
  void aLockedDataDirectoryIsOneClearError() {
    tau = TauTestServer.start(dataDirectory);
    assertThatThrownBy(() -> TauTestServer.start(dataDirectory))
        .isInstanceOf(ServerStartException.class)
        .hasMessageStartingWith("tau: cannot open data-dir=" + dataDirectory);
  }
}
