package io.tokenworks.latzero;

import java.util.HashMap;
import java.util.Map;

/**
 * Why a fabric operation failed, with a stable {@link #wireName()} for error frames ({@code
 * error_code}). Upstream's names are kept where upstream had the condition; the rest are new.
 * Parsing and framing errors belong to the server, not here.
 */
public enum FabricError {
  /** The handshake is malformed: a bad app id, pool or trigger name, or too many of them. */
  HANDSHAKE_ERROR("HANDSHAKE_ERROR"),
  /** A request field is missing or out of range (call id, ttl, pool spec, policy entry). */
  VALIDATION_ERROR("VALIDATION_ERROR"),
  /**
   * No live handler can take the call: nobody in the pool registered the trigger, or the named
   * destination is offline, not in the pool, or did not register the trigger.
   */
  TRIGGER_ROUTING_ERROR("TRIGGER_ROUTING_ERROR"),
  /** The call's deadline passed before the handler answered (upstream text: "Request timeout"). */
  TIMEOUT("TIMEOUT"),
  /** A pool policy, the pool access policy or the fabric's admin list refused the app. */
  ACCESS_DENIED("ACCESS_DENIED"),
  /** The fabric is closed or closing. */
  SERVICE_UNAVAILABLE("SERVICE_UNAVAILABLE"),
  /** The session the call was dispatched to closed (or was replaced) before it answered. */
  HANDLER_GONE("HANDLER_GONE"),
  /** The handler answered the call with an error; the message is the handler's. */
  HANDLER_ERROR("HANDLER_ERROR"),
  /**
   * A bound was hit: the caller's outstanding calls, the fabric's outstanding calls, or the
   * handler's delivery refused the call. Retry later.
   */
  OVERLOADED("OVERLOADED"),
  /** The app is not a member of the pool it addressed. */
  NOT_MEMBER("NOT_MEMBER"),
  /** No pool has that name (and the handshake rule did not create it). */
  POOL_NOT_FOUND("POOL_NOT_FOUND"),
  /** A pool with that name exists already. */
  POOL_EXISTS("POOL_EXISTS"),
  /** The pool still has live members, so it cannot be deleted. */
  POOL_IN_USE("POOL_IN_USE"),
  /** {@code default} and {@code system} cannot be deleted. */
  POOL_PROTECTED("POOL_PROTECTED"),
  /** The pool type is not supported (global pools: to be built on the TokenStream mesh). */
  UNSUPPORTED_POOL_TYPE("UNSUPPORTED_POOL_TYPE"),
  /** A configured capacity was reached (number of pools). */
  LIMIT_REACHED("LIMIT_REACHED"),
  /** The caller already has an outstanding call with that id. */
  DUPLICATE_CALL_ID("DUPLICATE_CALL_ID"),
  /**
   * A reply names no pending call of this session: it completed, timed out, or was never dispatched
   * here (a late reply gets this).
   */
  UNKNOWN_CALL("UNKNOWN_CALL"),
  /** A reply came from a session the call was not dispatched to. */
  NOT_RESPONDER("NOT_RESPONDER"),
  /** The session is closed. */
  SESSION_CLOSED("SESSION_CLOSED"),
  /** A newer handshake with the same app id took this session over. */
  SESSION_REPLACED("SESSION_REPLACED"),
  /** The database could not be read or written; the message names the file. */
  STORAGE_FAILURE("STORAGE_FAILURE");

  private static final Map<String, FabricError> BY_WIRE_NAME = new HashMap<>();

  static {
    for (FabricError error : values()) {
      BY_WIRE_NAME.put(error.wireName, error);
    }
  }

  private final String wireName;

  FabricError(String wireName) {
    this.wireName = wireName;
  }

  /** The code sent on the wire; never changes once released. */
  public String wireName() {
    return wireName;
  }

  /** The error with that wire name, or {@code null} when there is none. */
  public static FabricError fromWireName(String wireName) {
    return BY_WIRE_NAME.get(wireName);
  }
}
