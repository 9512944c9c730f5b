package io.tokenworks.latzero;

import io.tokenworks.latzero.memory.BlockManagerConfig;
import io.tokenworks.latzero.pool.PoolAccessPolicy;
import io.tokenworks.protocol.latzero.block.SharedBlockDescriptor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * How a {@link LatZeroFabric} runs. Build one with {@link #builder(Path)}; every setting has a
 * default, and {@link Builder#build()} checks them all at once, throwing {@link
 * IllegalArgumentException} with a {@code name=value} message for the first bad one.
 */
public final class FabricConfig {

  private final Path dataDirectory;
  private final boolean autoCreatePools;
  private final Duration defaultTtl;
  private final Duration maxTtl;
  private final int maxOutstandingCallsPerSession;
  private final int maxOutstandingCalls;
  private final int maxPools;
  private final Duration backupInterval;
  private final int backupsKept;
  private final Set<String> adminAppIds;
  private final PoolAccessPolicy poolAccessPolicy;
  private final Path memoryRoot;
  private final int maxBlockSize;
  private final Duration blockIdleTimeout;
  private final Clock clock;
  private final boolean clockGiven;

  private FabricConfig(Builder builder) {
    this.dataDirectory = builder.dataDirectory;
    this.autoCreatePools = builder.autoCreatePools;
    this.defaultTtl = builder.defaultTtl;
    this.maxTtl = builder.maxTtl;
    this.maxOutstandingCallsPerSession = builder.maxOutstandingCallsPerSession;
    this.maxOutstandingCalls = builder.maxOutstandingCalls;
    this.maxPools = builder.maxPools;
    this.backupInterval = builder.backupInterval;
    this.backupsKept = builder.backupsKept;
    this.adminAppIds = Set.copyOf(builder.adminAppIds);
    this.poolAccessPolicy = builder.poolAccessPolicy;
    this.memoryRoot =
        builder.memoryRoot != null
            ? builder.memoryRoot
            : BlockManagerConfig.defaultRoot(builder.dataDirectory);
    this.maxBlockSize = builder.maxBlockSize;
    this.blockIdleTimeout = builder.blockIdleTimeout;
    this.clock = builder.clock;
    this.clockGiven = builder.clockGiven;
  }

  /** A fabric keeping its database and backups under {@code dataDirectory}. */
  public static Builder builder(Path dataDirectory) {
    return new Builder(Objects.requireNonNull(dataDirectory, "dataDirectory"));
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  /**
   * Whether a handshake naming an unknown pool creates it (as a {@code local} pool with default
   * policies, owned by that app) instead of failing with {@link FabricError#POOL_NOT_FOUND}.
   */
  public boolean autoCreatePools() {
    return autoCreatePools;
  }

  /** The deadline of a call that names none (upstream: 30 s). */
  public Duration defaultTtl() {
    return defaultTtl;
  }

  /** The longest deadline a call may ask for; longer is a {@link FabricError#VALIDATION_ERROR}. */
  public Duration maxTtl() {
    return maxTtl;
  }

  /** Calls one session may have outstanding; one more fails with {@link FabricError#OVERLOADED}. */
  public int maxOutstandingCallsPerSession() {
    return maxOutstandingCallsPerSession;
  }

  /**
   * Calls the whole fabric may have outstanding (upstream capped its records at 10,000); one more
   * fails with {@link FabricError#OVERLOADED}.
   */
  public int maxOutstandingCalls() {
    return maxOutstandingCalls;
  }

  /** Pools the fabric may hold; one more fails with {@link FabricError#LIMIT_REACHED}. */
  public int maxPools() {
    return maxPools;
  }

  /** How often a backup is taken; zero means never on a schedule (only on demand). */
  public Duration backupInterval() {
    return backupInterval;
  }

  /** How many backups are kept; older ones are deleted after each backup. */
  public int backupsKept() {
    return backupsKept;
  }

  /**
   * Apps that may administer the fabric through their sessions: list apps, read the status, create
   * and delete any pool.
   */
  public Set<String> adminAppIds() {
    return adminAppIds;
  }

  /**
   * Decides who may join an encrypted pool. The default checks the keys a handshake presents for
   * the pool against the verifiers stored when the pool was created: the SigilKey grants joining.
   */
  public PoolAccessPolicy poolAccessPolicy() {
    return poolAccessPolicy;
  }

  /**
   * Where block files live, as {@code <memoryRoot>/<pool>/<block>}: by default {@code
   * /dev/shm/latzero} when that exists (Linux), else {@code <dataDir>/memory}.
   */
  public Path memoryRoot() {
    return memoryRoot;
  }

  /** The largest shared-memory block, in bytes (upstream's 16 MiB, which it never enforced). */
  public int maxBlockSize() {
    return maxBlockSize;
  }

  /**
   * How long a non-persistent block with no attachment, lock or subscriber stays before it is
   * collected (upstream: an hour).
   */
  public Duration blockIdleTimeout() {
    return blockIdleTimeout;
  }

  /** The source of timestamps and deadlines. */
  public Clock clock() {
    return clock;
  }

  /**
   * Milliseconds for deadlines: the given clock's (so tests control expiry), else a monotonic
   * count, so a wall-clock step never fires or delays deadlines.
   */
  LongSupplier deadlineMillis() {
    if (clockGiven) {
      return clock::millis;
    }
    return () -> System.nanoTime() / 1_000_000;
  }

  /** Every setting by name, in a stable order, for printing at startup. */
  public Map<String, Object> describe() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("dataDirectory", dataDirectory);
    settings.put("autoCreatePools", autoCreatePools);
    settings.put("defaultTtl", defaultTtl);
    settings.put("maxTtl", maxTtl);
    settings.put("maxOutstandingCallsPerSession", maxOutstandingCallsPerSession);
    settings.put("maxOutstandingCalls", maxOutstandingCalls);
    settings.put("maxPools", maxPools);
    settings.put("backupInterval", backupInterval);
    settings.put("backupsKept", backupsKept);
    settings.put("adminAppIds", adminAppIds);
    settings.put("memoryRoot", memoryRoot);
    settings.put("maxBlockSize", maxBlockSize);
    settings.put("blockIdleTimeout", blockIdleTimeout);
    return settings;
  }

  @Override
  public String toString() {
    return "FabricConfig" + describe();
  }

  /** Fluent settings for a {@link FabricConfig}. */
  public static final class Builder {
    private final Path dataDirectory;
    private boolean autoCreatePools = true;
    private Duration defaultTtl = Duration.ofSeconds(30);
    private Duration maxTtl = Duration.ofMinutes(10);
    private int maxOutstandingCallsPerSession = 1024;
    private int maxOutstandingCalls = 65_536;
    private int maxPools = 10_000;
    private Duration backupInterval = Duration.ofHours(24);
    private int backupsKept = 7;
    private final Set<String> adminAppIds = new LinkedHashSet<>();
    private PoolAccessPolicy poolAccessPolicy = PoolKeys.ACCESS;
    private Path memoryRoot;
    private int maxBlockSize = BlockManagerConfig.DEFAULT_MAX_BLOCK_SIZE;
    private Duration blockIdleTimeout = BlockManagerConfig.DEFAULT_IDLE_TIMEOUT;
    private Clock clock = Clock.systemUTC();
    private boolean clockGiven;

    private Builder(Path dataDirectory) {
      this.dataDirectory = dataDirectory;
    }

    public Builder autoCreatePools(boolean value) {
      this.autoCreatePools = value;
      return this;
    }

    public Builder defaultTtl(Duration value) {
      this.defaultTtl = Objects.requireNonNull(value, "defaultTtl");
      return this;
    }

    public Builder maxTtl(Duration value) {
      this.maxTtl = Objects.requireNonNull(value, "maxTtl");
      return this;
    }

    public Builder maxOutstandingCallsPerSession(int value) {
      this.maxOutstandingCallsPerSession = value;
      return this;
    }

    public Builder maxOutstandingCalls(int value) {
      this.maxOutstandingCalls = value;
      return this;
    }

    public Builder maxPools(int value) {
      this.maxPools = value;
      return this;
    }

    public Builder backupInterval(Duration value) {
      this.backupInterval = Objects.requireNonNull(value, "backupInterval");
      return this;
    }

    public Builder backupsKept(int value) {
      this.backupsKept = value;
      return this;
    }

    public Builder adminAppIds(String... appIds) {
      adminAppIds.addAll(Set.of(appIds));
      return this;
    }

    public Builder poolAccessPolicy(PoolAccessPolicy value) {
      this.poolAccessPolicy = Objects.requireNonNull(value, "poolAccessPolicy");
      return this;
    }

    /** Where block files live; see {@link FabricConfig#memoryRoot()}. */
    public Builder memoryRoot(Path value) {
      this.memoryRoot = Objects.requireNonNull(value, "memoryRoot");
      return this;
    }

    public Builder maxBlockSize(int value) {
      this.maxBlockSize = value;
      return this;
    }

    public Builder blockIdleTimeout(Duration value) {
      this.blockIdleTimeout = Objects.requireNonNull(value, "blockIdleTimeout");
      return this;
    }

    /** A clock for tests; the deadline thread follows it, so a frozen clock never times out. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      this.clockGiven = true;
      return this;
    }

    public FabricConfig build() {
      positive("defaultTtl", defaultTtl);
      positive("maxTtl", maxTtl);
      if (defaultTtl.compareTo(maxTtl) > 0) {
        throw new IllegalArgumentException(
            "defaultTtl=" + defaultTtl + " must not exceed maxTtl=" + maxTtl);
      }
      atLeastOne("maxOutstandingCallsPerSession", maxOutstandingCallsPerSession);
      atLeastOne("maxOutstandingCalls", maxOutstandingCalls);
      if (maxPools < 2) {
        throw new IllegalArgumentException(
            "maxPools=" + maxPools + " must be at least 2 (default and system always exist)");
      }
      if (backupInterval.isNegative()) {
        throw new IllegalArgumentException(
            "backupInterval=" + backupInterval + " must be zero (off) or positive");
      }
      atLeastOne("backupsKept", backupsKept);
      if (maxBlockSize < 1 || maxBlockSize > SharedBlockDescriptor.MAX_DATA_SIZE) {
        throw new IllegalArgumentException(
            "maxBlockSize="
                + maxBlockSize
                + " must be in [1, "
                + SharedBlockDescriptor.MAX_DATA_SIZE
                + "]");
      }
      positive("blockIdleTimeout", blockIdleTimeout);
      for (String appId : adminAppIds) {
        if (!Names.isValidAppId(appId)) {
          throw new IllegalArgumentException("adminAppIds entry=" + appId + " is not an app id");
        }
      }
      return new FabricConfig(this);
    }

    private static void positive(String name, Duration value) {
      if (value.isZero() || value.isNegative() || value.toMillis() < 1) {
        throw new IllegalArgumentException(name + "=" + value + " must be at least 1 ms");
      }
    }

    private static void atLeastOne(String name, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + "=" + value + " must be at least 1");
      }
    }
  }
}
