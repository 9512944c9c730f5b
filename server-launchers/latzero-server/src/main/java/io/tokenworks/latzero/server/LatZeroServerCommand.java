package io.tokenworks.latzero.server;

import ch.qos.logback.classic.Level;
import io.tokenworks.server.kit.Config;
import io.tokenworks.server.kit.ServerCommand;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tokenworks latzero start}: runs the LatZero server until interrupted or until an admin
 * sends {@code shutdown}. Each setting comes from its option, else the environment ({@code
 * LATZERO_PORT}, {@code LATZERO_HOST}, {@code LATZERO_DATA_DIR}, {@code LATZERO_LOG_LEVEL}, {@code
 * LATZERO_ENABLE_TLS}, ...), else the config file ({@code --config} or {@code LATZERO_CONFIG},
 * {@code key=value} lines with the option names as keys), else its default. Every effective setting
 * is printed at startup. Bad settings and startup failures print one line and exit with 2
 * (configuration) or 1 (startup).
 */
@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description =
        "Run the LatZero process-fabric server (Gen-1 protocol, default 127.0.0.1:45227).")
public final class LatZeroServerCommand extends ServerCommand {

  @Option(names = "--config", paramLabel = "FILE", description = "config file (key=value lines)")
  Path configFile;

  @Option(
      names = {"-p", "--port"},
      paramLabel = "PORT",
      description = "protocol port (45227)")
  String port;

  @Option(names = "--host", paramLabel = "ADDRESS", description = "address (127.0.0.1)")
  String host;

  @Option(
      names = {"-d", "--data-dir"},
      paramLabel = "DIR",
      description = "data directory (./latzero-data)")
  String dataDir;

  @Option(names = "--log-level", paramLabel = "LEVEL", description = "trace..error, off (info)")
  String logLevel;

  @Option(
      names = {"--enable-tls", "--tls"},
      paramLabel = "BOOL",
      arity = "0..1",
      fallbackValue = "true",
      description = "TLS on the listener (needs --tls-cert and --tls-key)")
  String enableTls;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "certificate chain")
  String tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "PKCS#8 private key")
  String tlsKey;

  @Option(names = "--max-frame", paramLabel = "BYTES", description = "16777216")
  String maxFrame;

  @Option(names = "--metrics-port", paramLabel = "PORT", description = "45228; 0 = off")
  String metricsPort;

  @Option(names = "--metrics-host", paramLabel = "ADDRESS", description = "127.0.0.1")
  String metricsHost;

  @Option(names = "--memory-dir", paramLabel = "DIR", description = "block files")
  String memoryDir;

  @Option(names = "--max-block-size", paramLabel = "BYTES", description = "16777216")
  String maxBlockSize;

  @Option(names = "--admin-apps", paramLabel = "IDS", description = "comma-separated app ids")
  String adminApps;

  @Option(names = "--auto-create-pools", paramLabel = "BOOL", description = "true")
  String autoCreatePools;

  @Option(names = "--max-connections", paramLabel = "N", description = "1024")
  String maxConnections;

  @Option(names = "--idle-timeout", paramLabel = "DURATION", description = "0 = never")
  String idleTimeout;

  @Option(names = "--outbound-queue-bytes", paramLabel = "BYTES", description = "16777216")
  String outboundQueueBytes;

  @Option(names = "--max-outstanding-calls", paramLabel = "N", description = "per session, 1024")
  String maxOutstandingCalls;

  @Option(names = "--io-threads", paramLabel = "N", description = "0 = one per 2 CPUs")
  String ioThreads;

  private final Map<String, String> environment;
  private volatile LatZeroServer server;
  private LatZeroServerConfig config;

  /** A command reading the process environment. */
  public LatZeroServerCommand() {
    this(System.getenv());
  }

  /** A command reading {@code environment} instead of the process' (for tests). */
  public LatZeroServerCommand(Map<String, String> environment) {
    super("latzero");
    this.environment = Map.copyOf(environment);
  }

  @Override
  protected Config resolve() {
    Path file = configFile;
    if (file == null && environment.containsKey("LATZERO_CONFIG")) {
      file = Path.of(environment.get("LATZERO_CONFIG"));
    }
    return Config.builder(LatZeroServerConfig.ENVIRONMENT_PREFIX)
        .keys(LatZeroServerConfig.KEYS)
        .commandLine(LatZeroServerConfig.PORT, port)
        .commandLine(LatZeroServerConfig.HOST, host)
        .commandLine(LatZeroServerConfig.DATA_DIR, dataDir)
        .commandLine(LatZeroServerConfig.LOG_LEVEL, logLevel)
        .commandLine(LatZeroServerConfig.ENABLE_TLS, enableTls)
        .commandLine(LatZeroServerConfig.TLS_CERT, tlsCert)
        .commandLine(LatZeroServerConfig.TLS_KEY, tlsKey)
        .commandLine(LatZeroServerConfig.MAX_FRAME, maxFrame)
        .commandLine(LatZeroServerConfig.METRICS_PORT, metricsPort)
        .commandLine(LatZeroServerConfig.METRICS_HOST, metricsHost)
        .commandLine(LatZeroServerConfig.MEMORY_DIR, memoryDir)
        .commandLine(LatZeroServerConfig.MAX_BLOCK_SIZE, maxBlockSize)
        .commandLine(LatZeroServerConfig.ADMIN_APPS, adminApps)
        .commandLine(LatZeroServerConfig.AUTO_CREATE_POOLS, autoCreatePools)
        .commandLine(LatZeroServerConfig.MAX_CONNECTIONS, maxConnections)
        .commandLine(LatZeroServerConfig.IDLE_TIMEOUT, idleTimeout)
        .commandLine(LatZeroServerConfig.OUTBOUND_QUEUE, outboundQueueBytes)
        .commandLine(LatZeroServerConfig.MAX_OUTSTANDING_CALLS, maxOutstandingCalls)
        .commandLine(LatZeroServerConfig.IO_THREADS, ioThreads)
        .environment(environment)
        .file(file)
        .resolve();
  }

  @Override
  protected void configure(Config resolved) {
    config = LatZeroServerConfig.from(resolved);
    applyLogLevel(config.logLevel());
  }

  @Override
  protected String startServer() {
    LatZeroServer started = LatZeroServer.start(config);
    server = started;
    // An admin's shutdown stops the server from inside: let the command return too.
    started.terminationFuture().thenRun(this::stop);
    return String.format(
        "latzero: listening on %s%s, metrics %s, admin token %s",
        started.address(),
        config.enableTls() ? " (TLS)" : "",
        started.metricsPort() == 0
            ? "off"
            : "on http://" + config.metricsHost() + ":" + started.metricsPort() + "/metrics",
        started.adminTokenFile());
  }

  @Override
  protected void stopServer() {
    LatZeroServer running = server;
    if (running != null) {
      running.close();
    }
  }

  LatZeroServer server() {
    return server;
  }

  /** Sets the level of the {@code io.tokenworks} loggers when Logback is the SLF4J backend. */
  static void applyLogLevel(String level) {
    // LatZero's own loggers only: inside `tokenworks up` the other servers keep their level.
    if (LoggerFactory.getLogger("io.tokenworks.latzero")
        instanceof ch.qos.logback.classic.Logger logger) {
      logger.setLevel(Level.toLevel(level, Level.INFO));
    }
  }
}
