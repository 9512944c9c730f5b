package io.tokenworks.latzero.route;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenworks.latzero.CallRequest;
import io.tokenworks.latzero.Delivery;
import io.tokenworks.latzero.FabricError;
import io.tokenworks.latzero.FabricResult;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes calls, replies and emits between endpoints, and owns the deadline thread.
 *
 * <p>A call: check the request and the caller's membership, pick the handler (the named
 * destination, else the next of its (pool, trigger) group), record the call in the caller's table
 * and then the handler's, schedule its deadline, deliver it. Its outcome (reply, deadline, either
 * side closing) is decided once by {@link PendingCall#finish()}; the winner alone cleans up and
 * delivers, after every lock is released. Replies go to the origin, and only from the endpoint the
 * call was dispatched to. The call path runs no SQL and allocates one {@link PendingCall}.
 *
 * <p>Binding (which endpoints are live, in which groups) changes under the router's own lock and is
 * read without one.
 */
public final class Router implements AutoCloseable {

  /** Longer call ids are a {@link FabricError#VALIDATION_ERROR}. */
  public static final int MAX_CALL_ID_LENGTH = 256;

  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  private final int maxOutstandingPerEndpoint;
  private final int maxOutstanding;
  private final long defaultTtlMs;
  private final long maxTtlMs;
  private final LongSupplier clockMs;
  private final DeadlineTimer timer;
  private final AtomicInteger serials = new AtomicInteger();
  private final AtomicInteger outstanding = new AtomicInteger();
  private final Map<String, Endpoint> live = new ConcurrentHashMap<>();
  private final Map<String, Map<String, HandlerGroup>> groups = new ConcurrentHashMap<>();
  private final Set<String> pools = ConcurrentHashMap.newKeySet();
  private final Object bindLock = new Object();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder handlerErrors = new LongAdder();
  private final LongAdder timedOut = new LongAdder();
  private final LongAdder handlerGone = new LongAdder();
  private final LongAdder emitsDelivered = new LongAdder();
  private final LongAdder deliveryFailures = new LongAdder();

  /**
   * @param clockMs milliseconds for deadlines
   * @param timerThreadName the name of the deadline thread this router starts
   */
  public Router(
      int maxOutstandingPerEndpoint,
      int maxOutstanding,
      long defaultTtlMs,
      long maxTtlMs,
      LongSupplier clockMs,
      String timerThreadName) {
    this.maxOutstandingPerEndpoint = maxOutstandingPerEndpoint;
    this.maxOutstanding = maxOutstanding;
    this.defaultTtlMs = defaultTtlMs;
    this.maxTtlMs = maxTtlMs;
    this.clockMs = clockMs;
    this.timer = new DeadlineTimer(timerThreadName, clockMs, this::expire);
  }

  /** A new, not yet routable endpoint. */
  public Endpoint newEndpoint(
      String appId, Delivery delivery, Set<String> endpointPools, Set<String> triggers) {
    return new Endpoint(appId, serials.incrementAndGet(), delivery, endpointPools, triggers);
  }

  /** Makes {@code endpoint} the live one for its app id and adds it to its handler groups. */
  public void bind(Endpoint endpoint) {
    synchronized (bindLock) {
      Endpoint previous = live.put(endpoint.appId(), endpoint);
      if (previous != null && previous != endpoint) {
        removeFromGroups(previous);
      }
      for (String pool : endpoint.pools()) {
        Map<String, HandlerGroup> byTrigger =
            groups.computeIfAbsent(pool, p -> new ConcurrentHashMap<>());
        for (String trigger : endpoint.triggers()) {
          byTrigger.computeIfAbsent(trigger, t -> new HandlerGroup()).add(endpoint);
        }
      }
    }
  }

  /**
   * Takes {@code endpoint} out of routing; its pending calls stay until {@link #close(Endpoint)}.
   */
  public void unbind(Endpoint endpoint) {
    synchronized (bindLock) {
      live.remove(endpoint.appId(), endpoint);
      removeFromGroups(endpoint);
    }
  }

  /**
   * Closes an unbound endpoint: calls it made are dropped (nobody is left to tell), calls
   * dispatched to it fail at once with {@link FabricError#HANDLER_GONE} for their callers.
   */
  public void close(Endpoint endpoint) {
    Endpoint.Drained drained = endpoint.close();
    for (PendingCall call : drained.made()) {
      if (call.finish()) {
        call.handler.removeInbound(call);
        release(call);
      }
    }
    for (PendingCall call : drained.received()) {
      if (call.finish()) {
        call.caller.removeOutbound(call);
        release(call);
        handlerGone.increment();
        failToCaller(
            call,
            FabricError.HANDLER_GONE,
            "handler " + endpoint.appId() + " disconnected before answering");
      }
    }
  }

  /** Pools the router knows exist, to tell {@link FabricError#POOL_NOT_FOUND} from not a member. */
  public void poolCreated(String pool) {
    pools.add(pool);
  }

  public void poolDeleted(String pool) {
    pools.remove(pool);
  }

  /** Routes a call from {@code caller}; see {@link io.tokenworks.latzero.FabricSession#call}. */
  public FabricResult call(Endpoint caller, CallRequest request) {
    String callId = request.callId();
    if (callId == null || callId.isEmpty() || callId.length() > MAX_CALL_ID_LENGTH) {
      return reject(FabricError.VALIDATION_ERROR, "callId must be 1-256 characters");
    }
    String trigger = request.trigger();
    if (trigger == null || trigger.isEmpty()) {
      return reject(FabricError.VALIDATION_ERROR, "call " + callId + " names no trigger");
    }
    long ttlMs = request.ttlMs() == CallRequest.DEFAULT_TTL ? defaultTtlMs : request.ttlMs();
    if (ttlMs < 0 || ttlMs > maxTtlMs) {
      return reject(
          FabricError.VALIDATION_ERROR,
          "call " + callId + " ttl=" + ttlMs + " must be 1.." + maxTtlMs + " ms");
    }
    String pool = request.pool();
    if (!caller.pools().contains(pool)) {
      return caller.isOpen() ? notMember(caller.appId(), pool) : sessionClosed(caller);
    }
    Endpoint handler =
        request.destination() == null
            ? nextHandler(pool, trigger)
            : live.get(request.destination());
    if (handler == null
        || !handler.pools().contains(pool)
        || !handler.triggers().contains(trigger)) {
      return noHandler(request, handler);
    }
    if (outstanding.incrementAndGet() > maxOutstanding) {
      outstanding.decrementAndGet();
      return reject(
          FabricError.OVERLOADED,
          "the fabric has maxOutstandingCalls=" + maxOutstanding + " calls outstanding");
    }
    PendingCall call =
        new PendingCall(
            caller,
            handler,
            callId,
            pool,
            trigger,
            request.payload(),
            ttlMs,
            clockMs.getAsLong() + ttlMs);
    int admitted = caller.addOutbound(call, maxOutstandingPerEndpoint);
    if (admitted != Endpoint.ADDED) {
      outstanding.decrementAndGet();
      return refused(caller, callId, admitted);
    }
    if (!handler.addInbound(call)) {
      return handlerClosedMeanwhile(call);
    }
    timer.schedule(call);
    return deliver(call);
  }

  /** A handler's successful answer to the call it received as {@code dispatchId}. */
  public FabricResult reply(Endpoint responder, long dispatchId, JsonNode result) {
    PendingCall call = claim(responder, dispatchId);
    if (call == null) {
      return unclaimed(responder, dispatchId);
    }
    succeeded.increment();
    if (call.caller.isOpen()) {
      try {
        call.caller.delivery().onResult(call.callId(), result);
      } catch (RuntimeException e) {
        deliveryFailed(call, e);
      }
    }
    return FabricResult.ok();
  }

  /** A handler's error answer to the call it received as {@code dispatchId}. */
  public FabricResult replyError(Endpoint responder, long dispatchId, String message) {
    PendingCall call = claim(responder, dispatchId);
    if (call == null) {
      return unclaimed(responder, dispatchId);
    }
    handlerErrors.increment();
    failToCaller(call, FabricError.HANDLER_ERROR, message == null ? "handler error" : message);
    return FabricResult.ok();
  }

  /**
   * Delivers an event to every live endpoint in {@code pool} that registered {@code name},
   * including the emitter when it did.
   */
  public FabricResult emit(Endpoint emitter, String pool, String name, JsonNode payload) {
    if (!emitter.isOpen()) {
      return sessionClosed(emitter);
    }
    if (name == null || name.isEmpty()) {
      return reject(FabricError.VALIDATION_ERROR, "emit names no trigger");
    }
    if (!emitter.pools().contains(pool)) {
      return notMember(emitter.appId(), pool);
    }
    Map<String, HandlerGroup> byTrigger = groups.get(pool);
    HandlerGroup group = byTrigger == null ? null : byTrigger.get(name);
    if (group == null) {
      return FabricResult.ok();
    }
    for (Endpoint target : group.handlers()) {
      if (target.isOpen()) {
        try {
          target.delivery().onEmit(emitter.appId(), pool, name, payload);
          emitsDelivered.increment();
        } catch (RuntimeException e) {
          deliveryFailures.increment();
          LOG.debug("delivering emit {} to {} failed", name, target, e);
        }
      }
    }
    return FabricResult.ok();
  }

  public int outstandingCalls() {
    return outstanding.get();
  }

  public long callsAccepted() {
    return accepted.sum();
  }

  public long callsRejected() {
    return rejected.sum();
  }

  public long callsSucceeded() {
    return succeeded.sum();
  }

  public long callsFailedByHandler() {
    return handlerErrors.sum();
  }

  public long callsTimedOut() {
    return timedOut.sum();
  }

  public long callsHandlerGone() {
    return handlerGone.sum();
  }

  public long emitsDelivered() {
    return emitsDelivered.sum();
  }

  /** Delivery callbacks that threw. */
  public long deliveryFailures() {
    return deliveryFailures.sum();
  }

  /** Stops the deadline thread. Endpoints should be closed first. */
  @Override
  public void close() {
    timer.close();
  }

  private Endpoint nextHandler(String pool, String trigger) {
    Map<String, HandlerGroup> byTrigger = groups.get(pool);
    HandlerGroup group = byTrigger == null ? null : byTrigger.get(trigger);
    return group == null ? null : group.next();
  }

  private FabricResult deliver(PendingCall call) {
    boolean taken;
    boolean threw = false;
    accepted.increment(); // before delivery, which may complete the call at once
    try {
      taken = call.handler.delivery().onCall(call);
    } catch (RuntimeException e) {
      deliveryFailed(call, e);
      taken = false;
      threw = true;
    }
    if (taken || !call.finish()) {
      return FabricResult.ok(); // taken, or answered before the delivery reported failure
    }
    accepted.decrement();
    call.handler.removeInbound(call);
    call.caller.removeOutbound(call);
    release(call);
    return threw
        ? reject(FabricError.HANDLER_GONE, "handler " + call.handler.appId() + " failed to take it")
        : reject(
            FabricError.OVERLOADED, "handler " + call.handler.appId() + " cannot take calls now");
  }

  private PendingCall claim(Endpoint responder, long dispatchId) {
    if (!responder.isOpen() || Endpoint.serialOf(dispatchId) != responder.serial()) {
      return null;
    }
    PendingCall call = responder.takeInbound(dispatchId);
    if (call == null || !call.finish()) {
      return null;
    }
    call.caller.removeOutbound(call);
    release(call);
    return call;
  }

  private void expire(WheelEntry entry) {
    PendingCall call = (PendingCall) entry;
    if (!call.finish()) {
      return;
    }
    call.handler.removeInbound(call);
    call.caller.removeOutbound(call);
    outstanding.decrementAndGet(); // already out of the wheel: no cancel
    timedOut.increment();
    failToCaller(call, FabricError.TIMEOUT, "Request timeout");
  }

  private void release(PendingCall call) {
    outstanding.decrementAndGet();
    timer.cancel(call);
  }

  private void failToCaller(PendingCall call, FabricError error, String message) {
    if (!call.caller.isOpen()) {
      return;
    }
    try {
      call.caller.delivery().onCallFailed(call.callId(), error, message);
    } catch (RuntimeException e) {
      deliveryFailed(call, e);
    }
  }

  /** A delivery threw: counted, and logged at debug only, since it can happen per message. */
  private void deliveryFailed(PendingCall call, RuntimeException e) {
    deliveryFailures.increment();
    LOG.debug("a delivery for {} threw", call, e);
  }

  private void removeFromGroups(Endpoint endpoint) {
    for (String pool : endpoint.pools()) {
      Map<String, HandlerGroup> byTrigger = groups.get(pool);
      if (byTrigger == null) {
        continue;
      }
      for (String trigger : endpoint.triggers()) {
        HandlerGroup group = byTrigger.get(trigger);
        if (group != null && group.remove(endpoint)) {
          byTrigger.remove(trigger, group);
        }
      }
    }
  }

  // Failure paths, out of line so the hot path stays small.

  private FabricResult reject(FabricError error, String message) {
    rejected.increment();
    return FabricResult.failure(error, message);
  }

  private FabricResult sessionClosed(Endpoint endpoint) {
    return reject(FabricError.SESSION_CLOSED, "session of " + endpoint.appId() + " is closed");
  }

  private FabricResult notMember(String appId, String pool) {
    return pools.contains(pool)
        ? reject(FabricError.NOT_MEMBER, "app " + appId + " is not a member of pool " + pool)
        : reject(FabricError.POOL_NOT_FOUND, "pool name=" + pool + " does not exist");
  }

  private FabricResult noHandler(CallRequest request, Endpoint handler) {
    String where = " in pool " + request.pool();
    if (request.destination() == null) {
      return reject(
          FabricError.TRIGGER_ROUTING_ERROR,
          "no live handler for trigger " + request.trigger() + where);
    }
    String destination = "destination " + request.destination();
    if (handler == null) {
      return reject(FabricError.TRIGGER_ROUTING_ERROR, destination + " is not connected");
    }
    if (!handler.pools().contains(request.pool())) {
      return reject(FabricError.TRIGGER_ROUTING_ERROR, destination + " is not a member" + where);
    }
    return reject(
        FabricError.TRIGGER_ROUTING_ERROR,
        destination + " did not register trigger " + request.trigger() + where);
  }

  private FabricResult refused(Endpoint caller, String callId, int reason) {
    if (reason == Endpoint.REFUSED_CLOSED) {
      return sessionClosed(caller);
    }
    if (reason == Endpoint.REFUSED_FULL) {
      return reject(
          FabricError.OVERLOADED,
          "app "
              + caller.appId()
              + " has maxOutstandingCallsPerSession="
              + maxOutstandingPerEndpoint
              + " calls outstanding");
    }
    return reject(
        FabricError.DUPLICATE_CALL_ID,
        "app " + caller.appId() + " already has an outstanding call with id " + callId);
  }

  private FabricResult handlerClosedMeanwhile(PendingCall call) {
    if (!call.finish()) {
      return sessionClosed(call.caller); // the caller closed and already released the call
    }
    call.caller.removeOutbound(call);
    outstanding.decrementAndGet();
    return reject(
        FabricError.HANDLER_GONE, "handler " + call.handler.appId() + " disconnected just now");
  }

  private FabricResult unclaimed(Endpoint responder, long dispatchId) {
    if (!responder.isOpen()) {
      return sessionClosed(responder);
    }
    if (Endpoint.serialOf(dispatchId) != responder.serial()) {
      return FabricResult.failure(
          FabricError.NOT_RESPONDER,
          "dispatch " + dispatchId + " was not dispatched to " + responder.appId());
    }
    return FabricResult.failure(
        FabricError.UNKNOWN_CALL,
        "dispatch "
            + dispatchId
            + " is not pending for "
            + responder.appId()
            + " (answered, timed out or never dispatched)");
  }
}
