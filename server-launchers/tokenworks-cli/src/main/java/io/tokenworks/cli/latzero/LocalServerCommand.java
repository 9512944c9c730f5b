package io.tokenworks.cli.latzero;

import io.tokenworks.latzero.security.LatZeroSecurityException;
import io.tokenworks.latzero.security.TlsContexts;
import io.tokenworks.latzero.server.LatZeroServer;
import io.tokenworks.latzero.server.LatZeroServerConfig;
import io.tokenworks.protocol.latzero.client.LatZeroClient;
import io.tokenworks.protocol.latzero.client.LatZeroClientException;
import io.tokenworks.protocol.latzero.client.LatZeroClientOptions;
import io.tokenworks.server.kit.Config;
import io.tokenworks.server.kit.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code latzero status} and {@code latzero stop} share: the data directory and the TLS trust
 * resolved as {@code latzero start} resolves them (option, then {@code LATZERO_*} environment, then
 * the config file, then the default), the server found through the files in that directory, and an
 * admin connection from loopback with the server's {@code admin.token}.
 */
abstract class LocalServerCommand implements Callable<Integer> {

  /** Exit code: the server runs (status) or has stopped (stop). */
  static final int EXIT_OK = 0;

  /** Exit code: the command failed (unreadable files, unreachable server, refused token, ...). */
  static final int EXIT_FAILED = 1;

  /** Exit code for a bad option, environment variable or config file. */
  static final int EXIT_CONFIG = 2;

  /** Exit code: no server runs on the data directory (including stale files of one that died). */
  static final int EXIT_NOT_RUNNING = 3;

  @Spec CommandSpec spec;

  // Help only: the version is the launcher's (tokenworks --version).
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Option(
      names = {"-d", "--data-dir"},
      paramLabel = "DIR",
      description = "the server's data directory (env LATZERO_DATA_DIR; default ./latzero-data)")
  String dataDir;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "the server's config file, for data-dir and tls-cert (env LATZERO_CONFIG)")
  Path configFile;

  @Option(
      names = "--tls-cert",
      paramLabel = "PEM",
      description = "for a TLS listener, the server's certificate to trust (env LATZERO_TLS_CERT)")
  String tlsCert;

  private final Map<String, String> environment;

  LocalServerCommand(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  @Override
  public final Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    Config config;
    try {
      config = resolve();
    } catch (ConfigException e) {
      err.println("latzero: " + e.getMessage());
      err.flush();
      return EXIT_CONFIG;
    }
    try {
      return run(
          config.get(LatZeroServerConfig.DATA_DIR), config.get(LatZeroServerConfig.TLS_CERT));
    } catch (LatZeroCliException e) {
      err.println("latzero: " + e.getMessage());
      err.flush();
      return EXIT_FAILED;
    }
  }

  /**
   * Does the command's job on the server of {@code dataDirectory}.
   *
   * @param tlsCertificate the certificate to trust when the server speaks TLS, or null
   * @throws LatZeroCliException for a failure that is one line for a human
   */
  abstract int run(Path dataDirectory, Path tlsCertificate) throws InterruptedException;

  /** Every key of the server, so a config file written for {@code start} is accepted as it is. */
  private Config resolve() {
    Path file = configFile;
    if (file == null && environment.containsKey("LATZERO_CONFIG")) {
      file = Path.of(environment.get("LATZERO_CONFIG"));
    }
    return Config.builder(LatZeroServerConfig.ENVIRONMENT_PREFIX)
        .keys(LatZeroServerConfig.KEYS)
        .commandLine(LatZeroServerConfig.DATA_DIR, dataDir)
        .commandLine(LatZeroServerConfig.TLS_CERT, tlsCert)
        .environment(environment)
        .file(file)
        .resolve();
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /**
   * Connects to {@code server} as the admin app with the token of {@code dataDirectory}.
   *
   * @throws LatZeroCliException when the token cannot be read, the server cannot be reached or it
   *     refuses the token
   */
  static LatZeroClient admin(
      Path dataDirectory, ServerState.Running server, Path tlsCertificate, Duration timeout) {
    String token = ServerState.read(dataDirectory.resolve(LatZeroServer.ADMIN_TOKEN_FILE)).trim();
    LatZeroClientOptions.Builder options =
        LatZeroClientOptions.builder()
            .adminToken(token)
            .connectTimeout(timeout)
            .requestTimeout(timeout);
    if (server.tls()) {
      if (tlsCertificate == null) {
        throw new LatZeroCliException(
            "the server (pid "
                + server.pid()
                + ") speaks TLS: give its certificate with --tls-cert or LATZERO_TLS_CERT");
      }
      try {
        options.sslContext(TlsContexts.clientTrusting(tlsCertificate));
      } catch (LatZeroSecurityException e) {
        throw new LatZeroCliException("--tls-cert: " + e.getMessage());
      }
    }
    try {
      return LatZeroClient.connect(
          server.host(), server.port(), LatZeroServer.ADMIN_APP_ID, options.build());
    } catch (LatZeroClientException e) {
      throw failure(server, e);
    }
  }

  /** A failed admin request as one line, with the likely cause. */
  static LatZeroCliException failure(ServerState.Running server, LatZeroClientException e) {
    String where = " (pid " + server.pid() + " at " + server.host() + ":" + server.port() + ")";
    if ("ACCESS_DENIED".equals(e.code())) {
      return new LatZeroCliException(
          "the server"
              + where
              + " refused the admin token: "
              + e.getMessage()
              + " (admin requests must come from this host, with the token of this run)");
    }
    return new LatZeroCliException("the server" + where + " did not answer: " + e.getMessage());
  }
}
