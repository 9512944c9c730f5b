package io.tokenworks.tau.server;

import io.tokenworks.protocol.tau.TauFrameDescriptor;
import io.tokenworks.server.kit.Config;
import io.tokenworks.server.kit.ConfigKey;
import io.tokenworks.tau.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The settings of a {@link TauServer}. Build one fluently with {@link #builder()} (tests,
 * embedding) or from resolved {@link Config} with {@link #from(Config)} (the command line, where
 * each setting comes from {@code --name}, {@code TAU_NAME}, the config file or its default).
 */
public final class TauServerConfig {

  /** The development certificate upstream compiles in: bytes 0x00..0x1F. */
  public static final byte[] DEFAULT_CERTIFICATE = defaultCertificate();

  /** The environment-variable prefix: {@code TAU_PORT}, {@code TAU_DATA_DIR}, ... */
  public static final String ENVIRONMENT_PREFIX = "TAU";

  public static final ConfigKey<Integer> PORT =
      ConfigKey.integer("port", 7701, 0, 65535, "TCP port of the TAU protocol");
  public static final ConfigKey<String> BIND =
      ConfigKey.string("bind", "127.0.0.1", "address to listen on");
  public static final ConfigKey<byte[]> CERTIFICATE =
      ConfigKey.of(
              "certificate",
              DEFAULT_CERTIFICATE,
              TauServerConfig::parseCertificate,
              "32-byte pre-shared certificate as 64 hex characters")
          .printedAs(TauServerConfig::describeCertificate);
  public static final ConfigKey<Path> DATA_DIR =
      ConfigKey.of("data-dir", Path.of("tau-data"), Path::of, "data directory");
  public static final ConfigKey<FsyncPolicy> FSYNC =
      ConfigKey.enumeration(
          "fsync", FsyncPolicy.class, FsyncPolicy.ALWAYS, "WAL fsync policy: always, batch, none");
  public static final ConfigKey<Duration> FSYNC_INTERVAL =
      ConfigKey.duration(
          "fsync-interval",
          Duration.ofMillis(10),
          "with fsync batch: the longest an acknowledged write waits for its force");
  public static final ConfigKey<Integer> MAX_CONNECTIONS =
      ConfigKey.integer("max-connections", 1024, 1, 1_000_000, "connections beyond are refused");
  public static final ConfigKey<Duration> IDLE_TIMEOUT =
      ConfigKey.duration(
          "idle-timeout", Duration.ofSeconds(30), "close a connection silent this long; 0 = never");
  public static final ConfigKey<Integer> MAX_PAYLOAD =
      ConfigKey.integer(
          "max-payload",
          1024 * 1024,
          TauFrameDescriptor.THREE_LABEL_PAYLOAD_LENGTH,
          TauFrameDescriptor.MAX_PAYLOAD_LENGTH,
          "largest request payload in bytes");
  public static final ConfigKey<Integer> AUTH_ATTEMPTS =
      ConfigKey.integer(
          "auth-attempts", 3, 1, 1_000_000, "failed CONNECTs per client address before lockout");
  public static final ConfigKey<Duration> AUTH_LOCKOUT =
      ConfigKey.duration(
          "auth-lockout", Duration.ofSeconds(60), "how long a locked-out address is refused");
  public static final ConfigKey<Integer> MAX_IN_FLIGHT =
      ConfigKey.integer(
          "max-in-flight",
          1024,
          1,
          1 << 20,
          "pipelined requests per connection before reading pauses; at most the engine's mailbox"
              + " capacity (1024), one connection alone never fills a series mailbox (BUSY)");
  public static final ConfigKey<Integer> METRICS_PORT =
      ConfigKey.integer("metrics-port", 7702, 0, 65535, "HTTP port of /metrics and /health");
  public static final ConfigKey<String> METRICS_BIND =
      ConfigKey.string("metrics-bind", "127.0.0.1", "address of the metrics endpoint");
  public static final ConfigKey<Integer> WORKER_THREADS =
      ConfigKey.integer(
          "worker-threads",
          Runtime.getRuntime().availableProcessors(),
          1,
          1024,
          "engine threads running the series actors");
  public static final ConfigKey<Integer> IO_THREADS =
      ConfigKey.integer("io-threads", 0, 0, 1024, "network threads; 0 = 2 x CPUs");

  /** Every key, in the order they are printed at startup. */
  public static final List<ConfigKey<?>> KEYS =
      List.of(
          PORT,
          BIND,
          CERTIFICATE,
          DATA_DIR,
          FSYNC,
          FSYNC_INTERVAL,
          MAX_CONNECTIONS,
          IDLE_TIMEOUT,
          MAX_PAYLOAD,
          AUTH_ATTEMPTS,
          AUTH_LOCKOUT,
          MAX_IN_FLIGHT,
          METRICS_PORT,
          METRICS_BIND,
          WORKER_THREADS,
          IO_THREADS);

  private final int port;
  private final String bind;
  private final byte[] certificate;
  private final Path dataDirectory;
  private final FsyncPolicy fsyncPolicy;
  private final int maxConnections;
  private final Duration idleTimeout;
  private final Duration fsyncInterval;
  private final int maxPayload;
  private final int authAttempts;
  private final Duration authLockout;
  private final int maxInFlight;
  private final int metricsPort;
  private final String metricsBind;
  private final int workerThreads;
  private final int ioThreads;

  private TauServerConfig(Builder b) {
    this.port = b.port;
    this.bind = b.bind;
    this.certificate = b.certificate.clone();
    this.dataDirectory = b.dataDirectory;
    this.fsyncPolicy = b.fsyncPolicy;
    this.maxConnections = b.maxConnections;
    this.idleTimeout = b.idleTimeout;
    this.fsyncInterval = b.fsyncInterval;
    this.maxPayload = b.maxPayload;
    this.authAttempts = b.authAttempts;
    this.authLockout = b.authLockout;
    this.maxInFlight = b.maxInFlight;
    this.metricsPort = b.metricsPort;
    this.metricsBind = b.metricsBind;
    this.workerThreads = b.workerThreads;
    this.ioThreads = b.ioThreads;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The settings a resolved {@link Config} (declared with {@link #KEYS}) holds. */
  public static TauServerConfig from(Config config) {
    return builder()
        .port(config.get(PORT))
        .bind(config.get(BIND))
        .certificate(config.get(CERTIFICATE))
        .dataDirectory(config.get(DATA_DIR))
        .fsyncPolicy(config.get(FSYNC))
        .maxConnections(config.get(MAX_CONNECTIONS))
        .idleTimeout(config.get(IDLE_TIMEOUT))
        .fsyncInterval(config.get(FSYNC_INTERVAL))
        .maxPayload(config.get(MAX_PAYLOAD))
        .authAttempts(config.get(AUTH_ATTEMPTS))
        .authLockout(config.get(AUTH_LOCKOUT))
        .maxInFlight(config.get(MAX_IN_FLIGHT))
        .metricsPort(config.get(METRICS_PORT))
        .metricsBind(config.get(METRICS_BIND))
        .workerThreads(config.get(WORKER_THREADS))
        .ioThreads(config.get(IO_THREADS))
        .build();
  }

  public int port() {
    return port;
  }

  public String bind() {
    return bind;
  }

  /** A copy of the 32-byte certificate. */
  public byte[] certificate() {
    return certificate.clone();
  }

  /** Whether the certificate is the public development default. */
  public boolean usesDefaultCertificate() {
    return Arrays.equals(certificate, DEFAULT_CERTIFICATE);
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  public FsyncPolicy fsyncPolicy() {
    return fsyncPolicy;
  }

  public int maxConnections() {
    return maxConnections;
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** Under fsync batch, how long a write may wait for its force. */
  public Duration fsyncInterval() {
    return fsyncInterval;
  }

  public int maxPayload() {
    return maxPayload;
  }

  public int authAttempts() {
    return authAttempts;
  }

  public Duration authLockout() {
    return authLockout;
  }

  public int maxInFlight() {
    return maxInFlight;
  }

  public int metricsPort() {
    return metricsPort;
  }

  public String metricsBind() {
    return metricsBind;
  }

  public int workerThreads() {
    return workerThreads;
  }

  public int ioThreads() {
    return ioThreads;
  }

  static byte[] parseCertificate(String hex) {
    String trimmed = hex.trim();
    if (trimmed.length() != 2 * TauFrameDescriptor.CERTIFICATE_LENGTH) {
      throw new IllegalArgumentException(
          "must be 64 hex characters (32 bytes), got " + trimmed.length() + " characters");
    }
    try {
      return HexFormat.of().parseHex(trimmed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("must be 64 hex characters (0-9, a-f)");
    }
  }

  /** Never prints the certificate itself: only whether it is the development default. */
  static String describeCertificate(byte[] certificate) {
    return Arrays.equals(certificate, DEFAULT_CERTIFICATE)
        ? "<default development certificate 00..1f>"
        : "<custom, 32 bytes, not shown>";
  }

  private static byte[] defaultCertificate() {
    byte[] certificate = new byte[TauFrameDescriptor.CERTIFICATE_LENGTH];
    for (int i = 0; i < certificate.length; i++) {
      certificate[i] = (byte) i;
    }
    return certificate;
  }

  /** Fluent settings; every one starts at its {@link ConfigKey} default. */
  public static final class Builder {
    private int port = PORT.defaultValue();
    private String bind = BIND.defaultValue();
    private byte[] certificate = DEFAULT_CERTIFICATE;
    private Path dataDirectory = DATA_DIR.defaultValue();
    private FsyncPolicy fsyncPolicy = FSYNC.defaultValue();
    private int maxConnections = MAX_CONNECTIONS.defaultValue();
    private Duration idleTimeout = IDLE_TIMEOUT.defaultValue();
    private Duration fsyncInterval = FSYNC_INTERVAL.defaultValue();
    private int maxPayload = MAX_PAYLOAD.defaultValue();
    private int authAttempts = AUTH_ATTEMPTS.defaultValue();
    private Duration authLockout = AUTH_LOCKOUT.defaultValue();
    private int maxInFlight = MAX_IN_FLIGHT.defaultValue();
    private int metricsPort = METRICS_PORT.defaultValue();
    private String metricsBind = METRICS_BIND.defaultValue();
    private int workerThreads = WORKER_THREADS.defaultValue();
    private int ioThreads = IO_THREADS.defaultValue();

    private Builder() {}

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder bind(String bind) {
      this.bind = Objects.requireNonNull(bind, "bind");
      return this;
    }

    public Builder certificate(byte[] certificate) {
      if (certificate.length != TauFrameDescriptor.CERTIFICATE_LENGTH) {
        throw new IllegalArgumentException(
            "certificate length=" + certificate.length + " must be 32 bytes");
      }
      this.certificate = certificate.clone();
      return this;
    }

    public Builder dataDirectory(Path dataDirectory) {
      this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
      return this;
    }

    public Builder fsyncPolicy(FsyncPolicy policy) {
      this.fsyncPolicy = Objects.requireNonNull(policy, "fsyncPolicy");
      return this;
    }

    public Builder maxConnections(int max) {
      this.maxConnections = max;
      return this;
    }

    public Builder fsyncInterval(Duration interval) {
      this.fsyncInterval = Objects.requireNonNull(interval, "fsyncInterval");
      return this;
    }

    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = Objects.requireNonNull(timeout, "idleTimeout");
      return this;
    }

    public Builder maxPayload(int bytes) {
      this.maxPayload = bytes;
      return this;
    }

    public Builder authAttempts(int attempts) {
      this.authAttempts = attempts;
      return this;
    }

    public Builder authLockout(Duration lockout) {
      this.authLockout = Objects.requireNonNull(lockout, "authLockout");
      return this;
    }

    public Builder maxInFlight(int requests) {
      this.maxInFlight = requests;
      return this;
    }

    public Builder metricsPort(int port) {
      this.metricsPort = port;
      return this;
    }

    public Builder metricsBind(String bind) {
      this.metricsBind = Objects.requireNonNull(bind, "metricsBind");
      return this;
    }

    public Builder workerThreads(int threads) {
      this.workerThreads = threads;
      return this;
    }

    public Builder ioThreads(int threads) {
      this.ioThreads = threads;
      return this;
    }

    /**
     * Validates every setting.
     *
     * @throws IllegalArgumentException naming the first bad setting as {@code name=value}
     */
    public TauServerConfig build() {
      require(port >= 0 && port <= 65535, "port", port, "0..65535");
      require(metricsPort >= 0 && metricsPort <= 65535, "metricsPort", metricsPort, "0..65535");
      require(maxConnections >= 1, "maxConnections", maxConnections, ">= 1");
      require(!idleTimeout.isNegative(), "idleTimeout", idleTimeout, ">= 0");
      require(
          !fsyncInterval.isNegative() && !fsyncInterval.isZero(),
          "fsync-interval",
          fsyncInterval,
          "> 0");
      require(
          maxPayload >= TauFrameDescriptor.THREE_LABEL_PAYLOAD_LENGTH
              && maxPayload <= TauFrameDescriptor.MAX_PAYLOAD_LENGTH,
          "maxPayload",
          maxPayload,
          "96.." + TauFrameDescriptor.MAX_PAYLOAD_LENGTH);
      require(authAttempts >= 1, "authAttempts", authAttempts, ">= 1");
      require(!authLockout.isNegative(), "authLockout", authLockout, ">= 0");
      require(maxInFlight >= 1, "maxInFlight", maxInFlight, ">= 1");
      require(workerThreads >= 1, "workerThreads", workerThreads, ">= 1");
      require(ioThreads >= 0, "ioThreads", ioThreads, ">= 0");
      return new TauServerConfig(this);
    }

    private static void require(boolean ok, String name, Object value, String range) {
      if (!ok) {
        throw new IllegalArgumentException(name + "=" + value + " must be " + range);
      }
    }
  }
}
