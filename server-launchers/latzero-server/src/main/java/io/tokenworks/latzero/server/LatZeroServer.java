package io.tokenworks.latzero.server;

import io.netty.handler.ssl.SslHandler;
import io.tokenworks.latzero.FabricConfig;
import io.tokenworks.latzero.FabricException;
import io.tokenworks.latzero.LatZeroFabric;
import io.tokenworks.latzero.security.LatZeroSecurityException;
import io.tokenworks.latzero.security.TlsContexts;
import io.tokenworks.protocol.latzero.LatZeroMessageCodec;
import io.tokenworks.server.kit.MetricsEndpoint;
import io.tokenworks.server.kit.NettyServer;
import io.tokenworks.server.kit.ServerStartException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LatZero server: one {@link LatZeroFabric} on a data directory, served over the Gen-1 protocol
 * (4-byte big-endian length + UTF-8 JSON) on a TCP port, optionally with TLS, with Prometheus
 * metrics and a health check on a second port.
 *
 * <pre>{@code
 * try (LatZeroServer server = LatZeroServer.start(LatZeroServerConfig.builder().port(0)
 *     .metricsPort(0).dataDirectory(dir).build())) {
 *   LatZeroClient client = LatZeroClient.connect("127.0.0.1", server.port(), "my-app", options);
 * }
 * }</pre>
 *
 * <p><b>Files in the data directory</b>, for {@code tokenworks latzero status} and {@code stop}:
 *
 * <ul>
 *   <li>{@code latzero.pid}: the server's process id, written once it listens, removed when it
 *       stops;
 *   <li>{@code latzero.endpoint}: a properties file with {@code pid}, {@code host} (an address to
 *       connect to: 127.0.0.1 when the server listens on every address), {@code port}, {@code tls}
 *       and {@code metrics_port} (0 when off);
 *   <li>{@code admin.token}: 64 hex characters, new at every start, readable by the owner only. A
 *       client on this host that handshakes as {@link #ADMIN_APP_ID} with {@code "admin_token":
 *       "<the file's content>"} is a fabric admin: it may send {@code admin} {@code server_status}
 *       and {@code shutdown}. The same app id without the token, with a wrong one, or from another
 *       host is refused with ACCESS_DENIED.
 * </ul>
 */
public final class LatZeroServer implements AutoCloseable {

  /** The app id reserved for the holder of the admin token. */
  public static final String ADMIN_APP_ID = "latzero-admin";

  /** The pid file's name inside the data directory. */
  public static final String PID_FILE = "latzero.pid";

  /** The endpoint file's name inside the data directory. */
  public static final String ENDPOINT_FILE = "latzero.endpoint";

  /** The admin token file's name inside the data directory. */
  public static final String ADMIN_TOKEN_FILE = AdminToken.FILE_NAME;

  private static final Logger LOG = LoggerFactory.getLogger(LatZeroServer.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final LatZeroServerConfig config;
  private final LatZeroMetrics metrics = new LatZeroMetrics();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final long startedMs = System.currentTimeMillis();
  private LatZeroFabric fabric;
  private AdminToken adminToken;
  private ExecutorService blocking;
  private NettyServer network;
  private MetricsEndpoint metricsEndpoint;
  private ServerFiles files;
  private volatile boolean closed;

  private LatZeroServer(LatZeroServerConfig config) {
    this.config = config;
  }

  /**
   * Opens the fabric, then listens.
   *
   * @throws ServerStartException with one line for a human: a data directory that cannot be opened
   *     or is in use, a refused TLS certificate, a port in use
   */
  public static LatZeroServer start(LatZeroServerConfig config) {
    LatZeroServer server = new LatZeroServer(Objects.requireNonNull(config, "config"));
    try {
      server.open();
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private void open() {
    Path dataDirectory = config.dataDirectory();
    SSLContext tls = config.enableTls() ? tlsContext() : null;
    try {
      Files.createDirectories(dataDirectory);
      fabric = LatZeroFabric.open(fabricConfig());
      adminToken = AdminToken.create(dataDirectory);
    } catch (IOException | UncheckedIOException | FabricException | IllegalStateException e) {
      throw new ServerStartException(
          "latzero: cannot open data-dir=" + dataDirectory + ": " + e.getMessage(), e);
    }
    metrics.fabric(fabric);
    int instance = INSTANCES.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    blocking =
        Executors.newFixedThreadPool(
            2,
            task -> {
              Thread thread =
                  new Thread(
                      task, "latzero-blocking-" + instance + "-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    ServerContext context =
        new ServerContext(
            config,
            fabric,
            new Frames(config.maxFrameBytes()),
            new LatZeroMessageCodec(config.maxFrameBytes()),
            metrics,
            blocking,
            adminToken,
            this::requestShutdown,
            () -> network == null ? 0 : network.activeConnections(),
            startedMs);
    network =
        NettyServer.builder("latzero")
            .bindAddress(config.host())
            .port(config.port())
            .maxConnections(config.maxConnections())
            .idleTimeout(config.idleTimeout())
            .workerThreads(ioThreads(config))
            .listener(metrics)
            .pipeline(
                pipeline -> {
                  if (tls != null) {
                    SSLEngine engine = tls.createSSLEngine();
                    engine.setUseClientMode(false);
                    pipeline.addLast("tls", new SslHandler(engine));
                  }
                  pipeline.addLast("latzero", new LatZeroConnection(context));
                })
            .start();
    if (config.metricsEnabled()) {
      metricsEndpoint =
          MetricsEndpoint.start(
              config.metricsHost(),
              Math.max(0, config.metricsPort()),
              metrics.registry(),
              () -> closed ? "latzero server is shutting down" : null);
    }
    files =
        ServerFiles.write(dataDirectory, connectHost(), port(), config.enableTls(), metricsPort());
    LOG.info(
        "latzero server started: protocol {}{} metrics {} data {} memory {}",
        network.localAddress(),
        tls == null ? "" : " (TLS)",
        metricsEndpoint == null ? "off" : config.metricsHost() + ":" + metricsEndpoint.port(),
        dataDirectory.toAbsolutePath(),
        fabric.config().memoryRoot());
  }

  private FabricConfig fabricConfig() {
    List<String> admins = new ArrayList<>(config.adminApps());
    admins.add(ADMIN_APP_ID);
    FabricConfig.Builder builder =
        FabricConfig.builder(config.dataDirectory())
            .autoCreatePools(config.autoCreatePools())
            .maxOutstandingCallsPerSession(config.maxOutstandingCalls())
            .maxBlockSize(config.maxBlockSize())
            .adminAppIds(admins.toArray(String[]::new));
    if (config.memoryDirectory() != null) {
      builder.memoryRoot(config.memoryDirectory());
    }
    return builder.build();
  }

  private SSLContext tlsContext() {
    try {
      return TlsContexts.serverFromPem(config.tlsCertificate(), config.tlsKey());
    } catch (LatZeroSecurityException e) {
      throw new ServerStartException("latzero: TLS: " + e.getMessage(), e);
    }
  }

  /** An address a local client can connect to: loopback when listening on every address. */
  private String connectHost() {
    InetSocketAddress address = network.localAddress();
    return address.getAddress().isAnyLocalAddress()
        ? "127.0.0.1"
        : address.getAddress().getHostAddress();
  }

  /**
   * The admin {@code shutdown} operation: close on another thread, as this runs on the server's.
   */
  private void requestShutdown() {
    Thread stopper = new Thread(this::close, "latzero-shutdown");
    stopper.start();
  }

  public LatZeroServerConfig config() {
    return config;
  }

  /** The fabric behind the server, e.g. for tests that check what a request did. */
  public LatZeroFabric fabric() {
    return fabric;
  }

  /** The protocol port (the real one when 0 was configured). */
  public int port() {
    return network.port();
  }

  public InetSocketAddress address() {
    return network.localAddress();
  }

  /** The metrics port (the real one when a free one was asked for), or 0 when metrics are off. */
  public int metricsPort() {
    return metricsEndpoint == null ? 0 : metricsEndpoint.port();
  }

  /** Connections open now. */
  public int activeConnections() {
    return network.activeConnections();
  }

  /** The admin token file of this run (see the class documentation). */
  public Path adminTokenFile() {
    return adminToken.file();
  }

  /** The pid file of this run. */
  public Path pidFile() {
    return config.dataDirectory().resolve(PID_FILE);
  }

  /** Completes once the server has stopped, by {@link #close()} or an admin {@code shutdown}. */
  public CompletableFuture<Void> terminationFuture() {
    return terminated;
  }

  /**
   * Closes the fabric first (every session's client gets a SERVICE_UNAVAILABLE error frame, then
   * its connection closes), stops listening, stops the metrics endpoint and removes the pid,
   * endpoint and token files. Idempotent; a second caller waits until the first has finished.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (fabric != null) {
        fabric.close();
      }
      if (network != null) {
        network.close();
      }
      if (blocking != null) {
        blocking.shutdown();
        awaitQuietly(blocking);
      }
      if (metricsEndpoint != null) {
        metricsEndpoint.close();
      }
    } finally {
      if (files != null) {
        files.delete();
      }
      if (adminToken != null) {
        adminToken.delete();
      }
      LOG.info("latzero server stopped");
      terminated.complete(null);
    }
  }

  private static void awaitQuietly(ExecutorService executor) {
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** The configured network threads, or one per two CPUs (at least one) for 0. */
  static int ioThreads(LatZeroServerConfig config) {
    if (config.ioThreads() > 0) {
      return config.ioThreads();
    }
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }
}
