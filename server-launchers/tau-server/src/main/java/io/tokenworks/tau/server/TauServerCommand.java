package io.tokenworks.tau.server;

import io.tokenworks.server.kit.Config;
import io.tokenworks.server.kit.ServerCommand;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tokenworks tau}: runs the Tau server until interrupted. Each setting comes from its
 * option, else the environment ({@code TAU_PORT}, {@code TAU_DATA_DIR}, ...), else the config file
 * ({@code --config} or {@code TAU_CONFIG}, {@code key=value} lines with the option names as keys),
 * else its default. Every effective setting is printed at startup. Bad settings and startup
 * failures print one line and exit with 2 (configuration) or 1 (startup).
 */
@Command(
    name = "tau",
    mixinStandardHelpOptions = true,
    description = "Run the Tau temporal database server (TAU v1 protocol, default 127.0.0.1:7701).")
public final class TauServerCommand extends ServerCommand {

  @Option(names = "--config", paramLabel = "FILE", description = "config file (key=value lines)")
  Path configFile;

  @Option(names = "--port", paramLabel = "PORT", description = "TAU port (default 7701)")
  String port;

  @Option(names = "--bind", paramLabel = "ADDRESS", description = "address (default 127.0.0.1)")
  String bind;

  @Option(
      names = "--certificate",
      paramLabel = "HEX",
      description = "32-byte certificate, 64 hex characters (default: development 00..1f)")
  String certificate;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "data directory (./tau-data)")
  String dataDir;

  @Option(names = "--fsync", paramLabel = "POLICY", description = "always | batch | none")
  String fsync;

  @Option(
      names = "--fsync-interval",
      paramLabel = "DURATION",
      description = "with --fsync batch, the longest a write waits for its force (10ms)")
  String fsyncInterval;

  @Option(names = "--max-connections", paramLabel = "N", description = "default 1024")
  String maxConnections;

  @Option(names = "--idle-timeout", paramLabel = "DURATION", description = "e.g. 30s; 0 = never")
  String idleTimeout;

  @Option(names = "--max-payload", paramLabel = "BYTES", description = "default 1048576")
  String maxPayload;

  @Option(names = "--auth-attempts", paramLabel = "N", description = "default 3 per address")
  String authAttempts;

  @Option(names = "--auth-lockout", paramLabel = "DURATION", description = "default 60s")
  String authLockout;

  @Option(names = "--max-in-flight", paramLabel = "N", description = "per connection, 1024")
  String maxInFlight;

  @Option(names = "--metrics-port", paramLabel = "PORT", description = "default 7702")
  String metricsPort;

  @Option(names = "--metrics-bind", paramLabel = "ADDRESS", description = "default 127.0.0.1")
  String metricsBind;

  @Option(names = "--worker-threads", paramLabel = "N", description = "engine threads")
  String workerThreads;

  @Option(names = "--io-threads", paramLabel = "N", description = "network threads")
  String ioThreads;

  private final Map<String, String> environment;
  private volatile TauServer server;
  private TauServerConfig config;

  /** A command reading the process environment. */
  public TauServerCommand() {
    this(System.getenv());
  }

  /** A command reading {@code environment} instead of the process' (for tests). */
  public TauServerCommand(Map<String, String> environment) {
    super("tau");
    this.environment = Map.copyOf(environment);
  }

  @Override
  protected void configure(Config resolved) {
    config = TauServerConfig.from(resolved);
  }

  @Override
  protected String startServer() {
    server = TauServer.start(config);
    return String.format(
        "tau: listening on %s, metrics on http://%s:%d/metrics",
        server.address(), config.metricsBind(), server.metricsPort());
  }

  @Override
  protected void stopServer() {
    TauServer running = server;
    if (running != null) {
      running.close();
    }
  }

  TauServer server() {
    return server;
  }

  @Override
  protected Config resolve() {
    Path file = configFile;
    if (file == null && environment.containsKey("TAU_CONFIG")) {
      file = Path.of(environment.get("TAU_CONFIG"));
    }
    return Config.builder(TauServerConfig.ENVIRONMENT_PREFIX)
        .keys(TauServerConfig.KEYS)
        .commandLine(TauServerConfig.PORT, port)
        .commandLine(TauServerConfig.BIND, bind)
        .commandLine(TauServerConfig.CERTIFICATE, certificate)
        .commandLine(TauServerConfig.DATA_DIR, dataDir)
        .commandLine(TauServerConfig.FSYNC, fsync)
        .commandLine(TauServerConfig.FSYNC_INTERVAL, fsyncInterval)
        .commandLine(TauServerConfig.MAX_CONNECTIONS, maxConnections)
        .commandLine(TauServerConfig.IDLE_TIMEOUT, idleTimeout)
        .commandLine(TauServerConfig.MAX_PAYLOAD, maxPayload)
        .commandLine(TauServerConfig.AUTH_ATTEMPTS, authAttempts)
        .commandLine(TauServerConfig.AUTH_LOCKOUT, authLockout)
        .commandLine(TauServerConfig.MAX_IN_FLIGHT, maxInFlight)
        .commandLine(TauServerConfig.METRICS_PORT, metricsPort)
        .commandLine(TauServerConfig.METRICS_BIND, metricsBind)
        .commandLine(TauServerConfig.WORKER_THREADS, workerThreads)
        .commandLine(TauServerConfig.IO_THREADS, ioThreads)
        .environment(environment)
        .file(file)
        .resolve();
  }
}
