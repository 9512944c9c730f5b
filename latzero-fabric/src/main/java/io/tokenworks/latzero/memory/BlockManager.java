package io.tokenworks.latzero.memory;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenworks.protocol.latzero.block.SharedBlock;
import io.tokenworks.protocol.latzero.block.SharedBlockException;
import io.tokenworks.protocol.latzero.block.SharedBlockOptions;
import io.tokenworks.protocol.latzero.block.WriteLease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.agrona.concurrent.EpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of LatZero memory blocks: one file per block at {@code <root>/<pool>/<block>} in
 * the {@code SharedBlock} format, with permissions, per-session reference counts, locks with
 * fencing tokens, write subscriptions, idle collection and durable metadata in a {@link
 * BlockCatalog}.
 *
 * <p>Every operation names the acting {@link Caller}: permissions are checked against its app id,
 * attachments, locks and subscriptions belong to its session. Reads and writes need an attachment
 * (writes and locks one in write mode). A lock is the block file's write lease, so processes that
 * map the file directly and honour leases are excluded too; a write without a lock takes a short
 * lease of its own and fails with {@link MemoryError#LOCK_HELD} while someone else holds one.
 *
 * <p>Thread-safe. Reads and writes of different blocks never contend; data copies run outside every
 * monitor; subscribers are called after the write with no lock held. Idle collection runs when the
 * embedder calls {@link #collectIdle()} (upstream sweeps every 5 minutes): the manager owns no
 * thread.
 */
public final class BlockManager implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BlockManager.class);

  private final Path root;
  private final BlockManagerConfig config;
  private final BlockCatalog catalog;
  private final EpochClock clock;
  private final SharedBlockOptions blockOptions;
  private final long lockLeaseMs;
  private final long idleMs;

  /** The owner id this manager's leases publish in block files: the server's pid. */
  private final long ownerId = ProcessHandle.current().pid();

  private final Map<BlockKey, ManagedBlock> blocks = new ConcurrentHashMap<>();

  /** Guards changes to the set of blocks (create, delete, collect, close), not their use. */
  private final Object structure = new Object();

  private volatile boolean closed;

  private BlockManager(BlockManagerConfig config) {
    this.root = config.root().toAbsolutePath().normalize();
    this.config = config;
    this.catalog = config.catalog();
    this.clock = config.clock();
    this.blockOptions = new SharedBlockOptions(clock, config.readTimeout());
    this.lockLeaseMs = config.lockLease().toMillis();
    this.idleMs = config.idleTimeout().toMillis();
  }

  /**
   * Opens a manager: creates the root directory and maps every block the catalog lists, keeping its
   * contents. A listed block whose file vanished (e.g. {@code /dev/shm} after a reboot) is created
   * again, empty, when persistent and forgotten otherwise; one whose file is not a valid block is
   * left untouched and skipped, with a warning.
   *
   * @throws MemoryException {@link MemoryError#STORAGE_FAILURE} when the root cannot be created
   */
  public static BlockManager open(BlockManagerConfig config) {
    BlockManager manager = new BlockManager(config);
    try {
      Files.createDirectories(manager.root);
    } catch (IOException e) {
      throw new MemoryException(
          MemoryError.STORAGE_FAILURE, "cannot create block root " + manager.root + ": " + e, e);
    }
    long nowMs = manager.clock.time();
    for (BlockRecord record : config.catalog().loadAll()) {
      ManagedBlock managed =
          BlockRecovery.load(record, manager.root, manager.catalog, manager.blockOptions, nowMs);
      if (managed != null) {
        manager.blocks.put(BlockKey.of(record.pool(), record.block()), managed);
      }
    }
    return manager;
  }

  public Path root() {
    return root;
  }

  public BlockManagerConfig config() {
    return config;
  }

  /**
   * Creates a block and its file, zero-filled.
   *
   * @param caller the creator; it may later delete the block even without write permission
   * @throws MemoryException {@link MemoryError#INVALID_NAME}, {@link MemoryError#INVALID_SIZE},
   *     {@link MemoryError#SIZE_LIMIT}, {@link MemoryError#BLOCK_EXISTS} (also when a file not in
   *     the catalog sits at the path), {@link MemoryError#STORAGE_FAILURE}
   */
  public BlockInfo create(
      Caller caller,
      String pool,
      String block,
      int size,
      BlockType type,
      BlockPermissions permissions,
      boolean persistent) {
    ensureOpen();
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(permissions, "permissions");
    BlockKey key = BlockKey.of(pool, block);
    if (size < 1) {
      throw new MemoryException(MemoryError.INVALID_SIZE, "size=" + size + " must be at least 1");
    }
    if (size > config.maxBlockSize()) {
      throw new MemoryException(
          MemoryError.SIZE_LIMIT,
          "size=" + size + " exceeds the limit of " + config.maxBlockSize() + " bytes");
    }
    Path file = BlockNames.file(root, pool, block);
    synchronized (structure) {
      ensureOpen();
      if (blocks.containsKey(key) || Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new MemoryException(
            MemoryError.BLOCK_EXISTS, "block " + key + " already exists at " + file);
      }
      BlockRecord record =
          new BlockRecord(
              pool, block, size, type, permissions, persistent, clock.time(), caller.appId());
      // Catalog first: a crash before the file exists leaves a record the next open repairs.
      catalog.save(record);
      SharedBlock shared;
      try {
        shared = SharedBlock.create(file, size, blockOptions);
      } catch (SharedBlockException e) {
        catalog.remove(pool, block);
        throw MemoryErrors.translate(e, key);
      }
      ManagedBlock managed = new ManagedBlock(record, file, shared, record.createdAtEpochMs());
      blocks.put(key, managed);
      return managed.info();
    }
  }

  /**
   * Adds one attachment of the caller's session (reference counts are per session and mode).
   *
   * @throws MemoryException {@link MemoryError#ACCESS_DENIED} without the mode's permission, {@link
   *     MemoryError#BLOCK_NOT_FOUND}, {@link MemoryError#INVALID_NAME}
   */
  public BlockInfo attach(Caller caller, String pool, String block, AttachMode mode) {
    ManagedBlock managed = find(pool, block);
    Objects.requireNonNull(mode, "mode");
    boolean allowed =
        mode == AttachMode.READ
            ? managed.record.permissions().mayRead(caller.appId())
            : managed.record.permissions().mayWrite(caller.appId());
    if (!allowed) {
      throw MemoryErrors.denied(caller, managed, mode == AttachMode.READ ? "read" : "write");
    }
    managed.attach(caller, mode, clock.time());
    return managed.info();
  }

  /**
   * Removes one attachment of the caller's session in {@code mode}.
   *
   * @throws MemoryException {@link MemoryError#NOT_ATTACHED}, {@link MemoryError#BLOCK_NOT_FOUND}
   */
  public void detach(Caller caller, String pool, String block, AttachMode mode) {
    ManagedBlock managed = find(pool, block);
    managed.detach(caller, Objects.requireNonNull(mode, "mode"), clock.time());
  }

  /**
   * Copies {@code length} bytes at {@code offset}, all from one version.
   *
   * @throws MemoryException {@link MemoryError#ACCESS_DENIED}, {@link MemoryError#NOT_ATTACHED},
   *     {@link MemoryError#OUT_OF_BOUNDS}, {@link MemoryError#BUSY}, {@link
   *     MemoryError#BLOCK_NOT_FOUND}
   */
  public byte[] read(Caller caller, String pool, String block, int offset, int length) {
    return readVersioned(caller, pool, block, offset, length).data();
  }

  /**
   * {@link #read} with the content version the copy belongs to.
   *
   * @throws MemoryException as {@link #read}
   */
  public BlockBytes readVersioned(
      Caller caller, String pool, String block, int offset, int length) {
    ManagedBlock managed = find(pool, block);
    if (!managed.record.permissions().mayRead(caller.appId())) {
      throw MemoryErrors.denied(caller, managed, "read");
    }
    managed.requireAttached(caller, AttachMode.READ, clock.time());
    MemoryErrors.checkBounds(managed, offset, length);
    byte[] bytes = new byte[length];
    try {
      long version = managed.shared.read(offset, bytes, 0, length);
      return new BlockBytes(bytes, version);
    } catch (SharedBlockException e) {
      throw MemoryErrors.translate(e, managed);
    }
  }

  /**
   * Tells the block's subscribers {@code payload} without writing (upstream's {@code notify}).
   * Needs write permission: it speaks for the block to everyone who reads it.
   *
   * @return how many subscribers were told
   * @throws MemoryException {@link MemoryError#ACCESS_DENIED}, {@link MemoryError#BLOCK_NOT_FOUND}
   */
  public int notify(Caller caller, String pool, String block, JsonNode payload) {
    ManagedBlock managed = find(pool, block);
    if (!managed.record.permissions().mayWrite(caller.appId())) {
      throw MemoryErrors.denied(caller, managed, "notify");
    }
    List<BlockListener> listeners = managed.listeners();
    for (BlockListener listener : listeners) {
      try {
        listener.onNotify(managed.record.pool(), managed.record.block(), caller.appId(), payload);
      } catch (RuntimeException e) {
        LOG.warn("a subscriber of block {} failed: {}", managed.name(), e.toString());
      }
    }
    return listeners.size();
  }

  /**
   * Writes {@code data} at {@code offset} as one version and then tells the block's subscribers.
   * Under the caller's lock when its session holds one; otherwise under a lease of the manager's
   * own for this write only.
   *
   * @return the block's content version after the write
   * @throws MemoryException {@link MemoryError#ACCESS_DENIED}, {@link MemoryError#NOT_ATTACHED} (a
   *     write-mode attachment is needed), {@link MemoryError#OUT_OF_BOUNDS}, {@link
   *     MemoryError#LOCK_HELD} while another session or process holds the lock, {@link
   *     MemoryError#LOCK_EXPIRED} when the caller's own lock lapsed, {@link
   *     MemoryError#NOT_LOCK_HOLDER} when it was taken over, {@link MemoryError#BLOCK_NOT_FOUND}
   */
  public long write(Caller caller, String pool, String block, int offset, byte[] data) {
    ManagedBlock managed = find(pool, block);
    Objects.requireNonNull(data, "data");
    if (!managed.record.permissions().mayWrite(caller.appId())) {
      throw MemoryErrors.denied(caller, managed, "write");
    }
    managed.requireAttached(caller, AttachMode.WRITE, clock.time());
    MemoryErrors.checkBounds(managed, offset, data.length);
    long version;
    try {
      WriteLease own = managed.lockOf(caller.sessionId());
      version =
          own != null ? write(managed, own, offset, data) : writeUnlocked(managed, offset, data);
    } catch (SharedBlockException e) {
      throw MemoryErrors.translate(e, managed);
    }
    notifyListeners(
        managed,
        new BlockWriteEvent(
            managed.record.pool(),
            managed.record.block(),
            offset,
            data.length,
            version,
            caller.appId()));
    return version;
  }

  /**
   * Locks the block for the caller's session: the block file's write lease, for the configured lock
   * lease. Does not wait.
   *
   * @return the lock id (a fencing token, higher than every earlier lock's on the file) and expiry
   * @throws MemoryException {@link MemoryError#LOCK_HELD} while another session or process (or this
   *     session already) holds it, {@link MemoryError#ACCESS_DENIED}, {@link
   *     MemoryError#NOT_ATTACHED}, {@link MemoryError#BLOCK_NOT_FOUND}
   */
  public LockGrant lock(Caller caller, String pool, String block) {
    ManagedBlock managed = find(pool, block);
    if (!managed.record.permissions().mayWrite(caller.appId())) {
      throw MemoryErrors.denied(caller, managed, "write");
    }
    long nowMs = clock.time();
    managed.requireAttached(caller, AttachMode.WRITE, nowMs);
    managed.leaseLock.lock();
    try {
      WriteLease held = managed.lockOf(caller.sessionId());
      if (held != null && nowMs < held.expiresAtEpochMs()) {
        throw new MemoryException(
            MemoryError.LOCK_HELD,
            "session "
                + caller.sessionId()
                + " already holds lock "
                + held.fencingToken()
                + " on "
                + managed.name());
      }
      WriteLease lease = managed.shared.acquireWrite(ownerId, lockLeaseMs);
      managed.grantLock(caller.sessionId(), lease, nowMs);
      return new LockGrant(lease.fencingToken(), lease.expiresAtEpochMs());
    } catch (SharedBlockException e) {
      throw MemoryErrors.translate(e, managed);
    } finally {
      managed.leaseLock.unlock();
    }
  }

  /**
   * Releases the caller's lock {@code lockId}.
   *
   * @throws MemoryException {@link MemoryError#NOT_LOCK_HOLDER} when the session holds no lock with
   *     that id (a wrong id, another session's lock, or one taken over after it expired), {@link
   *     MemoryError#BLOCK_NOT_FOUND}
   */
  public void unlock(Caller caller, String pool, String block, long lockId) {
    ManagedBlock managed = find(pool, block);
    WriteLease lease = managed.takeLock(caller.sessionId(), lockId, clock.time());
    boolean released;
    try {
      released = managed.shared.release(lease);
    } catch (SharedBlockException e) {
      throw MemoryErrors.translate(e, managed);
    }
    if (!released) {
      throw new MemoryException(
          MemoryError.NOT_LOCK_HOLDER,
          "lock " + lockId + " on " + managed.name() + " expired and was taken over");
    }
  }

  /**
   * Registers the session's listener for writes to the block, replacing its previous one.
   *
   * @throws MemoryException {@link MemoryError#ACCESS_DENIED} without read permission, {@link
   *     MemoryError#BLOCK_NOT_FOUND}
   */
  public void subscribe(Caller caller, String pool, String block, BlockListener listener) {
    ManagedBlock managed = find(pool, block);
    Objects.requireNonNull(listener, "listener");
    if (!managed.record.permissions().mayRead(caller.appId())) {
      throw MemoryErrors.denied(caller, managed, "read");
    }
    managed.subscribe(caller.sessionId(), listener);
  }

  /**
   * Removes the session's listener.
   *
   * @return false when the session had none on this block
   */
  public boolean unsubscribe(Caller caller, String pool, String block) {
    return find(pool, block).unsubscribe(caller.sessionId());
  }

  /**
   * Forgets a closed session everywhere: its attachments, subscriptions and locks (released at
   * once, so other writers need not wait for them to expire).
   */
  public void detachAll(String sessionId) {
    Objects.requireNonNull(sessionId, "sessionId");
    long nowMs = clock.time();
    for (ManagedBlock managed : blocks.values()) {
      WriteLease lock = managed.dropSession(sessionId, nowMs);
      if (lock != null) {
        releaseQuietly(managed, lock);
      }
    }
  }

  /**
   * A snapshot of one block.
   *
   * @throws MemoryException {@link MemoryError#ACCESS_DENIED} without read or write permission,
   *     {@link MemoryError#BLOCK_NOT_FOUND}
   */
  public BlockInfo inspect(Caller caller, String pool, String block) {
    ManagedBlock managed = find(pool, block);
    if (!visibleTo(managed, caller)) {
      throw MemoryErrors.denied(caller, managed, "read or write");
    }
    try {
      return managed.info();
    } catch (SharedBlockException e) {
      throw MemoryErrors.translate(e, managed);
    }
  }

  /** The pool's blocks the caller may read or write, by name. */
  public List<BlockInfo> list(Caller caller, String pool) {
    ensureOpen();
    BlockNames.checkPool(pool);
    return blocks.values().stream()
        .filter(b -> b.record.pool().equals(pool) && visibleTo(b, caller))
        .sorted(Comparator.comparing(b -> b.record.block()))
        .map(ManagedBlock::infoIfLive)
        .filter(Objects::nonNull)
        .toList();
  }

  /**
   * Deletes a block: its file, catalog record, attachments, lock and subscriptions.
   *
   * @param force delete even while sessions are attached
   * @throws MemoryException {@link MemoryError#BLOCK_IN_USE} while attached and not forced, {@link
   *     MemoryError#ACCESS_DENIED} unless the caller created the block or may write it, {@link
   *     MemoryError#BLOCK_NOT_FOUND}, {@link MemoryError#STORAGE_FAILURE} when the file cannot be
   *     removed (the block is gone from the manager all the same)
   */
  public void delete(Caller caller, String pool, String block, boolean force) {
    ManagedBlock managed = find(pool, block);
    if (!caller.appId().equals(managed.record.createdBy())
        && !managed.record.permissions().mayWrite(caller.appId())) {
      throw MemoryErrors.denied(caller, managed, "write");
    }
    synchronized (structure) {
      managed.remove(force);
      blocks.remove(BlockKey.of(pool, block), managed);
    }
    discard(managed);
  }

  /**
   * Removes every non-persistent block that has had no attachment, subscriber or lease and no
   * access for the idle timeout, unlinking its file. Persistent blocks are never collected.
   *
   * @return how many blocks were removed
   */
  public int collectIdle() {
    ensureOpen();
    long nowMs = clock.time();
    int removed = 0;
    for (Map.Entry<BlockKey, ManagedBlock> entry : blocks.entrySet()) {
      ManagedBlock managed = entry.getValue();
      synchronized (structure) {
        if (closed || !managed.removeIfIdle(nowMs, idleMs)) {
          continue;
        }
        blocks.remove(entry.getKey(), managed);
      }
      try {
        discard(managed);
        removed++;
      } catch (MemoryException e) {
        LOG.warn("idle block {} collected but its file stays: {}", managed.name(), e.getMessage());
      }
    }
    return removed;
  }

  /** Unmaps nothing early (see SharedBlock) but releases this manager's locks and forgets all. */
  @Override
  public void close() {
    synchronized (structure) {
      if (closed) {
        return;
      }
      closed = true;
      for (ManagedBlock managed : blocks.values()) {
        managed.shared.close();
      }
      blocks.clear();
    }
  }

  private long write(ManagedBlock managed, WriteLease lease, int offset, byte[] data) {
    return managed.shared.write(lease, offset, data, 0, data.length);
  }

  private long writeUnlocked(ManagedBlock managed, int offset, byte[] data) {
    managed.leaseLock.lock();
    try {
      WriteLease lease = managed.shared.acquireWrite(ownerId, lockLeaseMs);
      try {
        return write(managed, lease, offset, data);
      } finally {
        managed.shared.release(lease);
      }
    } finally {
      managed.leaseLock.unlock();
    }
  }

  private void notifyListeners(ManagedBlock managed, BlockWriteEvent event) {
    for (BlockListener listener : managed.listeners()) {
      try {
        listener.onWrite(event);
      } catch (RuntimeException e) {
        LOG.warn("a subscriber of block {} failed: {}", managed.name(), e.toString());
      }
    }
  }

  /** After removal from the map: closes the mapping, unlinks the file, then drops the record. */
  private void discard(ManagedBlock managed) {
    managed.shared.close();
    try {
      Files.deleteIfExists(managed.file);
    } catch (IOException e) {
      throw new MemoryException(
          MemoryError.STORAGE_FAILURE, "cannot remove " + managed.file + ": " + e, e);
    } finally {
      catalog.remove(managed.record.pool(), managed.record.block());
    }
  }

  private void releaseQuietly(ManagedBlock managed, WriteLease lease) {
    try {
      managed.shared.release(lease);
    } catch (SharedBlockException e) {
      LOG.debug("lock on {} not released: {}", managed.name(), e.getMessage());
    }
  }

  private ManagedBlock find(String pool, String block) {
    ensureOpen();
    BlockKey key = BlockKey.of(pool, block);
    ManagedBlock managed = blocks.get(key);
    if (managed == null) {
      throw new MemoryException(MemoryError.BLOCK_NOT_FOUND, "no block " + key);
    }
    return managed;
  }

  private static boolean visibleTo(ManagedBlock managed, Caller caller) {
    BlockPermissions permissions = managed.record.permissions();
    return permissions.mayRead(caller.appId()) || permissions.mayWrite(caller.appId());
  }

  private void ensureOpen() {
    if (closed) {
      throw new MemoryException(MemoryError.CLOSED, "the block manager is closed");
    }
  }
}
