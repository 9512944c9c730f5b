package io.tokenworks.latzero;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where the fabric pushes what a session receives. A server implements it per connection (encoding
 * frames); an embedded app implements it directly.
 *
 * <p>Callbacks run on whichever thread caused them: the caller's thread for an incoming call, the
 * responder's thread for a result, the fabric's deadline thread for a timeout, a closing session's
 * thread for {@link FabricError#HANDLER_GONE}. They may run concurrently and before {@link
 * LatZeroFabric#handshake} has returned. The fabric holds no lock while calling them, so they may
 * call back into the fabric (a handler may {@link FabricSession#reply} from inside {@link
 * #onCall}); they must not block, and should not throw (a throw from {@link #onCall} fails the call
 * with {@link FabricError#HANDLER_GONE}; other throws are logged and ignored).
 */
public interface Delivery {

  /**
   * A call for this session to handle. Answer it with {@link FabricSession#reply} or {@link
   * FabricSession#replyError} quoting {@link IncomingCall#dispatchId()}.
   *
   * @return {@code false} when this session cannot take the call now (for example, its connection's
   *     write queue is full): the caller then gets {@link FabricError#OVERLOADED} at once
   */
  boolean onCall(IncomingCall call);

  /** A call this session made ({@code callId}) succeeded with {@code result}. */
  void onResult(String callId, JsonNode result);

  /**
   * A call this session made ({@code callId}) failed after it was accepted: {@link
   * FabricError#TIMEOUT}, {@link FabricError#HANDLER_GONE} or {@link FabricError#HANDLER_ERROR}.
   */
  void onCallFailed(String callId, FabricError error, String message);

  /** An event emitted in {@code pool} under a trigger name this session registered. */
  void onEmit(String originAppId, String pool, String name, JsonNode payload);

  /**
   * The fabric closed this session: {@link FabricError#SESSION_REPLACED} when a newer handshake
   * took its app id, {@link FabricError#SERVICE_UNAVAILABLE} when the fabric shuts down. Not called
   * when the owner closes the session itself. A server closes the connection here.
   */
  default void onClosed(FabricError reason, String message) {}

  /**
   * A block this session {@linkplain SessionMemory#subscribe subscribed} to was written through the
   * fabric: it is now at {@code version}. Runs on the writer's thread.
   */
  default void onBlockWritten(String pool, String block, long version, String writerAppId) {}

  /** Someone {@linkplain SessionMemory#notify notified} the subscribers of a block. */
  default void onBlockNotified(String pool, String block, String originAppId, JsonNode payload) {}
}
