package io.tokenworks.latzero.server;

import io.tokenworks.latzero.Names;
import io.tokenworks.latzero.memory.BlockManagerConfig;
import io.tokenworks.protocol.latzero.LatZeroFrameDescriptor;
import io.tokenworks.protocol.latzero.block.SharedBlockDescriptor;
import io.tokenworks.server.kit.Config;
import io.tokenworks.server.kit.ConfigKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The settings of a {@link LatZeroServer}. Build one fluently with {@link #builder()} (tests,
 * embedding) or from resolved {@link Config} with {@link #from(Config)} (the command line, where
 * each setting comes from {@code --name}, {@code LATZERO_NAME}, the config file or its default).
 *
 * @param port the protocol port (0 picks a free one)
 * @param host the address to listen on
 * @param dataDirectory the fabric's database and backups, the pid file and the admin token
 * @param logLevel the level of the {@code io.tokenworks} loggers (applied by the command)
 * @param enableTls whether the listener speaks TLS, with {@code tlsCertificate} and {@code tlsKey}
 * @param tlsCertificate a PEM certificate chain, leaf first; required with TLS
 * @param tlsKey the leaf's unencrypted PKCS#8 PEM key; required with TLS
 * @param maxFrameBytes the largest frame body accepted and sent, at most 16 MiB
 * @param metricsPort the port of {@code /metrics} and {@code /health}; 0 = off, {@link
 *     #EPHEMERAL_METRICS_PORT} picks a free one (embedding and tests only)
 * @param metricsHost the address of the metrics endpoint
 * @param memoryDirectory where block files live; {@code null} means the fabric's default, {@code
 *     /dev/shm/latzero} where {@code /dev/shm} exists (Linux), else {@code <data-dir>/memory}
 * @param maxBlockSize the largest shared-memory block in bytes
 * @param adminApps app ids that administer the fabric (list apps, status, shutdown, any pool)
 * @param autoCreatePools whether a handshake naming an unknown pool creates it
 * @param maxConnections connections beyond this are refused
 * @param idleTimeout close a connection that sends nothing this long; zero = never (handler apps
 *     legitimately wait for calls, so this is off by default)
 * @param outboundQueueBytes per connection, bytes queued for the socket beyond which calls to it
 *     are refused (OVERLOADED) and pushes to it close it (SERVER_BUSY)
 * @param maxOutstandingCalls per session, calls without an outcome yet; one more is OVERLOADED
 * @param ioThreads network threads; 0 = one per two CPUs, at least one (calls cross connections,
 *     and a call between connections of one event loop needs no hand-off: on 2 CPUs one loop
 *     carried 62-75K calls/s against 43-48K for Netty's default of four)
 */
public record LatZeroServerConfig(
    int port,
    String host,
    Path dataDirectory,
    String logLevel,
    boolean enableTls,
    Path tlsCertificate,
    Path tlsKey,
    int maxFrameBytes,
    int metricsPort,
    String metricsHost,
    Path memoryDirectory,
    int maxBlockSize,
    List<String> adminApps,
    boolean autoCreatePools,
    int maxConnections,
    Duration idleTimeout,
    int outboundQueueBytes,
    int maxOutstandingCalls,
    int ioThreads) {

  /** The environment-variable prefix: {@code LATZERO_PORT}, {@code LATZERO_DATA_DIR}, ... */
  public static final String ENVIRONMENT_PREFIX = "LATZERO";

  /** A metrics port that asks for any free port (the CLI accepts only 0..65535). */
  public static final int EPHEMERAL_METRICS_PORT = -1;

  static final List<String> LOG_LEVELS = List.of("trace", "debug", "info", "warn", "error", "off");

  public static final ConfigKey<Integer> PORT =
      ConfigKey.integer("port", 45227, 0, 65535, "TCP port of the LatZero protocol");
  public static final ConfigKey<String> HOST =
      ConfigKey.string("host", "127.0.0.1", "address to listen on");
  public static final ConfigKey<Path> DATA_DIR =
      ConfigKey.of("data-dir", Path.of("latzero-data"), Path::of, "database, pid file, token");
  public static final ConfigKey<String> LOG_LEVEL =
      ConfigKey.of("log-level", "info", LatZeroServerConfig::parseLogLevel, "trace..error, off");
  public static final ConfigKey<Boolean> ENABLE_TLS =
      ConfigKey.of("enable-tls", false, LatZeroServerConfig::parseBoolean, "TLS on the listener");
  public static final ConfigKey<Path> TLS_CERT =
      ConfigKey.of("tls-cert", null, Path::of, "PEM certificate chain for TLS");
  public static final ConfigKey<Path> TLS_KEY =
      ConfigKey.of("tls-key", null, Path::of, "PEM PKCS#8 private key for TLS");
  public static final ConfigKey<Integer> MAX_FRAME =
      ConfigKey.integer(
          "max-frame",
          LatZeroFrameDescriptor.DEFAULT_MAX_FRAME_LENGTH,
          64,
          LatZeroFrameDescriptor.DEFAULT_MAX_FRAME_LENGTH,
          "largest frame body in bytes");
  public static final ConfigKey<Integer> METRICS_PORT =
      ConfigKey.integer("metrics-port", 45228, 0, 65535, "HTTP /metrics and /health; 0 = off");
  public static final ConfigKey<String> METRICS_HOST =
      ConfigKey.string("metrics-host", "127.0.0.1", "address of the metrics endpoint");
  public static final ConfigKey<Path> MEMORY_DIR =
      ConfigKey.of(
          "memory-dir", null, Path::of, "block files (default /dev/shm/latzero or data/memory)");
  public static final ConfigKey<Integer> MAX_BLOCK_SIZE =
      ConfigKey.integer(
          "max-block-size",
          BlockManagerConfig.DEFAULT_MAX_BLOCK_SIZE,
          1,
          SharedBlockDescriptor.MAX_DATA_SIZE,
          "largest shared-memory block in bytes");
  public static final ConfigKey<List<String>> ADMIN_APPS =
      ConfigKey.<List<String>>of(
              "admin-apps", List.of(), LatZeroServerConfig::parseAppIds, "comma-separated")
          .printedAs(apps -> apps.isEmpty() ? "(none)" : String.join(",", apps));
  public static final ConfigKey<Boolean> AUTO_CREATE_POOLS =
      ConfigKey.of(
          "auto-create-pools",
          true,
          LatZeroServerConfig::parseBoolean,
          "a handshake naming an unknown pool creates it");
  public static final ConfigKey<Integer> MAX_CONNECTIONS =
      ConfigKey.integer("max-connections", 1024, 1, 1_000_000, "connections beyond are refused");
  public static final ConfigKey<Duration> IDLE_TIMEOUT =
      ConfigKey.duration("idle-timeout", Duration.ZERO, "close a silent connection; 0 = never");
  public static final ConfigKey<Integer> OUTBOUND_QUEUE =
      ConfigKey.integer(
          "outbound-queue-bytes",
          16 * 1024 * 1024,
          4096,
          Integer.MAX_VALUE,
          "per connection, queued bytes beyond which calls to it are refused");
  public static final ConfigKey<Integer> MAX_OUTSTANDING_CALLS =
      ConfigKey.integer(
          "max-outstanding-calls", 1024, 1, 1 << 20, "per session, calls awaiting an outcome");
  public static final ConfigKey<Integer> IO_THREADS =
      ConfigKey.integer("io-threads", 0, 0, 1024, "network threads; 0 = one per 2 CPUs");

  /** Every key, in the order they are printed at startup. */
  public static final List<ConfigKey<?>> KEYS =
      List.of(
          PORT,
          HOST,
          DATA_DIR,
          LOG_LEVEL,
          ENABLE_TLS,
          TLS_CERT,
          TLS_KEY,
          MAX_FRAME,
          METRICS_PORT,
          METRICS_HOST,
          MEMORY_DIR,
          MAX_BLOCK_SIZE,
          ADMIN_APPS,
          AUTO_CREATE_POOLS,
          MAX_CONNECTIONS,
          IDLE_TIMEOUT,
          OUTBOUND_QUEUE,
          MAX_OUTSTANDING_CALLS,
          IO_THREADS);

  /**
   * Checks every setting.
   *
   * @throws IllegalArgumentException naming the first bad setting as {@code name=value}
   */
  public LatZeroServerConfig {
    require(port >= 0 && port <= 65535, "port", port, "0..65535");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    logLevel = parseLogLevel(Objects.requireNonNull(logLevel, "logLevel"));
    if (enableTls && (tlsCertificate == null || tlsKey == null)) {
      throw new IllegalArgumentException(
          "enable-tls=true needs tls-cert and tls-key (PEM files); set --tls-cert and --tls-key");
    }
    require(
        maxFrameBytes >= 64 && maxFrameBytes <= LatZeroFrameDescriptor.DEFAULT_MAX_FRAME_LENGTH,
        "maxFrameBytes",
        maxFrameBytes,
        "64.." + LatZeroFrameDescriptor.DEFAULT_MAX_FRAME_LENGTH);
    require(
        metricsPort >= EPHEMERAL_METRICS_PORT && metricsPort <= 65535,
        "metricsPort",
        metricsPort,
        "-1..65535");
    Objects.requireNonNull(metricsHost, "metricsHost");
    require(
        maxBlockSize >= 1 && maxBlockSize <= SharedBlockDescriptor.MAX_DATA_SIZE,
        "maxBlockSize",
        maxBlockSize,
        "1.." + SharedBlockDescriptor.MAX_DATA_SIZE);
    adminApps = List.copyOf(adminApps);
    for (String app : adminApps) {
      require(Names.isValidAppId(app), "adminApps entry", app, "an app id");
    }
    require(maxConnections >= 1, "maxConnections", maxConnections, ">= 1");
    require(!idleTimeout.isNegative(), "idleTimeout", idleTimeout, ">= 0");
    require(outboundQueueBytes >= 4096, "outboundQueueBytes", outboundQueueBytes, ">= 4096");
    require(maxOutstandingCalls >= 1, "maxOutstandingCalls", maxOutstandingCalls, ">= 1");
    require(ioThreads >= 0, "ioThreads", ioThreads, ">= 0");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The settings a resolved {@link Config} (declared with {@link #KEYS}) holds. */
  public static LatZeroServerConfig from(Config config) {
    return new LatZeroServerConfig(
        config.get(PORT),
        config.get(HOST),
        config.get(DATA_DIR),
        config.get(LOG_LEVEL),
        config.get(ENABLE_TLS),
        config.get(TLS_CERT),
        config.get(TLS_KEY),
        config.get(MAX_FRAME),
        config.get(METRICS_PORT),
        config.get(METRICS_HOST),
        config.get(MEMORY_DIR),
        config.get(MAX_BLOCK_SIZE),
        config.get(ADMIN_APPS),
        config.get(AUTO_CREATE_POOLS),
        config.get(MAX_CONNECTIONS),
        config.get(IDLE_TIMEOUT),
        config.get(OUTBOUND_QUEUE),
        config.get(MAX_OUTSTANDING_CALLS),
        config.get(IO_THREADS));
  }

  /** Whether the metrics endpoint runs. */
  public boolean metricsEnabled() {
    return metricsPort != 0;
  }

  static String parseLogLevel(String value) {
    String level = value.trim().toLowerCase(Locale.ROOT);
    if (!LOG_LEVELS.contains(level)) {
      throw new IllegalArgumentException("must be one of " + String.join(", ", LOG_LEVELS));
    }
    return level;
  }

  static Boolean parseBoolean(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }

  static List<String> parseAppIds(String value) {
    List<String> apps = new ArrayList<>();
    for (String part : value.split(",")) {
      String app = part.trim();
      if (app.isEmpty()) {
        continue;
      }
      if (!Names.isValidAppId(app)) {
        throw new IllegalArgumentException(
            "entry " + app + " is not an app id (1-128 of A-Z a-z 0-9 . _ -)");
      }
      apps.add(app);
    }
    return List.copyOf(apps);
  }

  private static void require(boolean ok, String name, Object value, String range) {
    if (!ok) {
      throw new IllegalArgumentException(name + "=" + value + " must be " + range);
    }
  }

  /** Fluent settings; every one starts at its {@link ConfigKey} default. */
  public static final class Builder {
    private int port = PORT.defaultValue();
    private String host = HOST.defaultValue();
    private Path dataDirectory = DATA_DIR.defaultValue();
    private String logLevel = LOG_LEVEL.defaultValue();
    private boolean enableTls = ENABLE_TLS.defaultValue();
    private Path tlsCertificate;
    private Path tlsKey;
    private int maxFrameBytes = MAX_FRAME.defaultValue();
    private int metricsPort = METRICS_PORT.defaultValue();
    private String metricsHost = METRICS_HOST.defaultValue();
    private Path memoryDirectory;
    private int maxBlockSize = MAX_BLOCK_SIZE.defaultValue();
    private List<String> adminApps = List.of();
    private boolean autoCreatePools = AUTO_CREATE_POOLS.defaultValue();
    private int maxConnections = MAX_CONNECTIONS.defaultValue();
    private Duration idleTimeout = IDLE_TIMEOUT.defaultValue();
    private int outboundQueueBytes = OUTBOUND_QUEUE.defaultValue();
    private int maxOutstandingCalls = MAX_OUTSTANDING_CALLS.defaultValue();
    private int ioThreads = IO_THREADS.defaultValue();

    private Builder() {}

    public Builder port(int value) {
      this.port = value;
      return this;
    }

    public Builder host(String value) {
      this.host = value;
      return this;
    }

    public Builder dataDirectory(Path value) {
      this.dataDirectory = value;
      return this;
    }

    public Builder logLevel(String value) {
      this.logLevel = value;
      return this;
    }

    /** Turns TLS on with a PEM certificate chain and its PKCS#8 key. */
    public Builder tls(Path certificateChainPem, Path privateKeyPem) {
      this.enableTls = true;
      this.tlsCertificate = certificateChainPem;
      this.tlsKey = privateKeyPem;
      return this;
    }

    public Builder maxFrameBytes(int value) {
      this.maxFrameBytes = value;
      return this;
    }

    public Builder metricsPort(int value) {
      this.metricsPort = value;
      return this;
    }

    public Builder metricsHost(String value) {
      this.metricsHost = value;
      return this;
    }

    public Builder memoryDirectory(Path value) {
      this.memoryDirectory = value;
      return this;
    }

    public Builder maxBlockSize(int value) {
      this.maxBlockSize = value;
      return this;
    }

    public Builder adminApps(String... appIds) {
      this.adminApps = List.of(appIds);
      return this;
    }

    public Builder autoCreatePools(boolean value) {
      this.autoCreatePools = value;
      return this;
    }

    public Builder maxConnections(int value) {
      this.maxConnections = value;
      return this;
    }

    public Builder idleTimeout(Duration value) {
      this.idleTimeout = value;
      return this;
    }

    public Builder outboundQueueBytes(int value) {
      this.outboundQueueBytes = value;
      return this;
    }

    public Builder maxOutstandingCalls(int value) {
      this.maxOutstandingCalls = value;
      return this;
    }

    public Builder ioThreads(int value) {
      this.ioThreads = value;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first bad setting as {@code name=value}
     */
    public LatZeroServerConfig build() {
      return new LatZeroServerConfig(
          port,
          host,
          dataDirectory,
          logLevel,
          enableTls,
          tlsCertificate,
          tlsKey,
          maxFrameBytes,
          metricsPort,
          metricsHost,
          memoryDirectory,
          maxBlockSize,
          adminApps,
          autoCreatePools,
          maxConnections,
          idleTimeout,
          outboundQueueBytes,
          maxOutstandingCalls,
          ioThreads);
    }
  }
}
