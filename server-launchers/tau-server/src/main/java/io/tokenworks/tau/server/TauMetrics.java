package io.tokenworks.tau.server;

import io.netty.channel.Channel;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tokenworks.protocol.tau.TauOpcode;
import io.tokenworks.protocol.tau.TauStatus;
import io.tokenworks.server.kit.ConnectionListener;
import io.tokenworks.tau.TauEngine;
import io.tokenworks.tau.TauObserver;
import io.tokenworks.tau.TauStats;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The Tau server's Prometheus metrics, with upstream's names where upstream had them ({@code
 * tau_connections_active}, {@code tau_requests_total{op}}, {@code tau_errors_total{status}}, {@code
 * tau_series_count}, {@code tau_uptime_seconds}, ...) plus latency histograms with sub-millisecond
 * buckets. Label values are resolved once per opcode and status, so recording allocates nothing; a
 * connection counts its requests, latencies and errors in its own {@link Tally} and adds them to
 * the shared metrics once per read batch. Also the engine's {@link TauObserver} (WAL force latency
 * and group size) and the server's {@link ConnectionListener}.
 */
final class TauMetrics implements TauObserver, ConnectionListener {

  /** 10 µs .. 1 s: a loopback request takes tens of microseconds, a forced write a millisecond. */
  static final double[] LATENCY_BUCKETS_SECONDS = {
    0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
    0.1, 0.25, 0.5, 1.0
  };

  static final double[] GROUP_SIZE_BUCKETS = {
    1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final long startNs = System.nanoTime();
  private volatile TauEngine engine;

  private final Gauge connectionsActive;
  private final Counter connectionsTotal;
  private final Counter connectionsRefused;
  private final Counter connectionsIdleClosed;
  private final Counter authFailures;
  private final Counter engineBusy;
  private final Histogram walFsyncSeconds;
  private final Histogram walGroupSize;
  private static final long STATS_REUSE_NS = 100_000_000L;
  private volatile StatsSnapshot lastStats;
  private static final TauOpcode[] OPCODES = TauOpcode.values();
  private static final TauStatus[] STATUSES = TauStatus.values();

  static {
    // Tally marks the opcodes it saw in one long.
    if (OPCODES.length > Long.SIZE) {
      throw new ExceptionInInitializerError("more opcodes than bits in a long");
    }
  }

  private final CounterDataPoint[] requestsByOpcode = new CounterDataPoint[OPCODES.length];
  private final RequestLatencyHistogram latency;
  private final CounterDataPoint[] errorsByStatus = new CounterDataPoint[STATUSES.length];

  TauMetrics(int workerThreads) {
    connectionsActive =
        Gauge.builder()
            .name("tau_connections_active")
            .help("Open TAU connections")
            .register(registry);
    connectionsTotal = counter("tau_connections_total", "TAU connections accepted");
    connectionsRefused =
        counter(
            "tau_connections_refused_total",
            "TAU connections refused at the max-connections limit");
    connectionsIdleClosed =
        counter("tau_connections_idle_closed_total", "TAU connections closed by the idle timeout");
    authFailures =
        counter(
            "tau_auth_failures_total", "CONNECTs refused: wrong certificate or locked-out address");
    engineBusy =
        counter(
            "tau_engine_busy_total",
            "Engine requests refused with BUSY (full mailbox or WAL backlog)");
    Counter requests =
        Counter.builder()
            .name("tau_requests_total")
            .help("TAU requests received, by opcode")
            .labelNames("op")
            .register(registry);
    Counter errors =
        Counter.builder()
            .name("tau_errors_total")
            .help("ERR replies sent, by status")
            .labelNames("status")
            .register(registry);
    latency = new RequestLatencyHistogram(LATENCY_BUCKETS_SECONDS);
    registry.register(latency);
    for (TauOpcode opcode : OPCODES) {
      String op = opcode.name().toLowerCase(Locale.ROOT);
      requestsByOpcode[opcode.ordinal()] = requests.labelValues(op);
    }
    for (TauStatus status : STATUSES) {
      errorsByStatus[status.ordinal()] = errors.labelValues(status.wireName());
    }
    walFsyncSeconds =
        histogram("tau_wal_fsync_seconds", "Duration of each WAL force", LATENCY_BUCKETS_SECONDS);
    walGroupSize =
        histogram(
            "tau_wal_group_size",
            "WAL records made durable by one force (group commit)",
            GROUP_SIZE_BUCKETS);
    gauge("tau_actor_pool_size", "Engine worker threads", stats -> workerThreads);
    gauge("tau_series_count", "Series that exist", TauStats::seriesCount);
    gauge("tau_lens_count", "Lenses that exist", TauStats::lensCount);
    gauge(
        "tau_mailbox_queue_depth",
        "Messages waiting in series mailboxes",
        TauStats::mailboxQueueDepth);
    gauge(
        "tau_mailbox_full_count",
        "Requests refused because a mailbox was full",
        TauStats::mailboxFullCount);
    counter("tau_points_appended_total", "Points acknowledged", TauStats::pointsAppended);
    counter("tau_wal_forces_total", "WAL forces", TauStats::walForces);
    counter("tau_wal_bytes_total", "Bytes written to the WAL", TauStats::walBytes);
    counter("tau_chunks_sealed_total", "Chunks sealed", TauStats::chunksSealed);
    counter("tau_checkpoints_total", "Checkpoints completed", TauStats::checkpoints);
    gauge(
        "tau_point_memory_bytes",
        "Direct memory held in point blocks (heads, chunks not yet stored, blocks kept for reuse)",
        TauStats::pointMemoryBytes);
    counter(
        "tau_stored_chunk_reads_total",
        "Stored chunks read back from disk for queries",
        TauStats::storedChunkReads);
    gauge(
        "tau_chunk_cache_bytes",
        "Decoded points of stored chunks kept in the cache",
        TauStats::chunkCacheBytes);
    GaugeWithCallback.builder()
        .name("tau_uptime_seconds")
        .help("Seconds since the server started")
        .callback(callback -> callback.call((System.nanoTime() - startNs) / 1e9))
        .register(registry);
  }

  private Counter counter(String name, String help) {
    return Counter.builder().name(name).help(help).register(registry);
  }

  private Histogram histogram(String name, String help, double[] upperBounds) {
    return Histogram.builder()
        .name(name)
        .help(help)
        .classicOnly()
        .classicUpperBounds(upperBounds)
        .withoutExemplars()
        .register(registry);
  }

  private void gauge(String name, String help, ToDoubleFunction<TauStats> value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(
            callback -> {
              TauStats stats = stats();
              if (stats != null) {
                callback.call(value.applyAsDouble(stats));
              }
            })
        .register(registry);
  }

  private void counter(String name, String help, ToDoubleFunction<TauStats> value) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .callback(
            callback -> {
              TauStats stats = stats();
              if (stats != null) {
                callback.call(value.applyAsDouble(stats));
              }
            })
        .register(registry);
  }

  /**
   * The engine's stats, taken once per scrape: every callback of one scrape runs within a few
   * milliseconds, and taking stats walks every series' mailbox.
   */
  private TauStats stats() {
    TauEngine current = engine;
    if (current == null) {
      return null;
    }
    StatsSnapshot snapshot = lastStats;
    long now = System.nanoTime();
    if (snapshot == null || now - snapshot.takenNs() > STATS_REUSE_NS) {
      snapshot = new StatsSnapshot(now, current.stats());
      lastStats = snapshot;
    }
    return snapshot.stats();
  }

  private record StatsSnapshot(long takenNs, TauStats stats) {}

  PrometheusRegistry registry() {
    return registry;
  }

  /** The engine whose stats the gauges read, once it is open. */
  void engine(TauEngine engine) {
    this.engine = engine;
  }

  /** A tally for one connection, to be used by its event loop only. */
  Tally tally() {
    return new Tally();
  }

  /**
   * One connection's requests, latencies and errors since its last {@link #flush}, in plain longs:
   * counting a request costs an increment, and the shared metrics see a read batch's counts in one
   * flush (see {@link RequestLatencyHistogram}). Confined to the connection's event loop.
   */
  final class Tally {
    private final long[] requests = new long[OPCODES.length];
    private final long[] latencyCounts = new long[OPCODES.length * latency.buckets()];
    private final long[] latencySumNanos = new long[OPCODES.length];
    private final long[] errors = new long[STATUSES.length];

    /** Bit {@code ordinal} set: that opcode has counts to flush. */
    private long touched;

    private boolean anyError;

    /** The last latency counted and its bucket. */
    private long lastLatencyNs = -1;

    private int lastBucket;

    private Tally() {}

    void request(TauOpcode opcode) {
      requests[opcode.ordinal()]++;
      touched |= 1L << opcode.ordinal();
    }

    void replied(TauOpcode opcode, long latencyNs) {
      int o = opcode.ordinal();
      // The replies to one read, written together, share their latency: one bucket search for them.
      if (latencyNs != lastLatencyNs) {
        lastLatencyNs = latencyNs;
        lastBucket = latency.bucket(latencyNs);
      }
      latencyCounts[o * latency.buckets() + lastBucket]++;
      latencySumNanos[o] += latencyNs;
      touched |= 1L << o;
    }

    void error(TauStatus status) {
      errors[status.ordinal()]++;
      anyError = true;
    }

    /** Adds everything counted since the last flush to the shared metrics. */
    void flush() {
      int buckets = latency.buckets();
      for (long left = touched; left != 0; left &= left - 1) {
        int o = Long.numberOfTrailingZeros(left);
        if (requests[o] != 0) {
          requestsByOpcode[o].inc(requests[o]);
          requests[o] = 0;
        }
        latency.add(OPCODES[o], latencyCounts, o * buckets, latencySumNanos[o]);
        Arrays.fill(latencyCounts, o * buckets, (o + 1) * buckets, 0);
        latencySumNanos[o] = 0;
      }
      touched = 0;
      if (anyError) {
        for (int e = 0; e < errors.length; e++) {
          if (errors[e] != 0) {
            errorsByStatus[e].inc(errors[e]);
            errors[e] = 0;
          }
        }
        anyError = false;
      }
    }
  }

  void authFailed() {
    authFailures.inc();
  }

  @Override
  public void walForced(long nanos, int records, long bytes) {
    walFsyncSeconds.observe(nanos / 1e9);
    walGroupSize.observe(records);
  }

  @Override
  public void busy() {
    engineBusy.inc();
  }

  @Override
  public void accepted(Channel channel) {
    connectionsActive.inc();
    connectionsTotal.inc();
  }

  @Override
  public void refused(Channel channel) {
    connectionsRefused.inc();
  }

  @Override
  public void idleTimedOut(Channel channel) {
    connectionsIdleClosed.inc();
  }

  @Override
  public void closed(Channel channel) {
    connectionsActive.dec();
  }
}
