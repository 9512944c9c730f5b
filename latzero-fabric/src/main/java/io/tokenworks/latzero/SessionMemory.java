package io.tokenworks.latzero;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenworks.latzero.memory.AttachMode;
import io.tokenworks.latzero.memory.BlockBytes;
import io.tokenworks.latzero.memory.BlockInfo;
import io.tokenworks.latzero.memory.BlockListener;
import io.tokenworks.latzero.memory.BlockManager;
import io.tokenworks.latzero.memory.BlockPermissions;
import io.tokenworks.latzero.memory.BlockType;
import io.tokenworks.latzero.memory.BlockWriteEvent;
import io.tokenworks.latzero.memory.Caller;
import io.tokenworks.latzero.memory.LockGrant;
import io.tokenworks.latzero.memory.MemoryException;
import io.tokenworks.latzero.pool.PoolInfo;
import io.tokenworks.latzero.security.Capability;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A session's shared-memory blocks: every operation acts as the session's app, inside pools the
 * session belongs to. Attachments, locks and subscriptions belong to the session and end with it.
 *
 * <p>In an encrypted pool the keys the session presented at its handshake decide what it may do:
 * reading (attach for reading, read, subscribe, inspect, list) needs the CipherShard, writing
 * (create, attach for writing, write, lock, unlock, notify, delete) the OblivionSeal, both with the
 * SigilKey. Block contents in such a pool are what clients wrote: the fabric stores and moves bytes
 * and never holds a key to read them (clients seal and open them with {@code
 * io.tokenworks.latzero.security.PoolCrypto}).
 *
 * <p>Every method throws {@link FabricException} (NOT_MEMBER, POOL_NOT_FOUND, ACCESS_DENIED for a
 * missing capability, SESSION_CLOSED) or {@link MemoryException} (the block's own refusals: see
 * {@link BlockManager}). Thread-safe.
 */
public final class SessionMemory {

  private final BlockManager blocks;
  private final Registry registry;
  private final FabricSession session;
  private final Caller caller;
  private final Map<String, Map<String, String>> credentials;
  private final Map<String, Set<Capability>> capabilities = new ConcurrentHashMap<>();

  SessionMemory(
      BlockManager blocks,
      Registry registry,
      FabricSession session,
      String sessionId,
      Map<String, Map<String, String>> credentials) {
    this.blocks = blocks;
    this.registry = registry;
    this.session = session;
    this.caller = new Caller(session.appId(), sessionId);
    this.credentials = credentials;
  }

  /**
   * Creates a block of {@code size} bytes, zeroed, at content version 0. The session's app becomes
   * its creator (it may delete it whatever the permissions say).
   */
  public BlockInfo create(
      String pool,
      String block,
      int size,
      BlockType type,
      BlockPermissions permissions,
      boolean persistent) {
    require(pool, Capability.WRITE);
    return blocks.create(caller, pool, block, size, type, permissions, persistent);
  }

  /**
   * Attaches the session for reading or writing; the result's {@link BlockInfo#file()} lets a
   * process on the same host map the block itself.
   */
  public BlockInfo attach(String pool, String block, AttachMode mode) {
    require(pool, mode == AttachMode.WRITE ? Capability.WRITE : Capability.READ);
    return blocks.attach(caller, pool, block, mode);
  }

  public void detach(String pool, String block, AttachMode mode) {
    require(pool, Capability.JOIN);
    blocks.detach(caller, pool, block, mode);
  }

  /** Copies {@code length} bytes from {@code offset}, consistent with one content version. */
  public BlockData read(String pool, String block, int offset, int length) {
    require(pool, Capability.READ);
    BlockBytes bytes = blocks.readVersioned(caller, pool, block, offset, length);
    return new BlockData(bytes.data(), bytes.version());
  }

  /** Writes {@code data} at {@code offset} as one new version; returns that version. */
  public long write(String pool, String block, int offset, byte[] data) {
    require(pool, Capability.WRITE);
    return blocks.write(caller, pool, block, offset, data);
  }

  public LockGrant lock(String pool, String block) {
    require(pool, Capability.WRITE);
    return blocks.lock(caller, pool, block);
  }

  public void unlock(String pool, String block, long lockId) {
    require(pool, Capability.WRITE);
    blocks.unlock(caller, pool, block, lockId);
  }

  /**
   * From now on the session's {@link Delivery#onBlockWritten} hears of every write to the block
   * made through the fabric, and {@link Delivery#onBlockNotified} of every {@link #notify}.
   */
  public void subscribe(String pool, String block) {
    require(pool, Capability.READ);
    Delivery delivery = session.delivery();
    blocks.subscribe(
        caller,
        pool,
        block,
        new BlockListener() {
          @Override
          public void onWrite(BlockWriteEvent event) {
            delivery.onBlockWritten(
                event.pool(), event.block(), event.version(), event.writerAppId());
          }

          @Override
          public void onNotify(String p, String b, String originAppId, JsonNode payload) {
            delivery.onBlockNotified(p, b, originAppId, payload);
          }
        });
  }

  public void unsubscribe(String pool, String block) {
    require(pool, Capability.JOIN);
    blocks.unsubscribe(caller, pool, block);
  }

  /** Tells the block's subscribers {@code payload}; returns how many were told. */
  public int notify(String pool, String block, JsonNode payload) {
    require(pool, Capability.WRITE);
    return blocks.notify(caller, pool, block, payload);
  }

  public BlockInfo inspect(String pool, String block) {
    require(pool, Capability.READ);
    return blocks.inspect(caller, pool, block);
  }

  /** The blocks of {@code pool} this app may read or write. */
  public List<BlockInfo> list(String pool) {
    require(pool, Capability.READ);
    return blocks.list(caller, pool);
  }

  /** Deletes a block; unless {@code force}, refused while another session is attached. */
  public void delete(String pool, String block, boolean force) {
    require(pool, Capability.WRITE);
    blocks.delete(caller, pool, block, force);
  }

  /** Ends the session's attachments, locks and subscriptions. */
  void release() {
    blocks.detachAll(caller.sessionId());
  }

  private void require(String pool, Capability needed) {
    if (!session.isOpen()) {
      throw new FabricException(FabricError.SESSION_CLOSED, "the session is closed");
    }
    if (!session.pools().contains(pool)) {
      PoolInfo info = registry.inspectPool(pool); // POOL_NOT_FOUND when there is none
      throw new FabricException(
          FabricError.NOT_MEMBER, "app " + caller.appId() + " is not in pool " + info.name());
    }
    Set<Capability> granted =
        capabilities.computeIfAbsent(
            pool,
            name ->
                PoolKeys.capabilities(
                    registry.inspectPool(name), credentials.getOrDefault(name, Map.of())));
    if (!granted.contains(needed)) {
      throw new FabricException(
          FabricError.ACCESS_DENIED,
          "app "
              + caller.appId()
              + " lacks "
              + needed.name().toLowerCase(Locale.ROOT)
              + " rights in encrypted pool "
              + pool
              + ": present the pool's keys at the handshake");
    }
  }
}
