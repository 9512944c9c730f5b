package io.tokenworks.latzero.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fabric's SQLite database, {@code <dataDir>/data.db}, and its backups in {@code
 * <dataDir>/backups}. Every statement runs on the store's one thread over its one connection, so
 * writes are serialised in submission order without locks; each method queues its work and returns
 * a future. Thread-safe.
 *
 * <p>The database runs in WAL mode with {@code synchronous=NORMAL}: a commit is safe against a
 * process crash ({@code kill -9}) at once, and the file stays consistent after any crash, but an OS
 * crash or power loss may roll back the commits since the last checkpoint. That is the right trade
 * for this data: it is registry metadata (apps, pools, membership) that apps re-send on their next
 * handshake, and {@code FULL} would put an fsync into every handshake.
 *
 * <p>The data directory is locked ({@code latzero.lock}) for as long as the store is open, so two
 * fabrics, in one process or two, never share it.
 */
public final class FabricStore implements AutoCloseable {

  /** The database file name inside the data directory (upstream's name). */
  public static final String DATABASE_FILE = "data.db";

  /** The directory, inside the data directory, that holds backups. */
  public static final String BACKUP_DIRECTORY = "backups";

  static final String LOCK_FILE = "latzero.lock";

  private static final Logger LOG = LoggerFactory.getLogger(FabricStore.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final Path databaseFile;
  private final Path backupDirectory;
  private final Clock clock;
  private final int backupsKept;
  private final ScheduledThreadPoolExecutor writer;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final LongAdder failedWrites = new LongAdder();
  private Connection connection;
  private volatile boolean closed;

  private FabricStore(Path dataDirectory, Clock clock, int backupsKept) throws IOException {
    this.databaseFile = dataDirectory.resolve(DATABASE_FILE);
    this.backupDirectory = dataDirectory.resolve(BACKUP_DIRECTORY);
    this.clock = clock;
    this.backupsKept = backupsKept;
    Files.createDirectories(dataDirectory);
    this.lockChannel =
        FileChannel.open(
            dataDirectory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock acquired;
    try {
      acquired = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      acquired = null; // held by another fabric in this JVM
    }
    if (acquired == null) {
      lockChannel.close();
      throw new IllegalStateException(
          "dataDir=" + dataDirectory + " is in use by another LatZero fabric");
    }
    this.lock = acquired;
    int instance = INSTANCES.incrementAndGet();
    this.writer =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "latzero-store-" + instance);
              thread.setDaemon(true);
              return thread;
            });
    writer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /**
   * Opens (creating if needed) the database in {@code dataDirectory}, checks it, runs the missing
   * migrations and, when {@code backupInterval} is positive, starts taking a backup at that
   * interval.
   *
   * @param clock the source of timestamps in backup names
   * @param backupsKept how many backups rotation keeps (at least 1)
   * @throws StoreException when the file cannot be opened, is not a SQLite database, is damaged or
   *     has a newer schema; the message names the file
   * @throws IllegalStateException when another fabric has the directory open
   */
  public static FabricStore open(
      Path dataDirectory, Clock clock, Duration backupInterval, int backupsKept) {
    if (backupsKept < 1) {
      throw new IllegalArgumentException("backupsKept=" + backupsKept + " must be at least 1");
    }
    FabricStore store;
    try {
      store = new FabricStore(dataDirectory, clock, backupsKept);
    } catch (IOException e) {
      throw new StoreException("cannot use dataDir=" + dataDirectory + ": " + e.getMessage(), e);
    }
    try {
      await(store.submit(store::connect));
    } catch (RuntimeException e) {
      store.shutdown();
      throw e;
    }
    if (!backupInterval.isZero() && !backupInterval.isNegative()) {
      long intervalMs = backupInterval.toMillis();
      store.writer.scheduleWithFixedDelay(
          store::scheduledBackup, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }
    return store;
  }

  private Void connect(Connection unused) throws SQLException {
    try {
      connection = DriverManager.getConnection("jdbc:sqlite:" + databaseFile);
      try (Statement statement = connection.createStatement()) {
        statement.execute("PRAGMA journal_mode = WAL");
        statement.execute("PRAGMA synchronous = NORMAL");
        statement.execute("PRAGMA foreign_keys = ON");
        statement.execute("PRAGMA busy_timeout = 5000");
        checkIntegrity(statement);
      }
      int found = Migrations.migrate(connection, databaseFile);
      LOG.info(
          "opened LatZero database file={} schemaVersion={} (was {})",
          databaseFile,
          Migrations.latestVersion(),
          found);
      return null;
    } catch (SQLException e) {
      throw new StoreException(
          "cannot open LatZero database file="
              + databaseFile
              + ": "
              + e.getMessage()
              + " (restore a backup from "
              + backupDirectory
              + " or move the file away to start empty)",
          e);
    }
  }

  private void checkIntegrity(Statement statement) throws SQLException {
    try (ResultSet rows = statement.executeQuery("PRAGMA quick_check")) {
      String verdict = rows.next() ? rows.getString(1) : "no answer";
      if (!"ok".equals(verdict)) {
        throw new SQLException("integrity check failed: " + verdict);
      }
    }
  }

  /** Reads every app (with its pools from {@code pool_members}) and every pool. */
  public CompletableFuture<StoredState> loadState() {
    return submit(c -> new StoredState(Rows.readApps(c), Rows.readPools(c)));
  }

  /**
   * Inserts or updates an app row and makes its {@code pool_members} rows match {@link
   * AppRow#pools()}, in one transaction. An existing row keeps its {@code registered} time
   * (upstream reset it on every registration).
   */
  public CompletableFuture<Void> saveApp(AppRow app) {
    return submit(c -> inTransaction(c, () -> Rows.upsertApp(c, app)));
  }

  /** Sets an app's {@code last_seen}. */
  public CompletableFuture<Void> touchApp(String appId, long lastSeenMs) {
    return submit(
        c -> {
          try (PreparedStatement update =
              c.prepareStatement("UPDATE app_registry SET last_seen = ? WHERE app_id = ?")) {
            update.setLong(1, lastSeenMs);
            update.setString(2, appId);
            update.executeUpdate();
          }
          return null;
        });
  }

  /** Inserts or updates a pool row (its {@code created} time stays as first written). */
  public CompletableFuture<Void> savePool(PoolRow pool) {
    return submit(
        c -> {
          Rows.upsertPool(c, pool);
          return null;
        });
  }

  /**
   * Deletes a pool, its membership rows, and its name from the {@code pools} column of the apps
   * that were members, in one transaction.
   */
  public CompletableFuture<Void> deletePool(String name) {
    return submit(
        c ->
            inTransaction(
                c,
                () -> {
                  try (PreparedStatement apps =
                      c.prepareStatement(
                          "UPDATE app_registry SET pools = (SELECT json_group_array(value)"
                              + " FROM json_each(app_registry.pools) WHERE value <> ?1)"
                              + " WHERE app_id IN (SELECT app_id FROM pool_members"
                              + " WHERE pool = ?1)")) {
                    apps.setString(1, name);
                    apps.executeUpdate();
                  }
                  try (PreparedStatement delete =
                      c.prepareStatement("DELETE FROM pool_metadata WHERE name = ?")) {
                    delete.setString(1, name);
                    delete.executeUpdate();
                  }
                }));
  }

  /** Inserts or updates a memory block's metadata. */
  public CompletableFuture<Void> saveBlock(BlockRow block) {
    return submit(
        c -> {
          Rows.upsertBlock(c, block);
          return null;
        });
  }

  /** Deletes a memory block's metadata; completes with whether a row was there. */
  public CompletableFuture<Boolean> deleteBlock(String blockId) {
    return submit(
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM memory_blocks WHERE block_id = ?")) {
            delete.setString(1, blockId);
            return delete.executeUpdate() > 0;
          }
        });
  }

  /** One memory block's metadata. */
  public CompletableFuture<Optional<BlockRow>> loadBlock(String blockId) {
    return submit(c -> Rows.readBlocks(c, blockId).stream().findFirst());
  }

  /** Every memory block's metadata, ordered by block id. */
  public CompletableFuture<List<BlockRow>> loadBlocks() {
    return submit(c -> Rows.readBlocks(c, null));
  }

  /** Sets a {@code server_config} entry. */
  public CompletableFuture<Void> saveSetting(String key, JsonNode value) {
    return submit(
        c -> {
          try (PreparedStatement upsert =
              c.prepareStatement(
                  "INSERT INTO server_config(key, value, updated) VALUES (?, ?, ?)"
                      + " ON CONFLICT(key) DO UPDATE SET value = excluded.value,"
                      + " updated = excluded.updated")) {
            upsert.setString(1, key);
            upsert.setString(2, Rows.write(value));
            upsert.setLong(3, clock.millis());
            upsert.executeUpdate();
          }
          return null;
        });
  }

  /** A {@code server_config} entry; empty when absent or not readable as JSON. */
  public CompletableFuture<Optional<JsonNode>> loadSetting(String key) {
    return submit(
        c -> {
          try (PreparedStatement select =
              c.prepareStatement("SELECT value FROM server_config WHERE key = ?")) {
            select.setString(1, key);
            try (ResultSet rows = select.executeQuery()) {
              return rows.next()
                  ? Optional.ofNullable(Rows.read(rows.getString(1), "server_config key=" + key))
                  : Optional.empty();
            }
          }
        });
  }

  /**
   * Writes a backup now and deletes all but the newest {@code backupsKept}; completes with the new
   * file.
   */
  public CompletableFuture<Path> backupNow() {
    return submit(c -> takeBackup());
  }

  /** The backup files, oldest first. */
  public List<Path> backups() {
    try {
      return Backups.list(backupDirectory);
    } catch (IOException e) {
      throw new StoreException("cannot list backups in " + backupDirectory + ": " + e, e);
    }
  }

  /** Completes once every write queued before it has been applied. */
  public CompletableFuture<Void> flush() {
    return submit(c -> null);
  }

  /** Queued writes that failed since opening (each was logged). */
  public long failedWrites() {
    return failedWrites.sum();
  }

  public Path databaseFile() {
    return databaseFile;
  }

  /** Applies every queued write, closes the database and releases the data directory. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    shutdown();
  }

  private void shutdown() {
    closed = true;
    try {
      writer.execute(this::disconnect);
    } catch (RejectedExecutionException alreadyStopped) {
      // nothing queued can run any more; the connection was never opened or is closed
    }
    writer.shutdown();
    try {
      if (!writer.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("store writer for {} did not finish within 30 s", databaseFile);
        writer.shutdownNow();
      }
    } catch (InterruptedException e) {
      writer.shutdownNow();
      Thread.currentThread().interrupt();
    }
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      LOG.warn("cannot release the lock on {}: {}", databaseFile.getParent(), e.toString());
    }
  }

  private void disconnect() {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.warn("closing {} failed: {}", databaseFile, e.toString());
    }
    connection = null;
  }

  private Path takeBackup() throws SQLException {
    try {
      Path file = Backups.take(connection, backupDirectory, clock.instant(), backupsKept);
      LOG.info("backup written file={}", file);
      return file;
    } catch (IOException e) {
      throw new StoreException("cannot write a backup into " + backupDirectory + ": " + e, e);
    }
  }

  private void scheduledBackup() {
    try {
      takeBackup();
    } catch (SQLException | RuntimeException e) {
      failedWrites.increment();
      LOG.warn("scheduled backup of {} failed: {}", databaseFile, e.toString());
    }
  }

  private <T> CompletableFuture<T> submit(SqlTask<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(
          new StoreException("database file=" + databaseFile + " is closed"));
      return result;
    }
    try {
      writer.execute(
          () -> {
            try {
              result.complete(task.run(connection));
            } catch (SQLException | RuntimeException e) {
              failedWrites.increment();
              LOG.warn("database file={} operation failed: {}", databaseFile, e.toString());
              result.completeExceptionally(
                  e instanceof StoreException
                      ? e
                      : new StoreException("database file=" + databaseFile + ": " + e, e));
            }
          });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(
          new StoreException("database file=" + databaseFile + " is closed"));
    }
    return result;
  }

  /** Waits for a store future; its failure is rethrown as the {@link StoreException} it holds. */
  public static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for the database", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof StoreException) {
        throw new StoreException(cause.getMessage(), cause);
      }
      throw new StoreException(String.valueOf(cause), cause);
    }
  }

  private static Void inTransaction(Connection connection, SqlBody body) throws SQLException {
    connection.setAutoCommit(false);
    try {
      body.run();
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
    return null;
  }

  @FunctionalInterface
  private interface SqlTask<T> {
    T run(Connection connection) throws SQLException;
  }

  @FunctionalInterface
  private interface SqlBody {
    void run() throws SQLException;
  }
}
