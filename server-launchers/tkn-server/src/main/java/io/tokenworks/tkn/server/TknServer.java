package io.tokenworks.tkn.server;

import io.tokenworks.server.kit.MetricsEndpoint;
import io.tokenworks.server.kit.NettyServer;
import io.tokenworks.server.kit.ServerStartException;
import io.tokenworks.tkn.graph.BoltConfig;
import io.tokenworks.tkn.graph.BoltGraphSink;
import io.tokenworks.tkn.graph.DiscardingSink;
import io.tokenworks.tkn.graph.GraphSink;
import io.tokenworks.tkn.graph.GraphWriteException;
import io.tokenworks.tkn.pipeline.PipelineConfig;
import io.tokenworks.tkn.pipeline.TokenPipelines;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TKN server: TKN v1 frames over TCP and WebSocket on one port, each connection mined by its
 * own miner, tokens written to a graph (an embedded Neo4j by default, Neo4j or Memgraph over Bolt,
 * or nowhere), Prometheus metrics and {@code /health} (graph readiness) on a second port.
 */
public final class TknServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TknServer.class);

  /** How long shutdown waits for sessions to write what they mined. */
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

  private final TknServerConfig config;
  private final EmbeddedGraph embedded;
  private final GraphSink sink;
  private final TokenPipelines pipelines;
  private final NettyServer network;
  private final MetricsEndpoint metricsEndpoint;
  private final AtomicBoolean closed;

  private TknServer(
      TknServerConfig config,
      EmbeddedGraph embedded,
      GraphSink sink,
      TokenPipelines pipelines,
      NettyServer network,
      MetricsEndpoint metricsEndpoint,
      AtomicBoolean closed) {
    this.config = config;
    this.embedded = embedded;
    this.sink = sink;
    this.pipelines = pipelines;
    this.network = network;
    this.metricsEndpoint = metricsEndpoint;
    this.closed = closed;
  }

  /**
   * Opens the graph, then listens.
   *
   * @throws ServerStartException with one line for a human: a port in use, a graph that cannot be
   *     started or that refuses the credentials
   */
  public static TknServer start(TknServerConfig config) {
    Objects.requireNonNull(config, "config");
    TknMetrics metrics = new TknMetrics();
    EmbeddedGraph embedded = null;
    GraphSink sink = null;
    TokenPipelines pipelines = null;
    NettyServer network = null;
    try {
      if (config.graph() == TknServerConfig.GraphMode.EMBEDDED) {
        embedded = EmbeddedGraph.start(config.dataDirectory().resolve("graph"), config.boltPort());
        sink = openBolt(new BoltConfig(embedded.boltUri(), "", "", ""));
      } else if (config.graph() == TknServerConfig.GraphMode.BOLT) {
        sink =
            openBolt(
                new BoltConfig(
                    config.graphUri(),
                    config.graphUser(),
                    config.graphPassword(),
                    config.graphDatabase()));
      } else {
        sink = new DiscardingSink();
      }
      pipelines =
          new TokenPipelines(
              sink,
              PipelineConfig.defaults()
                  .withMaxBatchPairs(config.batchPairs())
                  .withMaxBatchDelay(config.batchDelay())
                  .withWatermarks(config.queueTokens(), config.queueTokens() / 2)
                  .withWriterThreads(config.writerThreads())
                  .withCloseTimeout(DRAIN_TIMEOUT));
      metrics.graphQueue(pipelines::pendingTokens);
      MiningSession.Opener miners = new MiningSession.Opener(config, pipelines, metrics);
      TknSession.Factory sessions =
          (output, transport) -> new TknSession(output, transport, config, metrics, miners);
      network =
          NettyServer.builder("tkn")
              .bindAddress(config.bind())
              .port(config.port())
              .maxConnections(config.maxConnections())
              .idleTimeout(config.idleTimeout())
              .shutdownTimeout(DRAIN_TIMEOUT)
              .workerThreads(config.ioThreads())
              .listener(metrics)
              .pipeline(
                  pipeline ->
                      pipeline.addLast(
                          "sniffer",
                          new ProtocolSniffer(
                              config.maxFrame(),
                              webSocket ->
                                  new TknConnection(
                                      webSocket, sessions, metrics::slowReaderPaused))))
              .start();
      AtomicBoolean closed = new AtomicBoolean();
      GraphSink health = sink;
      MetricsEndpoint endpoint =
          MetricsEndpoint.start(
              config.metricsBind(),
              config.metricsPort(),
              metrics.registry(),
              () -> {
                if (closed.get()) {
                  return "tkn server is shutting down";
                }
                return health.ready() ? null : "graph not reachable: " + health.describe();
              });
      TknServer server =
          new TknServer(config, embedded, sink, pipelines, network, endpoint, closed);
      LOG.info(
          "tkn server started: protocol {} (TCP and WebSocket) metrics {}:{} graph {}",
          network.localAddress(),
          config.metricsBind(),
          endpoint.port(),
          sink.describe());
      return server;
    } catch (RuntimeException e) {
      closeQuietly(network, pipelines, sink, embedded);
      throw e;
    }
  }

  private static GraphSink openBolt(BoltConfig bolt) {
    try {
      return BoltGraphSink.open(bolt);
    } catch (GraphWriteException e) {
      throw new ServerStartException("tkn: graph at " + bolt.uri() + ": " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(AutoCloseable... resources) {
    for (AutoCloseable resource : resources) {
      if (resource == null) {
        continue;
      }
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("tkn: while cleaning up a failed start: {}", e.toString());
      }
    }
  }

  public TknServerConfig config() {
    return config;
  }

  /** The TKN port (the real one when 0 was configured). */
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

  /** The Bolt URI of the embedded graph, or of the configured one; empty with graph none. */
  public String graphUri() {
    if (embedded != null) {
      return embedded.boltUri();
    }
    return config.graph() == TknServerConfig.GraphMode.BOLT ? config.graphUri() : "";
  }

  /** Connections open now. */
  public int activeConnections() {
    return network.activeConnections();
  }

  /**
   * Stops accepting, lets each session mine its last window and write its tokens (up to 30 s),
   * stops the metrics endpoint, closes the graph. Idempotent.
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
        if (!pipelines.close(DRAIN_TIMEOUT)) {
          LOG.warn("tkn: some sessions could not write all their tokens before shutdown");
        }
      } finally {
        metricsEndpoint.close();
        closeQuietly(sink, embedded);
        LOG.info("tkn server stopped");
      }
    }
  }
}
