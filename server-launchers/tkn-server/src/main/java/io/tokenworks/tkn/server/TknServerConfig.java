package io.tokenworks.tkn.server;

import io.tokenworks.server.kit.Config;
import io.tokenworks.server.kit.ConfigKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The settings of a {@link TknServer}, resolved from {@link Config} (command line, then the
 * environment, then the config file, then the default). Environment names follow the seed README
 * where it has them: {@code TKN_PORT}, {@code METRICS_PORT}, {@code MEMGRAPH_URI}, {@code
 * MEMGRAPH_USER}, {@code MEMGRAPH_PASS}, {@code MEMGRAPH_DB_NAME} (with {@code NEO4J_*} aliases);
 * every other setting is {@code TKN_} plus its name.
 */
public record TknServerConfig(
    int port,
    String bind,
    Path dataDirectory,
    GraphMode graph,
    String graphUri,
    String graphUser,
    String graphPassword,
    String graphDatabase,
    int boltPort,
    int maxConnections,
    Duration idleTimeout,
    int maxFrame,
    int bankSize,
    int maxWindow,
    int symbolCapacity,
    int batchPairs,
    Duration batchDelay,
    int queueTokens,
    int writerThreads,
    int credit,
    String defaultTenant,
    String authToken,
    int metricsPort,
    String metricsBind,
    int ioThreads) {

  /** Where mined tokens go. */
  public enum GraphMode {
    /** {@link #BOLT} when a graph URI is configured, else {@link #EMBEDDED}. */
    AUTO,
    /** A Neo4j started inside the server, stored under the data directory. */
    EMBEDDED,
    /** An external Neo4j or Memgraph over Bolt ({@code MEMGRAPH_URI} or {@code NEO4J_URI}). */
    BOLT,
    /** Tokens are counted and discarded (benchmarks, mining without storage). */
    NONE
  }

  public static final String ENVIRONMENT_PREFIX = "TKN";

  public static final ConfigKey<Integer> PORT =
      ConfigKey.integer("port", 8080, 0, 65535, "TCP and WebSocket port of the TKN protocol");
  public static final ConfigKey<String> BIND =
      ConfigKey.string("bind", "127.0.0.1", "address to listen on");
  public static final ConfigKey<Path> DATA_DIR =
      ConfigKey.of("data-dir", Path.of("tkn-data"), Path::of, "data directory (embedded graph)");
  public static final ConfigKey<GraphMode> GRAPH =
      ConfigKey.enumeration(
          "graph",
          GraphMode.class,
          GraphMode.AUTO,
          "auto, embedded, bolt or none (auto: bolt when graph-uri is set, else embedded)");
  public static final ConfigKey<String> GRAPH_URI =
      ConfigKey.string("graph-uri", "", "Bolt URI of Neo4j or Memgraph")
          .environment("MEMGRAPH_URI", "NEO4J_URI", "TKN_GRAPH_URI");
  public static final ConfigKey<String> GRAPH_USER =
      ConfigKey.string("graph-user", "", "graph database user")
          .environment("MEMGRAPH_USER", "NEO4J_USER", "NEO4J_USERNAME", "TKN_GRAPH_USER");
  public static final ConfigKey<String> GRAPH_PASSWORD =
      ConfigKey.string("graph-password", "", "graph database password")
          .environment("MEMGRAPH_PASS", "NEO4J_PASSWORD", "TKN_GRAPH_PASSWORD")
          .printedAs(value -> value.isEmpty() ? "(none)" : "(set, hidden)");
  public static final ConfigKey<String> GRAPH_DATABASE =
      ConfigKey.string("graph-database", "", "database name; empty = the server's default")
          .environment("MEMGRAPH_DB_NAME", "NEO4J_DATABASE", "TKN_GRAPH_DATABASE");
  public static final ConfigKey<Integer> BOLT_PORT =
      ConfigKey.integer(
          "bolt-port", 7687, 0, 65535, "Bolt port of the embedded graph on 127.0.0.1; 0 = any");
  public static final ConfigKey<Integer> MAX_CONNECTIONS =
      ConfigKey.integer("max-connections", 1024, 1, 1_000_000, "connections beyond are refused");
  public static final ConfigKey<Duration> IDLE_TIMEOUT =
      ConfigKey.duration(
          "idle-timeout", Duration.ofMinutes(5), "close a connection silent this long; 0 = never");
  public static final ConfigKey<Integer> MAX_FRAME =
      ConfigKey.integer(
          "max-frame",
          16 * 1024 * 1024,
          64,
          Integer.MAX_VALUE - 5,
          "largest frame payload in bytes (unsigned length, checked before buffering)");
  public static final ConfigKey<Integer> BANK_SIZE =
      ConfigKey.integer("bank-size", 1000, 1, 1 << 26, "windows the miner remembers (LRU)")
          .environment("TKN_BANK_SIZE", "BANK_SIZE");
  public static final ConfigKey<Integer> MAX_WINDOW =
      ConfigKey.integer("max-window", 0, 0, 1 << 20, "longest token; 0 = unbounded");
  public static final ConfigKey<Integer> SYMBOLS =
      ConfigKey.integer("symbols", 1 << 20, 256, 1 << 28, "distinct symbols per session");
  public static final ConfigKey<Integer> BATCH_PAIRS =
      ConfigKey.integer("batch-pairs", 1000, 1, 1_000_000, "token pairs per graph transaction");
  public static final ConfigKey<Duration> BATCH_DELAY =
      ConfigKey.duration(
          "batch-delay", Duration.ofMillis(100), "longest wait before a partial batch is written");
  public static final ConfigKey<Integer> QUEUE_TOKENS =
      ConfigKey.integer(
          "queue-tokens",
          100_000,
          2,
          1 << 26,
          "tokens queued per session for the graph before reading pauses");
  public static final ConfigKey<Integer> WRITER_THREADS =
      ConfigKey.integer("writer-threads", 2, 1, 256, "threads writing batches to the graph");
  public static final ConfigKey<Integer> CREDIT =
      ConfigKey.integer("credit", 64, 1, 1 << 20, "HELLO mode: data frames in flight per session");
  public static final ConfigKey<String> DEFAULT_TENANT =
      ConfigKey.of(
          "default-tenant",
          "default",
          TknServerConfig::parseTenant,
          "tenant of compatibility-mode sessions and of HELLOs naming none");
  public static final ConfigKey<String> AUTH_TOKEN =
      ConfigKey.string(
              "auth-token",
              "",
              "when set, HELLO must carry it and compatibility mode (no handshake) is refused")
          .printedAs(value -> value.isEmpty() ? "(none)" : "(set, hidden)");
  public static final ConfigKey<Integer> METRICS_PORT =
      ConfigKey.integer("metrics-port", 4000, 0, 65535, "HTTP port of /metrics and /health")
          .environment("METRICS_PORT", "TKN_METRICS_PORT");
  public static final ConfigKey<String> METRICS_BIND =
      ConfigKey.string("metrics-bind", "127.0.0.1", "address of the metrics endpoint");
  public static final ConfigKey<Integer> IO_THREADS =
      ConfigKey.integer("io-threads", 0, 0, 1024, "network threads; 0 = 2 x CPUs");

  /** Every key, in the order they are printed at startup. */
  public static final List<ConfigKey<?>> KEYS =
      List.of(
          PORT,
          BIND,
          DATA_DIR,
          GRAPH,
          GRAPH_URI,
          GRAPH_USER,
          GRAPH_PASSWORD,
          GRAPH_DATABASE,
          BOLT_PORT,
          MAX_CONNECTIONS,
          IDLE_TIMEOUT,
          MAX_FRAME,
          BANK_SIZE,
          MAX_WINDOW,
          SYMBOLS,
          BATCH_PAIRS,
          BATCH_DELAY,
          QUEUE_TOKENS,
          WRITER_THREADS,
          CREDIT,
          DEFAULT_TENANT,
          AUTH_TOKEN,
          METRICS_PORT,
          METRICS_BIND,
          IO_THREADS);

  /** Reads every key from resolved settings. */
  public static TknServerConfig from(Config config) {
    GraphMode graph = config.get(GRAPH);
    String uri = config.get(GRAPH_URI);
    if (graph == GraphMode.AUTO) {
      graph = uri.isBlank() ? GraphMode.EMBEDDED : GraphMode.BOLT;
    }
    if (graph == GraphMode.BOLT && uri.isBlank()) {
      throw new IllegalArgumentException(
          "graph=bolt needs graph-uri (MEMGRAPH_URI or NEO4J_URI, e.g. bolt://localhost:7687)");
    }
    return new TknServerConfig(
        config.get(PORT),
        config.get(BIND),
        config.get(DATA_DIR),
        graph,
        uri,
        config.get(GRAPH_USER),
        config.get(GRAPH_PASSWORD),
        config.get(GRAPH_DATABASE),
        config.get(BOLT_PORT),
        config.get(MAX_CONNECTIONS),
        config.get(IDLE_TIMEOUT),
        config.get(MAX_FRAME),
        config.get(BANK_SIZE),
        config.get(MAX_WINDOW),
        config.get(SYMBOLS),
        config.get(BATCH_PAIRS),
        config.get(BATCH_DELAY),
        config.get(QUEUE_TOKENS),
        config.get(WRITER_THREADS),
        config.get(CREDIT),
        config.get(DEFAULT_TENANT),
        config.get(AUTH_TOKEN),
        config.get(METRICS_PORT),
        config.get(METRICS_BIND),
        config.get(IO_THREADS));
  }

  /**
   * Settings from {@code values} (key name to value, as on the command line) over the defaults,
   * ignoring the process environment: for tests and embedding.
   */
  public static TknServerConfig of(Map<String, ?> values) {
    Config.Builder builder = Config.builder(ENVIRONMENT_PREFIX).keys(KEYS);
    for (Map.Entry<String, ?> entry : values.entrySet()) {
      ConfigKey<?> key =
          KEYS.stream()
              .filter(k -> k.name().equals(entry.getKey()))
              .findFirst()
              .orElseThrow(
                  () -> new IllegalArgumentException("unknown tkn setting " + entry.getKey()));
      builder.commandLine(key, entry.getValue());
    }
    return from(builder.resolve());
  }

  /** Tenants are graph property values, but we still keep them short and printable. */
  static String parseTenant(String value) {
    String tenant = value.trim();
    if (!tenant.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("must be 1..64 characters of A-Z a-z 0-9 . _ -");
    }
    return tenant;
  }
}
