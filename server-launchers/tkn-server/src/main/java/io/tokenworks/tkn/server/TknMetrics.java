package io.tokenworks.tkn.server;

import io.netty.channel.Channel;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tokenworks.server.kit.ConnectionListener;
import java.util.function.LongSupplier;

/**
 * The TKN server's Prometheus metrics. Upstream's five names are kept with their labels ({@code
 * component_operation_throughput_total}, {@code component_operation_latency_seconds}, {@code
 * component_operation_errors_total}, {@code component_dependency_calls_total}, {@code
 * active_connections_total}) and the (component, operation) pairs upstream used, but the latency
 * histogram starts at 10 µs instead of upstream's 100 ms. Ours beside them: symbols, tokens, bytes
 * and frames (rates are {@code rate(...)} of the counters), the graph queue depth, batch sizes,
 * commit latency and retries.
 */
final class TknMetrics implements ConnectionListener {

  /** 10 µs .. 5 s: mining a frame takes microseconds, a graph commit milliseconds. */
  static final double[] LATENCY_BUCKETS_SECONDS = {
    0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
    0.1, 0.25, 0.5, 1.0, 2.0, 5.0
  };

  static final double[] BATCH_BUCKETS = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000};

  private final PrometheusRegistry registry = new PrometheusRegistry();

  private final Gauge activeConnections;
  private final CounterDataPoint connectionOpened;
  private final CounterDataPoint socketDataProcessed;
  private final DistributionDataPoint socketDataLatency;
  private final CounterDataPoint socketDataErrors;
  private final CounterDataPoint tokensProcessed;
  private final CounterDataPoint minerToSyncStream;
  private final CounterDataPoint tokensBuffered;
  private final CounterDataPoint batchProcessed;
  private final DistributionDataPoint batchLatency;
  private final CounterDataPoint batchErrors;
  private final CounterDataPoint syncStreamToNeo4j;
  private final CounterDataPoint transactionCommitted;
  private final CounterDataPoint transactionFailed;
  private final DistributionDataPoint commitLatency;

  private final Counter symbols;
  private final Counter tokens;
  private final Counter bytes;
  private final Counter frames;
  private final Counter sessions;
  private final Counter protocolErrors;
  private final Counter backpressurePauses;
  private final Counter graphRetries;
  private final Counter slowReaderPauses;
  private final Counter refused;
  private final Histogram batchPairs;

  TknMetrics() {
    activeConnections =
        Gauge.builder()
            .name("active_connections_total")
            .help("Open TKN connections (upstream's name, a gauge)")
            .register(registry);
    Counter throughput =
        Counter.builder()
            .name("component_operation_throughput_total")
            .help("Operations completed, by component and operation (upstream's metric)")
            .labelNames("component", "operation")
            .register(registry);
    Histogram latency =
        Histogram.builder()
            .name("component_operation_latency_seconds")
            .help("Operation latency, by component and operation (upstream's metric)")
            .labelNames("component", "operation")
            .classicOnly()
            .classicUpperBounds(LATENCY_BUCKETS_SECONDS)
            .withoutExemplars()
            .register(registry);
    Counter errors =
        Counter.builder()
            .name("component_operation_errors_total")
            .help("Operations failed, by component and operation (upstream's metric)")
            .labelNames("component", "operation")
            .register(registry);
    Counter dependencies =
        Counter.builder()
            .name("component_dependency_calls_total")
            .help("Calls from one component to another (upstream's metric)")
            .labelNames("component", "dependency")
            .register(registry);
    connectionOpened = throughput.labelValues("server", "connection-opened");
    socketDataProcessed = throughput.labelValues("server", "socket-data-processing");
    socketDataLatency = latency.labelValues("server", "socket-data-processing");
    socketDataErrors = errors.labelValues("server", "socket-data-processing");
    tokensProcessed = throughput.labelValues("tknMiner", "token-processed");
    minerToSyncStream = dependencies.labelValues("tknMiner", "sync-stream");
    tokensBuffered = throughput.labelValues("sync-stream", "token-buffered");
    batchProcessed = throughput.labelValues("sync-stream", "batch-processed");
    batchLatency = latency.labelValues("sync-stream", "batch-processed");
    batchErrors = errors.labelValues("sync-stream", "batch-processing");
    syncStreamToNeo4j = dependencies.labelValues("sync-stream", "neo4j");
    transactionCommitted = throughput.labelValues("neo4j", "transaction-committed");
    transactionFailed = errors.labelValues("neo4j", "transaction-failed");
    commitLatency = latency.labelValues("neo4j", "transaction-committed");

    symbols = counter("tkn_symbols_total", "Symbols mined");
    tokens = counter("tkn_tokens_total", "Tokens emitted by the miners");
    bytes = counter("tkn_bytes_total", "Frame bytes received (headers included)");
    frames =
        Counter.builder()
            .name("tkn_frames_total")
            .help("Frames received, by type")
            .labelNames("type")
            .register(registry);
    sessions =
        Counter.builder()
            .name("tkn_sessions_total")
            .help("Sessions started, by mode (compat, hello) and transport (tcp, websocket)")
            .labelNames("mode", "transport")
            .register(registry);
    protocolErrors =
        Counter.builder()
            .name("tkn_protocol_errors_total")
            .help("Frames refused or skipped, by reason")
            .labelNames("reason")
            .register(registry);
    backpressurePauses =
        counter(
            "tkn_backpressure_pauses_total",
            "Times a session stopped reading because its graph queue was full");
    graphRetries = counter("tkn_graph_retries_total", "Graph batches retried after an error");
    slowReaderPauses =
        counter(
            "tkn_slow_reader_pauses_total",
            "Times a session stopped reading because its peer did not read the replies");
    refused = counter("tkn_connections_refused_total", "Connections refused at max-connections");
    batchPairs =
        Histogram.builder()
            .name("tkn_graph_batch_pairs")
            .help("Token pairs per graph transaction")
            .classicOnly()
            .classicUpperBounds(BATCH_BUCKETS)
            .withoutExemplars()
            .register(registry);
  }

  private Counter counter(String name, String help) {
    return Counter.builder().name(name).help(help).register(registry);
  }

  PrometheusRegistry registry() {
    return registry;
  }

  /** One read from a socket (or one WebSocket message) handled. */
  void socketData(long frameBytes, long nanos) {
    socketDataProcessed.inc();
    socketDataLatency.observe(nanos / 1e9);
    bytes.inc(frameBytes);
  }

  void socketDataError() {
    socketDataErrors.inc();
  }

  void frame(String type) {
    frames.labelValues(type).inc();
  }

  void mined(long symbolCount, long tokenCount) {
    if (symbolCount > 0) {
      symbols.inc(symbolCount);
    }
    if (tokenCount > 0) {
      tokens.inc(tokenCount);
      tokensProcessed.inc(tokenCount);
      minerToSyncStream.inc(tokenCount);
      tokensBuffered.inc(tokenCount);
    }
  }

  /** The graph queue's depth, read from the pipelines at each scrape. */
  void graphQueue(LongSupplier pendingTokens) {
    GaugeWithCallback.builder()
        .name("tkn_graph_queue_tokens")
        .help("Tokens mined and waiting to be written to the graph, all sessions")
        .callback(callback -> callback.call(pendingTokens.getAsLong()))
        .register(registry);
  }

  void batchWritten(int tokenCount, int pairs, long nanos) {
    batchProcessed.inc();
    batchLatency.observe(nanos / 1e9);
    commitLatency.observe(nanos / 1e9);
    transactionCommitted.inc();
    syncStreamToNeo4j.inc();
    batchPairs.observe(pairs);
  }

  void batchFailed(boolean willRetry) {
    batchErrors.inc();
    transactionFailed.inc();
    syncStreamToNeo4j.inc();
    if (willRetry) {
      graphRetries.inc();
    }
  }

  void session(String mode, String transport) {
    sessions.labelValues(mode, transport).inc();
  }

  void protocolError(String reason) {
    protocolErrors.labelValues(reason).inc();
  }

  void backpressurePaused() {
    backpressurePauses.inc();
  }

  void slowReaderPaused() {
    slowReaderPauses.inc();
  }

  @Override
  public void accepted(Channel channel) {
    activeConnections.inc();
    connectionOpened.inc();
  }

  @Override
  public void closed(Channel channel) {
    activeConnections.dec();
  }

  @Override
  public void refused(Channel channel) {
    refused.inc();
  }
}
