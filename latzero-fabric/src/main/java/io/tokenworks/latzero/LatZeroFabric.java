package io.tokenworks.latzero;

import io.tokenworks.latzero.memory.BlockManager;
import io.tokenworks.latzero.memory.BlockManagerConfig;
import io.tokenworks.latzero.memory.MemoryException;
import io.tokenworks.latzero.pool.PoolInfo;
import io.tokenworks.latzero.pool.PoolSpec;
import io.tokenworks.latzero.route.Router;
import io.tokenworks.latzero.store.FabricStore;
import io.tokenworks.latzero.store.StoreException;
import io.tokenworks.latzero.store.StoredState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded LatZero fabric: apps handshake into sessions, join pools, call one another's triggers
 * (round-robin or to a named destination, with deadlines) and emit events. Registry, pools and
 * membership persist in SQLite under the data directory and survive a restart; calls do not. There
 * is no networking here: a server adapts its wire to {@link #handshake} and {@link FabricSession},
 * and an app may embed the fabric directly.
 *
 * <p>Each fabric owns three threads (call deadlines; the database writer; idle-block collection)
 * and locks its data directory; any number may run in one JVM on different directories.
 * Thread-safe.
 *
 * <pre>{@code
 * try (LatZeroFabric fabric = LatZeroFabric.open(FabricConfig.builder(dir).build())) {
 *   FabricSession handler = fabric.handshake(Handshake.builder("echo-app").triggers("echo").build(), echoDelivery);
 *   FabricSession caller = fabric.handshake(Handshake.builder("client").build(), clientDelivery);
 *   caller.call(CallRequest.of("c1", "echo", payload)); // the result reaches clientDelivery.onResult
 * }
 * }</pre>
 */
public final class LatZeroFabric implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LatZeroFabric.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final FabricConfig config;
  private final FabricStore store;
  private final Router router;
  private final Registry registry;
  private final BlockManager blocks;
  private final ScheduledExecutorService collector;
  private volatile boolean closed;

  private LatZeroFabric(
      FabricConfig config,
      FabricStore store,
      Router router,
      Registry registry,
      BlockManager blocks,
      ScheduledExecutorService collector) {
    this.config = config;
    this.store = store;
    this.router = router;
    this.registry = registry;
    this.blocks = blocks;
    this.collector = collector;
  }

  /**
   * Opens the fabric: opens (or creates and migrates) {@code <dataDir>/data.db}, reloads pools and
   * known apps, creates the {@code default} and {@code system} pools if missing, and starts the
   * deadline thread and, if configured, scheduled backups.
   *
   * @throws FabricException STORAGE_FAILURE when the database cannot be opened or is damaged (the
   *     message names the file)
   * @throws IllegalStateException when another fabric has the data directory open
   */
  public static LatZeroFabric open(FabricConfig config) {
    Objects.requireNonNull(config, "config");
    FabricStore store;
    try {
      store =
          FabricStore.open(
              config.dataDirectory(),
              config.clock(),
              config.backupInterval(),
              config.backupsKept());
    } catch (StoreException e) {
      throw new FabricException(FabricError.STORAGE_FAILURE, e.getMessage(), e);
    }
    Router router = null;
    BlockManager blocks = null;
    try {
      StoredState state = FabricStore.await(store.loadState());
      blocks = openBlocks(config, store);
      router =
          new Router(
              config.maxOutstandingCallsPerSession(),
              config.maxOutstandingCalls(),
              config.defaultTtl().toMillis(),
              config.maxTtl().toMillis(),
              config.deadlineMillis(),
              "latzero-deadlines-" + INSTANCES.incrementAndGet());
      Registry registry = new Registry(config, store, router, blocks, state);
      ScheduledExecutorService collector = startCollector(blocks, config.blockIdleTimeout());
      LOG.info("LatZero fabric open: {}", config.describe());
      return new LatZeroFabric(config, store, router, registry, blocks, collector);
    } catch (StoreException e) {
      closeQuietly(router, blocks, store);
      throw new FabricException(FabricError.STORAGE_FAILURE, e.getMessage(), e);
    } catch (MemoryException e) {
      closeQuietly(router, blocks, store);
      throw new FabricException(
          FabricError.STORAGE_FAILURE, "shared-memory blocks: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(router, blocks, store);
      throw e;
    }
  }

  private static BlockManager openBlocks(FabricConfig config, FabricStore store) {
    Clock clock = config.clock();
    return BlockManager.open(
        new BlockManagerConfig(
            config.memoryRoot(),
            config.maxBlockSize(),
            config.blockIdleTimeout(),
            BlockManagerConfig.DEFAULT_LOCK_LEASE,
            BlockManagerConfig.DEFAULT_READ_TIMEOUT,
            clock::millis,
            new StoreBlockCatalog(store)));
  }

  /**
   * Collects idle blocks a few times per idle timeout (at most every minute, at least every
   * second), so a block is removed at most a quarter of the timeout late.
   */
  private static ScheduledExecutorService startCollector(BlockManager blocks, Duration idle) {
    long periodMs = Math.max(1_000, Math.min(60_000, idle.toMillis() / 4));
    ScheduledExecutorService collector =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "latzero-block-collector-" + INSTANCES.get());
              thread.setDaemon(true);
              return thread;
            });
    collector.scheduleWithFixedDelay(
        () -> {
          try {
            int collected = blocks.collectIdle();
            if (collected > 0) {
              LOG.info("collected {} idle shared-memory blocks", collected);
            }
          } catch (RuntimeException e) {
            LOG.warn("collecting idle blocks failed: {}", e.toString());
          }
        },
        periodMs,
        periodMs,
        TimeUnit.MILLISECONDS);
    return collector;
  }

  /**
   * Binds an app. The result is a live session whose {@link FabricSession#rehydrated()} says
   * whether the app's stored pools and triggers were restored, which happens when the handshake
   * asks ({@link Handshake#rehydrate()}) or names no triggers, and the app is known.
   *
   * <p>Unknown pools are created (as {@code local} pools owned by the app) when {@link
   * FabricConfig#autoCreatePools()} allows, else the handshake fails with POOL_NOT_FOUND. Joining
   * needs each pool's read policy and, for an encrypted pool, the {@link
   * FabricConfig#poolAccessPolicy()}. A handshake that fails changes nothing.
   *
   * <p>When the app id already has a live session, the new session takes over: the old one is
   * closed as by {@link FabricSession#close()} (its callers get HANDLER_GONE at once) and its
   * delivery is told {@link FabricError#SESSION_REPLACED}.
   *
   * @param delivery where this session's pushes go; see {@link Delivery} for its threading
   * @throws FabricException HANDSHAKE_ERROR, POOL_NOT_FOUND, ACCESS_DENIED, LIMIT_REACHED or
   *     SERVICE_UNAVAILABLE
   */
  public FabricSession handshake(Handshake handshake, Delivery delivery) {
    Objects.requireNonNull(handshake, "handshake");
    Objects.requireNonNull(delivery, "delivery");
    return registry.handshake(handshake, delivery);
  }

  /**
   * Creates a pool, waiting until it is stored.
   *
   * @throws FabricException VALIDATION_ERROR, UNSUPPORTED_POOL_TYPE (global), POOL_EXISTS,
   *     LIMIT_REACHED, STORAGE_FAILURE or SERVICE_UNAVAILABLE
   */
  public PoolInfo createPool(PoolSpec spec) {
    return registry.createPool(Objects.requireNonNull(spec, "spec"), null);
  }

  /**
   * Deletes a pool and its memberships, waiting until that is stored.
   *
   * @throws FabricException POOL_PROTECTED ({@code default}, {@code system}), POOL_NOT_FOUND,
   *     POOL_IN_USE (it has live members), STORAGE_FAILURE or SERVICE_UNAVAILABLE
   */
  public void deletePool(String name) {
    registry.deletePool(name, null);
  }

  /** Every pool, ordered by name. */
  public List<PoolInfo> listPools() {
    return registry.listPools();
  }

  /**
   * @throws FabricException POOL_NOT_FOUND
   */
  public PoolInfo inspectPool(String name) {
    return registry.inspectPool(name);
  }

  /** Every app the fabric knows, live or not, ordered by app id. */
  public List<AppInfo> apps() {
    return registry.apps();
  }

  public FabricStatus status() {
    return registry.status();
  }

  /**
   * Writes a backup of the database into {@code <dataDir>/backups} now and deletes all but the
   * newest {@link FabricConfig#backupsKept()}.
   *
   * @return the new backup file
   * @throws FabricException STORAGE_FAILURE
   */
  public Path backupNow() {
    try {
      return FabricStore.await(store.backupNow());
    } catch (StoreException e) {
      throw new FabricException(FabricError.STORAGE_FAILURE, e.getMessage(), e);
    }
  }

  /** The backup files, oldest first. */
  public List<Path> backups() {
    return store.backups();
  }

  /** The database, for the memory-block layer's metadata ({@link FabricStore#saveBlock}). */
  public FabricStore store() {
    return store;
  }

  public FabricConfig config() {
    return config;
  }

  /**
   * Closes every session (each delivery told {@link FabricError#SERVICE_UNAVAILABLE}), records when
   * each app was last seen, stops the deadline thread, writes what is queued to the database and
   * releases the data directory. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      registry.closeAll();
    } finally {
      collector.shutdownNow();
      closeQuietly(router, blocks, store);
      LOG.info("LatZero fabric closed: dataDirectory={}", config.dataDirectory());
    }
  }

  private static void closeQuietly(Router router, BlockManager blocks, FabricStore store) {
    if (router != null) {
      router.close();
    }
    if (blocks != null) {
      try {
        blocks.close();
      } catch (RuntimeException e) {
        LOG.warn("closing the shared-memory blocks failed: {}", e.toString());
      }
    }
    store.close();
  }
}
