package io.tokenworks.tau.server;

import io.tokenworks.server.kit.MetricsEndpoint;
import io.tokenworks.server.kit.NettyServer;
import io.tokenworks.server.kit.ServerStartException;
import io.tokenworks.tau.TauConfig;
import io.tokenworks.tau.TauEngine;
import io.tokenworks.tau.TauException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Tau server: a {@link TauEngine} on a data directory, served over TAU v1 (and its Tokenworks
 * extensions) on a TCP port, with Prometheus metrics and a health check on a second port.
 *
 * <pre>{@code
 * try (TauServer server = TauServer.start(TauServerConfig.builder().port(0).metricsPort(0)
 *     .dataDirectory(dir).build())) {
 *   TauClient client = TauClient.connect("127.0.0.1", server.port(), certificate);
 * }
 * }</pre>
 */
public final class TauServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TauServer.class);

  private final TauServerConfig config;
  private final TauEngine engine;
  private final NettyServer network;
  private final MetricsEndpoint metricsEndpoint;
  private final AtomicBoolean closed;

  private TauServer(
      TauServerConfig config,
      TauEngine engine,
      NettyServer network,
      MetricsEndpoint metrics,
      AtomicBoolean closed) {
    this.config = config;
    this.engine = engine;
    this.network = network;
    this.metricsEndpoint = metrics;
    this.closed = closed;
  }

  /**
   * Opens the engine, then listens.
   *
   * @throws ServerStartException with one line for a human: a non-loopback address with the default
   *     certificate, a port in use, a data directory that cannot be opened
   */
  public static TauServer start(TauServerConfig config) {
    Objects.requireNonNull(config, "config");
    refuseDefaultCertificateInPublic(config);
    TauMetrics metrics = new TauMetrics(config.workerThreads());
    TauEngine engine = openEngine(config, metrics);
    metrics.engine(engine);
    NettyServer network = null;
    try {
      AuthGuard auth =
          new AuthGuard(
              config.certificate(), config.authAttempts(), config.authLockout(), System::nanoTime);
      network =
          NettyServer.builder("tau")
              .bindAddress(config.bind())
              .port(config.port())
              .maxConnections(config.maxConnections())
              .idleTimeout(config.idleTimeout())
              .workerThreads(config.ioThreads())
              .listener(metrics)
              .pipeline(
                  pipeline ->
                      pipeline.addLast(
                          "tau",
                          new TauConnectionHandler(
                              engine, metrics, auth, config.maxPayload(), config.maxInFlight())))
              .start();
      AtomicBoolean closed = new AtomicBoolean();
      MetricsEndpoint endpoint =
          MetricsEndpoint.start(
              config.metricsBind(),
              config.metricsPort(),
              metrics.registry(),
              () -> closed.get() ? "tau server is shutting down" : null);
      TauServer server = new TauServer(config, engine, network, endpoint, closed);
      LOG.info(
          "tau server started: protocol {} metrics {}:{} data {}",
          network.localAddress(),
          config.metricsBind(),
          endpoint.port(),
          config.dataDirectory().toAbsolutePath());
      return server;
    } catch (RuntimeException e) {
      if (network != null) {
        network.close();
      }
      engine.close();
      throw e;
    }
  }

  private static void refuseDefaultCertificateInPublic(TauServerConfig config) {
    if (!config.usesDefaultCertificate()) {
      return;
    }
    boolean loopback;
    try {
      loopback = InetAddress.getByName(config.bind()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new ServerStartException("tau: bind=" + config.bind() + " is not a known address", e);
    }
    if (!loopback) {
      throw new ServerStartException(
          "tau: refusing to listen on "
              + config.bind()
              + " with the default development certificate; set --certificate or TAU_CERTIFICATE"
              + " to 64 hex characters of your own, or bind to 127.0.0.1",
          null);
    }
  }

  private static TauEngine openEngine(TauServerConfig config, TauMetrics metrics) {
    try {
      return TauEngine.open(
          TauConfig.builder(config.dataDirectory())
              .fsyncPolicy(config.fsyncPolicy())
              .batchFsyncInterval(config.fsyncInterval())
              .workerThreads(config.workerThreads())
              .observer(metrics)
              .build());
    } catch (TauException | IllegalStateException | IllegalArgumentException e) {
      throw new ServerStartException(
          "tau: cannot open data-dir=" + config.dataDirectory() + ": " + e.getMessage(), e);
    }
  }

  public TauServerConfig config() {
    return config;
  }

  /** The engine behind the server, e.g. for tests that check what a request did. */
  public TauEngine engine() {
    return engine;
  }

  /** The TAU port (the real one when 0 was configured). */
  public int port() {
    return network.port();
  }

  public InetSocketAddress address() {
    return network.localAddress();
  }

  /** The metrics port (the real one when 0 was configured). */
  public int metricsPort() {
    return metricsEndpoint.port();
  }

  /** Connections open now. */
  public int activeConnections() {
    return network.activeConnections();
  }

  /**
   * Stops accepting, lets every connection finish the requests it has in flight (up to a few
   * seconds), stops the metrics endpoint, then closes the engine (which forces the WAL).
   * Idempotent; a second caller waits until the first has finished.
   */
  @Override
  public synchronized void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      network.close();
    } finally {
      try {
        metricsEndpoint.close();
      } finally {
        engine.close();
        LOG.info("tau server stopped");
      }
    }
  }
}
