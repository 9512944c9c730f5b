package io.tokenworks.tau;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link TauEngine} runs. Build one with {@link #builder(Path)} (durable, in a data
 * directory) or {@link #inMemory()} (nothing written to disk); every setting has a default, and
 * {@link Builder#build()} validates them all at once.
 */
public final class TauConfig {

  private final Path dataDirectory;
  private final FsyncPolicy fsyncPolicy;
  private final Duration batchFsyncInterval;
  private final int workerThreads;
  private final boolean callerRuns;
  private final int mailboxCapacity;
  private final int maxSeries;
  private final int maxLenses;
  private final int chunkPoints;
  private final long maxPendingWalBytes;
  private final long checkpointWalBytes;
  private final long chunkCacheBytes;
  private final TauObserver observer;

  private TauConfig(Builder builder) {
    this.dataDirectory = builder.dataDirectory;
    this.fsyncPolicy = builder.fsyncPolicy;
    this.batchFsyncInterval = builder.batchFsyncInterval;
    this.workerThreads = builder.workerThreads;
    this.callerRuns = builder.callerRuns;
    this.mailboxCapacity = builder.mailboxCapacity;
    this.maxSeries = builder.maxSeries;
    this.maxLenses = builder.maxLenses;
    this.chunkPoints = builder.chunkPoints;
    this.maxPendingWalBytes = builder.maxPendingWalBytes;
    this.checkpointWalBytes = builder.checkpointWalBytes;
    this.chunkCacheBytes = builder.chunkCacheBytes;
    this.observer = builder.observer;
  }

  /** A durable engine keeping its WAL, chunks and manifest under {@code dataDirectory}. */
  public static Builder builder(Path dataDirectory) {
    return new Builder(Objects.requireNonNull(dataDirectory, "dataDirectory"));
  }

  /**
   * An engine that keeps everything in memory and loses it on close: for tests and embedding as a
   * cache.
   */
  public static Builder inMemory() {
    return new Builder(null).fsyncPolicy(FsyncPolicy.NONE);
  }

  /** The data directory, or {@code null} for an in-memory engine. */
  public Path dataDirectory() {
    return dataDirectory;
  }

  public FsyncPolicy fsyncPolicy() {
    return fsyncPolicy;
  }

  /** With {@link FsyncPolicy#BATCH}: the longest a written point waits for its force. */
  public Duration batchFsyncInterval() {
    return batchFsyncInterval;
  }

  /** Threads that run the series actors. */
  public int workerThreads() {
    return workerThreads;
  }

  /**
   * Messages one series actor may have queued; beyond that a request fails with {@link
   * TauError#BUSY}.
   */
  public int mailboxCapacity() {
    return mailboxCapacity;
  }

  public int maxSeries() {
    return maxSeries;
  }

  public int maxLenses() {
    return maxLenses;
  }

  /** Points per sealed chunk. */
  public int chunkPoints() {
    return chunkPoints;
  }

  /**
   * Whether a thread that gives work to an idle series runs that series' actor itself, instead of
   * waking a worker for it. See {@link Builder#callerRuns(boolean)}.
   */
  public boolean callerRuns() {
    return callerRuns;
  }

  /** WAL bytes written but not yet forced beyond which appends fail with {@link TauError#BUSY}. */
  public long maxPendingWalBytes() {
    return maxPendingWalBytes;
  }

  /**
   * WAL size beyond which the engine seals every series' head into chunks and deletes the old WAL.
   */
  public long checkpointWalBytes() {
    return checkpointWalBytes;
  }

  /**
   * Bytes of decoded points the engine keeps of stored chunks read back for queries (16 per point).
   */
  public long chunkCacheBytes() {
    return chunkCacheBytes;
  }

  /** Who receives engine events for metrics. */
  public TauObserver observer() {
    return observer;
  }

  /** Every setting by name, in a stable order, for printing at startup. */
  public Map<String, Object> describe() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("dataDirectory", dataDirectory == null ? "(in memory)" : dataDirectory);
    settings.put("fsyncPolicy", fsyncPolicy);
    settings.put("batchFsyncInterval", batchFsyncInterval);
    settings.put("workerThreads", workerThreads);
    settings.put("callerRuns", callerRuns);
    settings.put("mailboxCapacity", mailboxCapacity);
    settings.put("maxSeries", maxSeries);
    settings.put("maxLenses", maxLenses);
    settings.put("chunkPoints", chunkPoints);
    settings.put("maxPendingWalBytes", maxPendingWalBytes);
    settings.put("checkpointWalBytes", checkpointWalBytes);
    settings.put("chunkCacheBytes", chunkCacheBytes);
    return settings;
  }

  @Override
  public String toString() {
    return "TauConfig" + describe();
  }

  /** Fluent settings for a {@link TauConfig}. */
  public static final class Builder {
    private final Path dataDirectory;
    private FsyncPolicy fsyncPolicy = FsyncPolicy.ALWAYS;
    private Duration batchFsyncInterval = Duration.ofMillis(10);
    private int workerThreads = Runtime.getRuntime().availableProcessors();
    private boolean callerRuns = true;
    private int mailboxCapacity = 1024;
    private int maxSeries = 100_000;
    private int maxLenses = 10_000;
    private int chunkPoints = 4096;
    private long maxPendingWalBytes = 64L * 1024 * 1024;
    private long checkpointWalBytes = 256L * 1024 * 1024;
    private long chunkCacheBytes = 64L * 1024 * 1024;
    private TauObserver observer = TauObserver.NONE;

    private Builder(Path dataDirectory) {
      this.dataDirectory = dataDirectory;
    }

    public Builder fsyncPolicy(FsyncPolicy policy) {
      this.fsyncPolicy = Objects.requireNonNull(policy, "fsyncPolicy");
      return this;
    }

    public Builder batchFsyncInterval(Duration interval) {
      this.batchFsyncInterval = Objects.requireNonNull(interval, "batchFsyncInterval");
      return this;
    }

    public Builder workerThreads(int threads) {
      this.workerThreads = threads;
      return this;
    }

    /**
     * When true (the default), a thread that offers a command to an idle series runs that series'
     * actor itself for one bounded turn (at most 256 commands), and only the rest goes to the
     * worker pool. The series keeps a single writer either way. It saves a thread hand-off per
     * request: measured on 2 cores at 350K pipelined APPENDs/s, the share of requests answered
     * within 2.5 ms rose from 95-96% to 98.5-99% and server CPU fell. Set false when callers must
     * never do engine work themselves (the call then only queues and returns).
     */
    public Builder callerRuns(boolean callerRuns) {
      this.callerRuns = callerRuns;
      return this;
    }

    public Builder mailboxCapacity(int capacity) {
      this.mailboxCapacity = capacity;
      return this;
    }

    public Builder maxSeries(int max) {
      this.maxSeries = max;
      return this;
    }

    public Builder maxLenses(int max) {
      this.maxLenses = max;
      return this;
    }

    public Builder chunkPoints(int points) {
      this.chunkPoints = points;
      return this;
    }

    public Builder maxPendingWalBytes(long bytes) {
      this.maxPendingWalBytes = bytes;
      return this;
    }

    public Builder checkpointWalBytes(long bytes) {
      this.checkpointWalBytes = bytes;
      return this;
    }

    public Builder chunkCacheBytes(long bytes) {
      this.chunkCacheBytes = bytes;
      return this;
    }

    public Builder observer(TauObserver observer) {
      this.observer = Objects.requireNonNull(observer, "observer");
      return this;
    }

    /**
     * Validates every setting.
     *
     * @throws IllegalArgumentException naming the first setting that is out of range, as {@code
     *     name=value}
     */
    public TauConfig build() {
      require(
          workerThreads >= 1 && workerThreads <= 1024, "workerThreads", workerThreads, "1..1024");
      require(
          mailboxCapacity >= 1 && mailboxCapacity <= 1 << 20,
          "mailboxCapacity",
          mailboxCapacity,
          "1..1048576");
      require(maxSeries >= 1, "maxSeries", maxSeries, ">= 1");
      require(maxLenses >= 0, "maxLenses", maxLenses, ">= 0");
      require(
          chunkPoints >= 16 && chunkPoints <= 1 << 20, "chunkPoints", chunkPoints, "16..1048576");
      require(
          maxPendingWalBytes >= 1 << 20, "maxPendingWalBytes", maxPendingWalBytes, ">= 1048576");
      require(
          checkpointWalBytes >= 1 << 20, "checkpointWalBytes", checkpointWalBytes, ">= 1048576");
      require(chunkCacheBytes >= 0, "chunkCacheBytes", chunkCacheBytes, ">= 0");
      require(
          !batchFsyncInterval.isNegative() && !batchFsyncInterval.isZero(),
          "batchFsyncInterval",
          batchFsyncInterval,
          "> 0");
      if (dataDirectory == null && fsyncPolicy != FsyncPolicy.NONE) {
        throw new IllegalArgumentException(
            "fsyncPolicy="
                + fsyncPolicy
                + " needs a data directory; an in-memory engine uses NONE");
      }
      return new TauConfig(this);
    }

    private static void require(boolean ok, String name, Object value, String range) {
      if (!ok) {
        throw new IllegalArgumentException(name + "=" + value + " must be " + range);
      }
    }
  }
}
