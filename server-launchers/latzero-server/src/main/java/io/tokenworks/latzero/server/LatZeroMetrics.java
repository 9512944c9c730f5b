package io.tokenworks.latzero.server;

import io.netty.channel.Channel;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tokenworks.latzero.FabricStatus;
import io.tokenworks.latzero.LatZeroFabric;
import io.tokenworks.server.kit.ConnectionListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * The LatZero server's Prometheus metrics: {@code latzero_connections}, {@code
 * latzero_messages_total{type}}, {@code latzero_errors_total{code}}, {@code
 * latzero_calls_total{outcome}}, {@code latzero_call_latency_seconds} (from the call's arrival to
 * its outcome, sub-millisecond buckets), {@code latzero_outbound_queue_bytes}, and gauges read from
 * the fabric's status. Label values are resolved once, so recording allocates nothing. Also the
 * server's {@link ConnectionListener}.
 */
final class LatZeroMetrics implements ConnectionListener {

  /** 10 µs .. 5 s: a loopback call takes tens of microseconds, a deadline seconds. */
  static final double[] LATENCY_BUCKETS_SECONDS = {
    0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
    0.1, 0.25, 0.5, 1.0, 5.0
  };

  /** The message types counted by name; anything else is counted as {@code other}. */
  static final String[] MESSAGE_TYPES = {
    "handshake", "trigger", "response", "error", "emit", "memory", "admin", "ping", "other"
  };

  /** How a call ended, for {@code latzero_calls_total{outcome}}. */
  enum Outcome {
    SUCCESS,
    HANDLER_ERROR,
    TIMEOUT,
    HANDLER_GONE,
    REJECTED;

    final String label = name().toLowerCase(java.util.Locale.ROOT);
  }

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final long startNs = System.nanoTime();
  private final Gauge connections;
  private final Counter connectionsTotal;
  private final Counter connectionsRefused;
  private final Counter errors;
  private final Map<String, CounterDataPoint> errorsByCode = new ConcurrentHashMap<>();
  private final Map<String, CounterDataPoint> messagesByType = new ConcurrentHashMap<>();
  private final CounterDataPoint otherMessages;
  private final CounterDataPoint[] callsByOutcome = new CounterDataPoint[Outcome.values().length];
  private final DistributionDataPoint callLatency;
  private final LongAdder outboundBytes = new LongAdder();
  private volatile LatZeroFabric fabric;
  private volatile StatusSnapshot lastStatus;

  LatZeroMetrics() {
    connections =
        Gauge.builder().name("latzero_connections").help("Open connections").register(registry);
    connectionsTotal = counter("latzero_connections_accepted_total", "Connections accepted");
    connectionsRefused =
        counter("latzero_connections_refused_total", "Connections refused at max-connections");
    Counter messages =
        Counter.builder()
            .name("latzero_messages_total")
            .help("Messages received, by type")
            .labelNames("type")
            .register(registry);
    for (String type : MESSAGE_TYPES) {
      messagesByType.put(type, messages.labelValues(type));
    }
    otherMessages = messagesByType.get("other");
    errors =
        Counter.builder()
            .name("latzero_errors_total")
            .help("Error frames sent, by error_code")
            .labelNames("code")
            .register(registry);
    Counter calls =
        Counter.builder()
            .name("latzero_calls_total")
            .help("Calls by outcome: success, handler_error, timeout, handler_gone, rejected")
            .labelNames("outcome")
            .register(registry);
    for (Outcome outcome : Outcome.values()) {
      callsByOutcome[outcome.ordinal()] = calls.labelValues(outcome.label);
    }
    callLatency =
        Histogram.builder()
            .name("latzero_call_latency_seconds")
            .help("Time from a call's arrival at the server to its outcome leaving for the caller")
            .classicOnly()
            .classicUpperBounds(LATENCY_BUCKETS_SECONDS)
            .withoutExemplars()
            .register(registry);
    GaugeWithCallback.builder()
        .name("latzero_outbound_queue_bytes")
        .help("Bytes accepted for connections but not yet written to their sockets")
        .callback(callback -> callback.call(outboundBytes.sum()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("latzero_uptime_seconds")
        .help("Seconds since the server started")
        .callback(callback -> callback.call((System.nanoTime() - startNs) / 1e9))
        .register(registry);
    statusGauge("latzero_pools", "Pools that exist", FabricStatus::pools);
    statusGauge("latzero_apps_known", "Apps the fabric knows", FabricStatus::knownApps);
    statusGauge("latzero_sessions_live", "Apps with a live session", FabricStatus::liveSessions);
    statusGauge(
        "latzero_outstanding_calls", "Calls awaiting an outcome", FabricStatus::outstandingCalls);
  }

  private Counter counter(String name, String help) {
    return Counter.builder().name(name).help(help).register(registry);
  }

  private void statusGauge(String name, String help, ToDoubleFunction<FabricStatus> value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(
            callback -> {
              FabricStatus status = status();
              if (status != null) {
                callback.call(value.applyAsDouble(status));
              }
            })
        .register(registry);
  }

  /** The fabric's status, taken once per scrape (every callback of a scrape runs within ms). */
  private FabricStatus status() {
    LatZeroFabric current = fabric;
    if (current == null) {
      return null;
    }
    StatusSnapshot snapshot = lastStatus;
    long now = System.nanoTime();
    if (snapshot == null || now - snapshot.takenNs() > 100_000_000L) {
      snapshot = new StatusSnapshot(now, current.status());
      lastStatus = snapshot;
    }
    return snapshot.status();
  }

  private record StatusSnapshot(long takenNs, FabricStatus status) {}

  PrometheusRegistry registry() {
    return registry;
  }

  void fabric(LatZeroFabric value) {
    this.fabric = value;
  }

  void message(String type) {
    messagesByType.getOrDefault(type, otherMessages).inc();
  }

  void error(String code) {
    errorsByCode.computeIfAbsent(code, errors::labelValues).inc();
  }

  void call(Outcome outcome, long startNs) {
    callsByOutcome[outcome.ordinal()].inc();
    if (startNs != 0) {
      callLatency.observe((System.nanoTime() - startNs) / 1e9);
    }
  }

  void outboundBytes(long delta) {
    outboundBytes.add(delta);
  }

  @Override
  public void accepted(Channel channel) {
    connections.inc();
    connectionsTotal.inc();
  }

  @Override
  public void refused(Channel channel) {
    connectionsRefused.inc();
  }

  @Override
  public void closed(Channel channel) {
    connections.dec();
  }
}
