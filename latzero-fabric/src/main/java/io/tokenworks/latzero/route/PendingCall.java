package io.tokenworks.latzero.route;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenworks.latzero.IncomingCall;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One accepted call, from dispatch until its outcome: the only object a call allocates in the
 * fabric. It is at once the wheel entry of its deadline and the {@link IncomingCall} the handler
 * sees. {@link #finish()} decides, exactly once, who completes it (reply, deadline, a closing
 * session); only that winner removes it from the session tables and delivers the outcome.
 */
final class PendingCall extends WheelEntry implements IncomingCall {

  private static final VarHandle FINISHED;

  static {
    try {
      FINISHED = MethodHandles.lookup().findVarHandle(PendingCall.class, "finished", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final Endpoint caller;
  final Endpoint handler;
  private final String callId;
  private final String pool;
  private final String trigger;
  private final JsonNode payload;
  private final long ttlMs;

  /** Set under the handler's lock before the call is visible to the handler. */
  long dispatchId;

  @SuppressWarnings("unused") // accessed through FINISHED
  private volatile boolean finished;

  PendingCall(
      Endpoint caller,
      Endpoint handler,
      String callId,
      String pool,
      String trigger,
      JsonNode payload,
      long ttlMs,
      long deadlineMs) {
    super(deadlineMs);
    this.caller = caller;
    this.handler = handler;
    this.callId = callId;
    this.pool = pool;
    this.trigger = trigger;
    this.payload = payload;
    this.ttlMs = ttlMs;
  }

  /** Claims the call's completion; {@code true} for exactly one caller. */
  boolean finish() {
    return FINISHED.compareAndSet(this, false, true);
  }

  @Override
  boolean isPending() {
    return !finished;
  }

  @Override
  public long dispatchId() {
    return dispatchId;
  }

  @Override
  public String callId() {
    return callId;
  }

  @Override
  public String originAppId() {
    return caller.appId();
  }

  @Override
  public String pool() {
    return pool;
  }

  @Override
  public String trigger() {
    return trigger;
  }

  @Override
  public JsonNode payload() {
    return payload;
  }

  @Override
  public long ttlMs() {
    return ttlMs;
  }

  @Override
  public String toString() {
    return "call " + callId + " from " + caller.appId() + " to " + handler.appId();
  }
}
