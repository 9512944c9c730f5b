package io.tokenworks.latzero.memory;

import io.tokenworks.protocol.latzero.block.SharedBlockDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

/**
 * Configuration of a {@link BlockManager}, validated when built. Start from {@link #defaults} and
 * change fields with the {@code with…} methods.
 *
 * @param root the directory holding {@code <pool>/<block>} files
 * @param maxBlockSize the largest block {@link BlockManager#create} accepts, in bytes
 * @param idleTimeout how long a non-persistent block with no attachment, lock or subscriber must
 *     stay untouched before {@link BlockManager#collectIdle} removes it
 * @param lockLease how long a lock lasts, and how long the manager's own lease for one unlocked
 *     write lasts (what another writer waits if the server dies mid-write)
 * @param readTimeout how long a read waits for a block stuck mid-write before {@link
 *     MemoryError#BUSY}
 * @param clock the wall clock for leases and idleness (tests replace it)
 * @param catalog where block metadata is kept
 */
public record BlockManagerConfig(
    Path root,
    int maxBlockSize,
    Duration idleTimeout,
    Duration lockLease,
    Duration readTimeout,
    EpochClock clock,
    BlockCatalog catalog) {

  /** Upstream's configured (but never enforced) maximum: 16 MiB. */
  public static final int DEFAULT_MAX_BLOCK_SIZE = 16 * 1024 * 1024;

  /** Upstream collects blocks idle for an hour. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);

  /** Upstream's lock timeout. */
  public static final Duration DEFAULT_LOCK_LEASE = Duration.ofSeconds(5);

  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);

  /**
   * @throws IllegalArgumentException for a size limit outside [1, the format's maximum] or a
   *     duration that is not positive
   */
  public BlockManagerConfig {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(catalog, "catalog");
    if (maxBlockSize < 1 || maxBlockSize > SharedBlockDescriptor.MAX_DATA_SIZE) {
      throw new IllegalArgumentException(
          "maxBlockSize="
              + maxBlockSize
              + " must be in [1, "
              + SharedBlockDescriptor.MAX_DATA_SIZE
              + "]");
    }
    checkPositive("idleTimeout", idleTimeout);
    checkPositive("lockLease", lockLease);
    checkPositive("readTimeout", readTimeout);
  }

  /** The defaults: {@link #defaultRoot(Path)}, 16 MiB, 1 h idle, 5 s locks, 5 s reads. */
  public static BlockManagerConfig defaults(Path dataDir, BlockCatalog catalog) {
    return new BlockManagerConfig(
        defaultRoot(dataDir),
        DEFAULT_MAX_BLOCK_SIZE,
        DEFAULT_IDLE_TIMEOUT,
        DEFAULT_LOCK_LEASE,
        DEFAULT_READ_TIMEOUT,
        SystemEpochClock.INSTANCE,
        catalog);
  }

  /**
   * {@code /dev/shm/latzero} on Linux when {@code /dev/shm} exists (memory-backed, so blocks cost
   * no disk I/O, but they do not survive a reboot), else {@code <dataDir>/memory}.
   */
  public static Path defaultRoot(Path dataDir) {
    return defaultRoot(dataDir, System.getProperty("os.name", ""), Path.of("/dev/shm"));
  }

  static Path defaultRoot(Path dataDir, String osName, Path shm) {
    if (osName.toLowerCase(Locale.ROOT).contains("linux") && Files.isDirectory(shm)) {
      return shm.resolve("latzero");
    }
    return dataDir.resolve("memory");
  }

  public BlockManagerConfig withRoot(Path root) {
    return new BlockManagerConfig(
        root, maxBlockSize, idleTimeout, lockLease, readTimeout, clock, catalog);
  }

  public BlockManagerConfig withMaxBlockSize(int maxBlockSize) {
    return new BlockManagerConfig(
        root, maxBlockSize, idleTimeout, lockLease, readTimeout, clock, catalog);
  }

  public BlockManagerConfig withIdleTimeout(Duration idleTimeout) {
    return new BlockManagerConfig(
        root, maxBlockSize, idleTimeout, lockLease, readTimeout, clock, catalog);
  }

  public BlockManagerConfig withLockLease(Duration lockLease) {
    return new BlockManagerConfig(
        root, maxBlockSize, idleTimeout, lockLease, readTimeout, clock, catalog);
  }

  public BlockManagerConfig withReadTimeout(Duration readTimeout) {
    return new BlockManagerConfig(
        root, maxBlockSize, idleTimeout, lockLease, readTimeout, clock, catalog);
  }

  public BlockManagerConfig withClock(EpochClock clock) {
    return new BlockManagerConfig(
        root, maxBlockSize, idleTimeout, lockLease, readTimeout, clock, catalog);
  }

  private static void checkPositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + "=" + value + " must be positive");
    }
  }
}
