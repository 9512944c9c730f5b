package io.tokenworks.latzero.route;

import io.tokenworks.latzero.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.Object2ObjectHashMap;

/**
 * One session's routing state: who it is, where its pushes go, the calls it made (by its call id)
 * and the calls dispatched to it (by dispatch id). Its pools and triggers are fixed for its life; a
 * new handshake makes a new endpoint.
 *
 * <p>Both tables are guarded by the endpoint's own lock, held only for a table operation; code
 * never holds two endpoints' locks at once, and never delivers while holding one. Open-addressing
 * maps keep the tables free of per-entry allocation.
 */
public final class Endpoint {

  static final int ADDED = 0;
  static final int REFUSED_CLOSED = 1;
  static final int REFUSED_FULL = 2;
  static final int REFUSED_DUPLICATE = 3;

  /** Dispatch id layout: 23 bits of endpoint serial above 40 bits of per-endpoint sequence. */
  static final int SEQUENCE_BITS = 40;

  static final int SERIAL_MASK = (1 << 23) - 1;
  private static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;

  private final String appId;
  private final int serial;
  private final Delivery delivery;
  private final Set<String> pools;
  private final Set<String> triggers;
  private final Object lock = new Object();
  private final Object2ObjectHashMap<String, PendingCall> outbound = new Object2ObjectHashMap<>();
  private final Long2ObjectHashMap<PendingCall> inbound = new Long2ObjectHashMap<>();
  private long nextSequence;
  private volatile boolean open = true;

  Endpoint(String appId, int serial, Delivery delivery, Set<String> pools, Set<String> triggers) {
    this.appId = appId;
    this.serial = serial & SERIAL_MASK;
    this.delivery = delivery;
    this.pools = Set.copyOf(pools);
    this.triggers = Set.copyOf(triggers);
  }

  public String appId() {
    return appId;
  }

  public Set<String> pools() {
    return pools;
  }

  public Set<String> triggers() {
    return triggers;
  }

  public boolean isOpen() {
    return open;
  }

  /** Calls this endpoint made that have no outcome yet. */
  public int outstandingCalls() {
    synchronized (lock) {
      return outbound.size();
    }
  }

  Delivery delivery() {
    return delivery;
  }

  int serial() {
    return serial;
  }

  static int serialOf(long dispatchId) {
    return (int) (dispatchId >>> SEQUENCE_BITS) & SERIAL_MASK;
  }

  /** Records a call this endpoint made, unless closed, at its bound, or its id is in use. */
  int addOutbound(PendingCall call, int max) {
    synchronized (lock) {
      if (!open) {
        return REFUSED_CLOSED;
      }
      if (outbound.size() >= max) {
        return REFUSED_FULL;
      }
      if (outbound.containsKey(call.callId())) {
        return REFUSED_DUPLICATE;
      }
      outbound.put(call.callId(), call);
      return ADDED;
    }
  }

  void removeOutbound(PendingCall call) {
    synchronized (lock) {
      if (outbound.get(call.callId()) == call) {
        outbound.remove(call.callId());
      }
    }
  }

  /**
   * Records a call dispatched to this endpoint and gives it its dispatch id; refused when the
   * endpoint closed or the call was already finished (its caller closed meanwhile).
   */
  boolean addInbound(PendingCall call) {
    synchronized (lock) {
      if (!open || !call.isPending()) {
        return false;
      }
      long dispatchId = ((long) serial << SEQUENCE_BITS) | (nextSequence++ & SEQUENCE_MASK);
      call.dispatchId = dispatchId;
      inbound.put(dispatchId, call);
      return true;
    }
  }

  PendingCall takeInbound(long dispatchId) {
    synchronized (lock) {
      return inbound.remove(dispatchId);
    }
  }

  void removeInbound(PendingCall call) {
    synchronized (lock) {
      if (inbound.get(call.dispatchId) == call) {
        inbound.remove(call.dispatchId);
      }
    }
  }

  /**
   * Closes the endpoint and empties both tables, returning the calls it made followed by the calls
   * dispatched to it. From then on it takes no new calls either way.
   */
  Drained close() {
    synchronized (lock) {
      open = false;
      List<PendingCall> made = new ArrayList<>(outbound.values());
      List<PendingCall> received = new ArrayList<>(inbound.values());
      outbound.clear();
      inbound.clear();
      return new Drained(made, received);
    }
  }

  @Override
  public String toString() {
    return "endpoint " + appId + "#" + serial;
  }

  record Drained(List<PendingCall> made, List<PendingCall> received) {}
}
