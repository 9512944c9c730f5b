package io.tokenworks.latzero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * A call to route: invoke {@code trigger} in {@code pool}, on {@code destination} when given or
 * else on the next live handler in round-robin order.
 *
 * @param callId the caller's id for the call, echoed in its outcome; unique among the caller's
 *     outstanding calls
 * @param pool the pool; {@code null} means {@code "default"}
 * @param trigger the trigger name
 * @param destination the handler's app id, or {@code null} for round-robin
 * @param payload the call's argument; {@code null} means JSON {@code null}
 * @param ttlMs the deadline in milliseconds from now; {@link #DEFAULT_TTL} (0) takes the fabric's
 *     default
 */
public record CallRequest(
    String callId, String pool, String trigger, String destination, JsonNode payload, long ttlMs) {

  /** The pool a request names when it names none. */
  public static final String DEFAULT_POOL = "default";

  /** The ttl that means "the fabric's default". */
  public static final long DEFAULT_TTL = 0;

  public CallRequest {
    pool = pool == null ? DEFAULT_POOL : pool;
    payload = payload == null ? NullNode.getInstance() : payload;
  }

  /** A round-robin call in the {@code default} pool with the default ttl. */
  public static CallRequest of(String callId, String trigger, JsonNode payload) {
    return new CallRequest(callId, DEFAULT_POOL, trigger, null, payload, DEFAULT_TTL);
  }

  /** The same call in another pool. */
  public CallRequest inPool(String newPool) {
    return new CallRequest(callId, newPool, trigger, destination, payload, ttlMs);
  }

  /** The same call addressed to one handler app instead of round-robin. */
  public CallRequest to(String newDestination) {
    return new CallRequest(callId, pool, trigger, newDestination, payload, ttlMs);
  }

  /** The same call with another deadline, in milliseconds from when it is sent. */
  public CallRequest withTtlMs(long newTtlMs) {
    return new CallRequest(callId, pool, trigger, destination, payload, newTtlMs);
  }
}
