package io.tokenworks.tau;

import io.tokenworks.tau.actor.Command;
import io.tokenworks.tau.actor.Health;
import io.tokenworks.tau.actor.SeriesActor;
import io.tokenworks.tau.storage.BlockSupply;
import io.tokenworks.tau.storage.ChunkCache;
import io.tokenworks.tau.storage.DirectoryLock;
import io.tokenworks.tau.storage.Manifest;
import io.tokenworks.tau.storage.Manifest.LensEntry;
import io.tokenworks.tau.storage.SeriesData;
import io.tokenworks.tau.storage.SeriesStore;
import io.tokenworks.tau.storage.Wal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded Tau database: series of (timestamp, value) points, lenses over them, and durability
 * through a write-ahead log. Thread-safe; open one per data directory with {@link #open(TauConfig)}
 * and close it when done.
 *
 * <p>Writes go through the series' actor, one single-writer mailbox per series, and return a future
 * that completes when the write is acknowledged under the configured {@link FsyncPolicy}; it fails
 * with a {@link TauException} naming a {@link TauError}. Writes to one series apply in the order
 * they were submitted; writes to different series run in parallel. A full mailbox fails at once
 * with {@link TauError#BUSY}.
 *
 * <p>Reads run on the caller's thread without locks: they see every point whose append has been
 * applied, which under {@link FsyncPolicy#ALWAYS} can briefly include points whose force is still
 * in flight.
 */
public final class TauEngine implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TauEngine.class);
  private static final String WAL_DIRECTORY = "wal";

  /** Direct memory the engine keeps in empty blocks allocated ahead (see {@link BlockSupply}). */
  private static final long BLOCKS_KEPT_BYTES = 1 << 20;

  private final TauConfig config;
  private final Path dataDirectory;
  private final Health health = new Health();
  private final LongAdder pointsAppended = new LongAdder();
  private final LongAdder chunksSealed = new LongAdder();
  private final LongAdder mailboxFull = new LongAdder();
  private final ExecutorService workers;
  private final ExecutorService catalogThread;
  private final BlockSupply blocks;
  private final ChunkCache chunkCache;
  private final Catalog catalog;
  private final Checkpoints checkpoints;
  private final DirectoryLock lock;
  private Wal wal;
  private volatile boolean closed;

  private TauEngine(TauConfig config) throws IOException {
    this.config = config;
    this.dataDirectory = config.dataDirectory();
    this.workers =
        Executors.newFixedThreadPool(
            config.workerThreads(), threads("tau-worker-", Thread.NORM_PRIORITY));
    this.catalogThread =
        Executors.newSingleThreadExecutor(threads("tau-catalog-", Thread.MIN_PRIORITY));
    this.blocks = BlockSupply.ahead(config.chunkPoints(), BLOCKS_KEPT_BYTES);
    this.chunkCache = new ChunkCache(config.chunkCacheBytes());
    if (dataDirectory == null) {
      this.lock = null;
      this.catalog =
          new Catalog(null, config, Manifest.empty(), blocks, chunkCache, this::newActor);
      this.checkpoints = new Checkpoints(catalog, health, catalogThread);
      return;
    }
    DirectoryLock acquired = null;
    try {
      Files.createDirectories(dataDirectory.resolve(WAL_DIRECTORY));
      acquired = DirectoryLock.acquire(dataDirectory);
      this.lock = acquired;
      Manifest manifest = Manifest.read(dataDirectory);
      this.catalog =
          new Catalog(dataDirectory, config, manifest, blocks, chunkCache, this::newActor);
      this.checkpoints = new Checkpoints(catalog, health, catalogThread);
      recover(manifest);
    } catch (IOException | RuntimeException e) {
      // Opening failed: leave nothing running and the directory free for the next attempt.
      workers.shutdownNow();
      catalogThread.shutdownNow();
      blocks.close();
      if (acquired != null) {
        acquired.close();
      }
      throw e;
    }
  }

  /**
   * Opens (creating or recovering) the engine described by {@code config}: loads the manifest,
   * every series' chunks and head snapshot, replays the WAL (cutting a torn tail) and starts a new
   * WAL segment.
   *
   * @throws TauException with STORAGE_FAILURE when the data directory cannot be read or is damaged
   *     beyond what a crash can do
   * @throws IllegalStateException when another engine has the data directory open
   */
  public static TauEngine open(TauConfig config) {
    try {
      return new TauEngine(config);
    } catch (IOException e) {
      throw new TauException(
          TauError.STORAGE_FAILURE,
          "cannot open dataDirectory=" + config.dataDirectory() + ": " + e.getMessage(),
          e);
    }
  }

  private void recover(Manifest manifest) throws IOException {
    Recovery.Result recovered =
        Recovery.run(
            dataDirectory,
            dataDirectory.resolve(WAL_DIRECTORY),
            config,
            manifest,
            blocks,
            chunkCache,
            checkpoints::request);
    wal = recovered.wal();
    checkpoints.attach(wal);
    for (Recovery.Series series : recovered.series()) {
      catalog.addRecovered(newActor(series.id(), series.label(), series.data(), series.store()));
    }
    LOG.info(
        "tau engine opened dataDirectory={} series={} lenses={} replayedPoints={}",
        dataDirectory,
        manifest.series().size(),
        manifest.lenses().size(),
        recovered.replayedPoints());
  }

  private SeriesActor newActor(long id, Label label, SeriesData data, SeriesStore store) {
    return new SeriesActor(
        id,
        label,
        data,
        store,
        wal,
        workers,
        config.callerRuns(),
        config.mailboxCapacity(),
        health,
        config.observer(),
        pointsAppended,
        chunksSealed);
  }

  /**
   * Threads named {@code prefix}1, 2, ... Background threads get {@link Thread#MIN_PRIORITY}, which
   * Linux ignores unless the JVM runs with {@code -XX:ThreadPriorityPolicy=1} (the launcher adds
   * it, mapping that priority to nice 19): then their wake-ups stop preempting the request threads.
   */
  private static ThreadFactory threads(String prefix, int priority) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
      thread.setDaemon(true);
      thread.setPriority(priority);
      return thread;
    };
  }

  public TauConfig config() {
    return config;
  }

  /** Creates an empty series. Fails with SERIES_ALREADY_EXISTS or LIMIT_REACHED. */
  public CompletableFuture<Void> createSeries(Label series) {
    return onCatalogThread(() -> catalog.createSeries(series));
  }

  /**
   * Drops a series and its data. Lenses reading it stay defined but answer SERIES_NOT_FOUND until a
   * series with that label exists again. Fails with SERIES_NOT_FOUND.
   */
  public CompletableFuture<Void> dropSeries(Label series) {
    return onCatalogThread(
        () -> {
          SeriesActor actor = catalog.dropSeries(series);
          Catalog.offerPatiently(actor, new Command.Close(new CompletableFuture<>())).join();
          actor.deleteFiles();
        });
  }

  /** The labels of every series, in label order. */
  public List<Label> listSeries() {
    List<Label> labels = new ArrayList<>(catalog.allSeries().keySet());
    labels.sort(null);
    return labels;
  }

  /** Whether a series with that label exists. */
  public boolean seriesExists(Label series) {
    return catalog.series(series) != null;
  }

  /**
   * Appends one point. Fails with SERIES_NOT_FOUND, OUT_OF_ORDER, BUSY, STORAGE_FAILURE or CLOSED.
   */
  public CompletableFuture<Void> append(Label series, long timestamp, double value) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    append(series, timestamp, value, failure -> settle(done, failure));
    return done;
  }

  /**
   * {@link #append(Label, long, double)}, telling {@code callback} the outcome instead of
   * completing a future: one object per append inside the engine and none for the caller to make,
   * for a server that answers millions of appends a second and whose collector pauses are its
   * latency tail.
   */
  public void append(Label series, long timestamp, double value, AppendCallback callback) {
    SeriesActor actor = writableSeries(series, callback);
    if (actor != null) {
      offer(actor, new Command.Append(timestamp, value, callback));
    }
  }

  /**
   * Appends the points of {@code run} in order, each accepted or refused (OUT_OF_ORDER) as a single
   * append would be, with one command and one WAL record for the lot; see {@link AppendRun}.
   */
  public void append(Label series, AppendRun run) {
    if (run.size() == 0) {
      run.appended(null);
      return;
    }
    SeriesActor actor = writableSeries(series, run);
    if (actor != null) {
      offer(actor, new Command.AppendRun(run));
    }
  }

  private static void settle(CompletableFuture<Void> done, Throwable failure) {
    if (failure == null) {
      done.complete(null);
    } else {
      done.completeExceptionally(failure);
    }
  }

  /**
   * Appends {@code count} points, all or none: timestamps must increase strictly within the batch
   * and start after the series' last point. One WAL record, one force. The arrays are copied before
   * this method returns.
   */
  public CompletableFuture<Void> appendBatch(
      Label series, long[] timestamps, double[] values, int offset, int count) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (count <= 0) {
      done.completeExceptionally(
          new TauException(TauError.INVALID_ARGUMENT, "count=" + count + " must be at least 1"));
      return done;
    }
    AppendCallback callback = failure -> settle(done, failure);
    SeriesActor actor = writableSeries(series, callback);
    if (actor != null) {
      long[] ownTimestamps = java.util.Arrays.copyOfRange(timestamps, offset, offset + count);
      double[] ownValues = java.util.Arrays.copyOfRange(values, offset, offset + count);
      offer(actor, new Command.AppendBatch(ownTimestamps, ownValues, count, callback));
    }
    return done;
  }

  /** The value at exactly {@code timestamp}, or empty. Throws SERIES_NOT_FOUND. */
  public OptionalDouble valueAt(Label series, long timestamp) {
    return data(series).valueAt(timestamp);
  }

  /** The last point, or empty when the series has none. Throws SERIES_NOT_FOUND. */
  public Optional<Point> latest(Label series) {
    return data(series).latest();
  }

  /** The last point at or before {@code timestamp}, or empty. Throws SERIES_NOT_FOUND. */
  public Optional<Point> asOf(Label series, long timestamp) {
    return data(series).asOf(timestamp);
  }

  /**
   * Delivers the points with {@code from <= timestamp <= to} in ascending order, at most {@code
   * limit} of them, and returns how many were delivered. To page, call again with {@code from} one
   * past the last timestamp received. Throws SERIES_NOT_FOUND.
   */
  public int range(Label series, long from, long to, int limit, PointSink sink) {
    return data(series).range(from, to, limit, sink);
  }

  /**
   * Count, min, max, sum and mean of the values with {@code from <= timestamp <= to}. Throws
   * SERIES_NOT_FOUND.
   */
  public Aggregate aggregate(Label series, long from, long to) {
    return data(series).aggregate(from, to);
  }

  /**
   * Defines a lens applying {@code transform} to {@code source}, a series (which need not exist
   * yet). Lenses and series have separate namespaces, as upstream. Fails with LENS_ALREADY_EXISTS
   * or LIMIT_REACHED.
   */
  public CompletableFuture<Void> createLens(Label lens, Label source, Transform transform) {
    return onCatalogThread(() -> catalog.createLens(lens, source, List.of(transform)));
  }

  /**
   * Defines {@code lens} as {@code second ∘ first}: it reads first's source, applies first's
   * transforms and then second's (second's own source plays no part, as in function composition).
   * Fails with LENS_NOT_FOUND (either input), LENS_ALREADY_EXISTS or LIMIT_REACHED.
   */
  public CompletableFuture<Void> composeLens(Label lens, Label first, Label second) {
    return onCatalogThread(() -> catalog.composeLens(lens, first, second));
  }

  /** Removes a lens. Fails with LENS_NOT_FOUND. */
  public CompletableFuture<Void> dropLens(Label lens) {
    return onCatalogThread(() -> catalog.dropLens(lens));
  }

  /** The labels of every lens, in creation order. */
  public List<Label> listLenses() {
    return catalog.lensLabels();
  }

  /**
   * The lens' value at exactly {@code timestamp}: its transforms applied to the source's point
   * there (and, for returns, the points before it); empty when the source has no point there or too
   * little history. Throws LENS_NOT_FOUND, or SERIES_NOT_FOUND when its source series does not
   * exist.
   */
  public OptionalDouble lensValueAt(Label lens, long timestamp) {
    LensEntry entry = catalog.existingLens(lens);
    SeriesActor source = catalog.series(entry.source());
    if (source == null) {
      throw new TauException(
          TauError.SERIES_NOT_FOUND,
          "series " + entry.source() + ", the source of lens " + lens + ", does not exist");
    }
    return Lenses.evaluate(source.data(), entry.transforms(), timestamp);
  }

  /**
   * For a caller that appends in batches on its own thread, such as a server's event loop handling
   * what one read brought: from now until {@link #writeHeldWal()} this thread's appends queue their
   * WAL records without waking the WAL writer thread. Under {@link FsyncPolicy#BATCH} and {@link
   * FsyncPolicy#NONE}, {@link #writeHeldWal()} then writes them on this thread and their appends
   * complete there, two thread hand-offs per batch fewer (measured on 2 cores at 430K appends/s:
   * the share answered within 1 ms rose from 97% to 99%). Under {@link FsyncPolicy#ALWAYS} both
   * calls do nothing: the force stays on the writer thread. Always pair the two calls, the second
   * in a {@code finally}; nothing else is needed for appends to complete.
   */
  public void holdWalWrites() {
    Wal log = wal;
    if (log != null) {
      log.holdWrites();
    }
  }

  /** Ends {@link #holdWalWrites()}: writes this thread's queued WAL records now (see there). */
  public void writeHeldWal() {
    Wal log = wal;
    if (log != null) {
      log.writeHeld();
    }
  }

  /** Engine counters for metrics: a consistent-enough snapshot, cheap to take. */
  public TauStats stats() {
    long depth = 0;
    for (SeriesActor actor : catalog.allSeries().values()) {
      depth += actor.queueDepth();
    }
    Wal log = wal;
    return new TauStats(
        catalog.allSeries().size(),
        catalog.lensCount(),
        pointsAppended.sum(),
        depth,
        mailboxFull.sum(),
        log == null ? 0 : log.forces(),
        log == null ? 0 : log.forceNanosTotal(),
        log == null ? 0 : log.recordsForced(),
        log == null ? 0 : log.bytesWritten(),
        chunksSealed.sum(),
        checkpoints.completed(),
        blocks.allocated() * 2L * Long.BYTES * config.chunkPoints(),
        chunkCache.reads(),
        chunkCache.keptBytes());
  }

  /**
   * Stops accepting work, completes what is queued, seals heads, forces the WAL and releases the
   * data directory.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (wal != null && !health.failed()) {
        checkpoints.runNow();
      }
    } catch (Exception e) {
      LOG.warn("final checkpoint failed: {}", e.toString());
    }
    catalogThread.shutdown();
    workers.shutdown();
    try {
      workers.awaitTermination(30, TimeUnit.SECONDS);
      catalogThread.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    blocks.close();
    try {
      if (wal != null) {
        wal.close();
      }
    } finally {
      releaseLock();
    }
  }

  private void releaseLock() {
    try {
      if (lock != null) {
        lock.close();
      }
    } catch (IOException e) {
      LOG.warn("releasing the data directory lock failed: {}", e.toString());
    }
  }

  /**
   * Runs a checkpoint now and waits for it; also waits for any checkpoint already queued. For
   * tests.
   */
  void checkpointNow() throws Exception {
    checkpoints.runNow();
  }

  private interface CatalogChange {
    void run() throws IOException;
  }

  private CompletableFuture<Void> onCatalogThread(CatalogChange change) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(new TauException(TauError.CLOSED, "the engine is closed"));
      return done;
    }
    try {
      catalogThread.execute(
          () -> {
            try {
              change.run();
              done.complete(null);
            } catch (IOException e) {
              done.completeExceptionally(
                  new TauException(
                      TauError.STORAGE_FAILURE, "catalog change failed: " + e.getMessage(), e));
            } catch (RuntimeException e) {
              done.completeExceptionally(e);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      done.completeExceptionally(new TauException(TauError.CLOSED, "the engine is closed"));
    }
    return done;
  }

  private SeriesActor writableSeries(Label series, AppendCallback callback) {
    if (closed) {
      callback.appended(new TauException(TauError.CLOSED, "the engine is closed"));
      return null;
    }
    SeriesActor actor = catalog.series(series);
    if (actor == null) {
      callback.appended(
          new TauException(TauError.SERIES_NOT_FOUND, "series " + series + " does not exist"));
    }
    return actor;
  }

  private void offer(SeriesActor actor, Command command) {
    if (!actor.offer(command)) {
      mailboxFull.increment();
      config.observer().busy();
      command.fail(
          new TauException(
              TauError.BUSY,
              "the mailbox of series "
                  + actor.label()
                  + " is full (mailboxCapacity="
                  + config.mailboxCapacity()
                  + "); retry"));
    }
  }

  private SeriesData data(Label series) {
    return catalog.existingSeries(series).data();
  }
}
