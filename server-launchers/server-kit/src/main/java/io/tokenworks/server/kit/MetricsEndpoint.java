package io.tokenworks.server.kit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of a server's observability, on its own port (loopback by default): Prometheus text
 * at {@code /metrics} (and at {@code /}, as upstream servers answered any path with metrics), and a
 * health check at {@code /health} that answers 200 {@code ok} or 503 with the reason.
 */
public final class MetricsEndpoint implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);

  /** The health of a server: {@code null} when healthy, otherwise why not. */
  @FunctionalInterface
  public interface HealthCheck extends Supplier<String> {
    HealthCheck ALWAYS_HEALTHY = () -> null;
  }

  private final HTTPServer server;
  private final String bindAddress;

  private MetricsEndpoint(HTTPServer server, String bindAddress) {
    this.server = server;
    this.bindAddress = bindAddress;
  }

  /**
   * Starts serving {@code registry} on {@code bindAddress:port} (port 0 picks a free one).
   *
   * @throws ServerStartException when the port cannot be bound
   */
  public static MetricsEndpoint start(
      String bindAddress, int port, PrometheusRegistry registry, HealthCheck health) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(health, "health");
    MetricsHandler metrics = new MetricsHandler(registry);
    try {
      HTTPServer server =
          HTTPServer.builder()
              .inetAddress(InetAddress.getByName(bindAddress))
              .port(port)
              .registry(registry)
              .defaultHandler(new RootHandler(metrics, health))
              .buildAndStart();
      LOG.info("metrics on http://{}:{}/metrics", bindAddress, server.getPort());
      return new MetricsEndpoint(server, bindAddress);
    } catch (IOException e) {
      throw new ServerStartException(
          "cannot serve metrics on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return server.getPort();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(bindAddress, port());
  }

  @Override
  public void close() {
    server.close();
  }

  /** Everything that is not {@code /metrics}: the health check, metrics at the root, else 404. */
  private static final class RootHandler implements HttpHandler {
    private final MetricsHandler metrics;
    private final HealthCheck health;

    RootHandler(MetricsHandler metrics, HealthCheck health) {
      this.metrics = metrics;
      this.health = health;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/")) {
        metrics.handle(exchange);
      } else if (path.equals("/health")) {
        String problem = health.get();
        respond(exchange, problem == null ? 200 : 503, problem == null ? "ok\n" : problem + "\n");
      } else {
        respond(exchange, 404, "not found; try /metrics or /health\n");
      }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(
          status, exchange.getRequestMethod().equals("HEAD") ? -1 : bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        if (!exchange.getRequestMethod().equals("HEAD")) {
          out.write(bytes);
        }
      }
    }
  }
}
