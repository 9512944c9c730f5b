package io.tokenworks.latzero;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenworks.latzero.memory.BlockManager;
import io.tokenworks.latzero.pool.PoolInfo;
import io.tokenworks.latzero.pool.PoolSpec;
import io.tokenworks.latzero.route.Endpoint;
import io.tokenworks.latzero.route.Router;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An app's binding to the fabric, from {@link LatZeroFabric#handshake} until {@link #close()}.
 * Thread-safe: a server may call it from any event-loop thread.
 *
 * <p>The call-path methods ({@link #call}, {@link #reply}, {@link #replyError}, {@link #emit})
 * never throw for bad input or refusals: they return a {@link FabricResult}, and outcomes that come
 * later arrive through the session's {@link Delivery}.
 */
public final class FabricSession implements AutoCloseable {

  private final Registry registry;
  private final Router router;
  private final Endpoint endpoint;
  private final Delivery delivery;
  private final List<String> pools;
  private final List<String> triggers;
  private final boolean rehydrated;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final SessionMemory memory;

  /** Numbers sessions for the memory layer, whose attachments and locks belong to a session. */
  private static final AtomicLong SESSIONS = new AtomicLong();

  FabricSession(
      Registry registry,
      Router router,
      Endpoint endpoint,
      Delivery delivery,
      List<String> pools,
      List<String> triggers,
      boolean rehydrated,
      BlockManager blocks,
      Map<String, Map<String, String>> credentials) {
    this.registry = registry;
    this.router = router;
    this.endpoint = endpoint;
    this.delivery = delivery;
    this.pools = List.copyOf(pools);
    this.triggers = List.copyOf(triggers);
    this.rehydrated = rehydrated;
    this.memory =
        new SessionMemory(
            blocks,
            registry,
            this,
            endpoint.appId() + "#" + SESSIONS.incrementAndGet(),
            credentials);
  }

  /** The app this session is bound to. */
  public String appId() {
    return endpoint.appId();
  }

  /** The pools the session belongs to (for a rehydration, the restored ones). */
  public List<String> pools() {
    return pools;
  }

  /** The triggers the session handles (for a rehydration, the restored ones). */
  public List<String> triggers() {
    return triggers;
  }

  /** Whether the handshake restored the app's stored pools and triggers. */
  public boolean rehydrated() {
    return rehydrated;
  }

  /** False once closed by its owner, replaced by a newer handshake, or the fabric closed. */
  public boolean isOpen() {
    return endpoint.isOpen();
  }

  /** This session's shared-memory blocks. */
  public SessionMemory memory() {
    return memory;
  }

  /**
   * Whether the session's app is one of the fabric's admins ({@link FabricConfig#adminAppIds()}).
   */
  public boolean isAdmin() {
    return registry.isAdmin(appId());
  }

  /** Calls this session made that have no outcome yet. */
  public int outstandingCalls() {
    return endpoint.outstandingCalls();
  }

  /**
   * Sends a call. When accepted, exactly one outcome follows through this session's {@link
   * Delivery}: {@link Delivery#onResult}, or {@link Delivery#onCallFailed} with {@link
   * FabricError#TIMEOUT}, {@link FabricError#HANDLER_GONE} or {@link FabricError#HANDLER_ERROR} (it
   * may arrive before this method returns). Refusals come back at once: {@link
   * FabricError#VALIDATION_ERROR}, {@link FabricError#NOT_MEMBER}, {@link
   * FabricError#POOL_NOT_FOUND}, {@link FabricError#TRIGGER_ROUTING_ERROR}, {@link
   * FabricError#DUPLICATE_CALL_ID}, {@link FabricError#OVERLOADED}, {@link
   * FabricError#HANDLER_GONE}, {@link FabricError#SESSION_CLOSED}. A session may call itself.
   */
  public FabricResult call(CallRequest request) {
    return router.call(endpoint, request);
  }

  /**
   * Answers a call this session received, sending {@code result} to the caller. Refused with {@link
   * FabricError#NOT_RESPONDER} when the call was dispatched to another session, and with {@link
   * FabricError#UNKNOWN_CALL} when it is no longer pending (answered, timed out).
   */
  public FabricResult reply(long dispatchId, JsonNode result) {
    return router.reply(endpoint, dispatchId, result);
  }

  /**
   * Answers a call this session received with an error: the caller gets {@link
   * FabricError#HANDLER_ERROR} with {@code message}. Refused as {@link #reply} is.
   */
  public FabricResult replyError(long dispatchId, String message) {
    return router.replyError(endpoint, dispatchId, message);
  }

  /**
   * Fire-and-forget: delivers to every live session in {@code pool} (null means {@code default})
   * that registered trigger {@code name}, this session included when it did, and to nobody in other
   * pools. Refused with {@link FabricError#NOT_MEMBER} or {@link FabricError#POOL_NOT_FOUND} when
   * this session is not in the pool.
   */
  public FabricResult emit(String pool, String name, JsonNode payload) {
    return router.emit(endpoint, pool == null ? CallRequest.DEFAULT_POOL : pool, name, payload);
  }

  /**
   * Creates a pool. Allowed to every app while the fabric auto-creates pools, else to fabric admins
   * only; an empty owner list makes this app the owner.
   *
   * @throws FabricException ACCESS_DENIED, or as {@link LatZeroFabric#createPool}
   */
  public PoolInfo createPool(PoolSpec spec) {
    return registry.createPool(spec, appId());
  }

  /**
   * Deletes a pool this app owns, or whose admin policy allows it; fabric admins may delete any.
   *
   * @throws FabricException ACCESS_DENIED, or as {@link LatZeroFabric#deletePool}
   */
  public void deletePool(String name) {
    registry.deletePool(name, appId());
  }

  /** Every pool, ordered by name; open to every app. */
  public List<PoolInfo> listPools() {
    return registry.listPools();
  }

  /**
   * @throws FabricException POOL_NOT_FOUND
   */
  public PoolInfo inspectPool(String name) {
    return registry.inspectPool(name);
  }

  /**
   * @throws FabricException ACCESS_DENIED unless this app is a fabric admin
   */
  public List<AppInfo> listApps() {
    registry.requireAdmin(appId());
    return registry.apps();
  }

  /**
   * @throws FabricException ACCESS_DENIED unless this app is a fabric admin
   */
  public FabricStatus status() {
    registry.requireAdmin(appId());
    return registry.status();
  }

  /**
   * Unbinds the session: calls it made are dropped, calls dispatched to it fail at once for their
   * callers with {@link FabricError#HANDLER_GONE}. Idempotent.
   */
  @Override
  public void close() {
    registry.closeSession(this, null, null);
  }

  Endpoint endpoint() {
    return endpoint;
  }

  Delivery delivery() {
    return delivery;
  }

  /** Claims the closing of this session; {@code true} exactly once. */
  boolean markClosed() {
    return closed.compareAndSet(false, true);
  }

  @Override
  public String toString() {
    return "FabricSession[" + appId() + (isOpen() ? "" : ", closed") + "]";
  }
}
