package io.tokenworks.server.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(MetricsEndpoint endpoint, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesPrometheusTextAtMetricsAndAtTheRoot() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter requests =
        Counter.builder()
            .name("test_requests_total")
            .help("requests")
            .labelNames("op")
            .register(registry);
    requests.labelValues("append").inc(3);
    try (MetricsEndpoint endpoint =
        MetricsEndpoint.start(
            "127.0.0.1", 0, registry, MetricsEndpoint.HealthCheck.ALWAYS_HEALTHY)) {
      HttpResponse<String> metrics = get(endpoint, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("test_requests_total{op=\"append\"} 3.0");
      assertThat(get(endpoint, "/").body()).contains("test_requests_total{op=\"append\"} 3.0");
    }
  }

  @Test
  void healthSaysOkOrWhyNot() throws Exception {
    AtomicReference<String> problem = new AtomicReference<>();
    try (MetricsEndpoint endpoint =
        MetricsEndpoint.start("127.0.0.1", 0, new PrometheusRegistry(), problem::get)) {
      HttpResponse<String> healthy = get(endpoint, "/health");
      assertThat(healthy.statusCode()).isEqualTo(200);
      assertThat(healthy.body()).isEqualTo("ok\n");
      problem.set("engine closed");
      HttpResponse<String> sick = get(endpoint, "/health");
      assertThat(sick.statusCode()).isEqualTo(503);
      assertThat(sick.body()).isEqualTo("engine closed\n");
      assertThat(get(endpoint, "/nothing").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aPortInUseIsOneClearError() {
    try (MetricsEndpoint first =
        MetricsEndpoint.start(
            "127.0.0.1", 0, new PrometheusRegistry(), MetricsEndpoint.HealthCheck.ALWAYS_HEALTHY)) {
      assertThatThrownBy(
              () ->
                  MetricsEndpoint.start(
                      "127.0.0.1",
                      first.port(),
                      new PrometheusRegistry(),
                      MetricsEndpoint.HealthCheck.ALWAYS_HEALTHY))
          .isInstanceOf(ServerStartException.class)
          .hasMessageStartingWith("cannot serve metrics on 127.0.0.1:" + first.port());
    }
  }
}
