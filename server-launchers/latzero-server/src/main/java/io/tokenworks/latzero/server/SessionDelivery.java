package io.tokenworks.latzero.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.tokenworks.latzero.Delivery;
import io.tokenworks.latzero.FabricError;
import io.tokenworks.latzero.IncomingCall;
import io.tokenworks.latzero.server.LatZeroMetrics.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.Object2LongHashMap;

/**
 * What the fabric pushes to one session of a connection, encoded as frames on whichever thread the
 * fabric calls from and handed to the connection's {@link Outbound}.
 *
 * <p>It also keeps the session's outstanding calls (call id to arrival time): an outcome is sent
 * only for a call still listed, and removing it is what claims the outcome, so a call gets exactly
 * one answer even when the connection re-registers while its outcome is in flight. The arrival time
 * gives the latency histogram.
 */
final class SessionDelivery implements Delivery {

  /** Thrown from {@link #onCall} for a closed connection, so the caller gets HANDLER_GONE. */
  private static final RuntimeException CONNECTION_CLOSED =
      new IllegalStateException("connection closed") {
        private static final long serialVersionUID = 1L;

        @Override
        public synchronized Throwable fillInStackTrace() {
          return this;
        }
      };

  private static final long NOT_OUTSTANDING = -1;

  private final LatZeroConnection connection;
  private final Frames frames;
  private final LatZeroMetrics metrics;
  private final Object2LongHashMap<String> outstanding = new Object2LongHashMap<>(NOT_OUTSTANDING);

  /** Set while this session is being replaced by the connection's own newer handshake. */
  private volatile boolean retiring;

  SessionDelivery(LatZeroConnection connection, Frames frames, LatZeroMetrics metrics) {
    this.connection = connection;
    this.frames = frames;
    this.metrics = metrics;
  }

  /** Lists a call about to be sent; false when a call with that id is outstanding already. */
  boolean begin(String callId, long arrivalNs) {
    synchronized (outstanding) {
      if (outstanding.containsKey(callId)) {
        return false;
      }
      outstanding.put(callId, arrivalNs);
      return true;
    }
  }

  /** Claims the outcome of {@code callId}: its arrival time, or -1 when it is not outstanding. */
  long end(String callId) {
    synchronized (outstanding) {
      return outstanding.removeKey(callId);
    }
  }

  /** Claims every outstanding call, for a session the connection leaves behind. */
  List<String> endAll() {
    synchronized (outstanding) {
      List<String> ids = new ArrayList<>(outstanding.keySet());
      outstanding.clear();
      return ids;
    }
  }

  void retiring(boolean value) {
    this.retiring = value;
  }

  @Override
  public boolean onCall(IncomingCall call) {
    if (!connection.isOpen()) {
      throw CONNECTION_CLOSED;
    }
    // A payload too large for the frame limit once wrapped throws Frames.TooLarge: the fabric then
    // fails the call for its caller (HANDLER_GONE) rather than sending a frame the peer refuses.
    ByteBuf frame =
        frames.trigger(
            connection.alloc(),
            call.dispatchId(),
            call.callId(),
            call.originAppId(),
            call.pool(),
            call.trigger(),
            call.payload(),
            call.ttlMs());
    return connection.outbound().push(frame);
  }

  @Override
  public void onResult(String callId, JsonNode result) {
    long arrivalNs = end(callId);
    if (arrivalNs == NOT_OUTSTANDING) {
      return;
    }
    metrics.call(Outcome.SUCCESS, arrivalNs);
    ByteBuf frame;
    try {
      frame = frames.response(connection.alloc(), callId, result);
    } catch (Frames.TooLarge e) {
      frame =
          connection.errorFrame(
              callId, WireException.FRAME_TOO_LARGE, "the handler's result: " + e.getMessage());
    }
    pushOrClose(frame);
  }

  @Override
  public void onCallFailed(String callId, FabricError error, String message) {
    long arrivalNs = end(callId);
    if (arrivalNs == NOT_OUTSTANDING) {
      return;
    }
    metrics.call(outcome(error), arrivalNs);
    pushOrClose(connection.errorFrame(callId, error.wireName(), message));
  }

  @Override
  public void onEmit(String originAppId, String pool, String name, JsonNode payload) {
    pushOrClose(frames.emit(connection.alloc(), originAppId, pool, name, payload));
  }

  @Override
  public void onBlockWritten(String pool, String block, long version, String writerAppId) {
    pushOrClose(frames.memoryUpdate(connection.alloc(), pool, block, version, writerAppId));
  }

  @Override
  public void onBlockNotified(String pool, String block, String originAppId, JsonNode payload) {
    pushOrClose(frames.memoryNotify(connection.alloc(), pool, block, originAppId, payload));
  }

  @Override
  public void onClosed(FabricError reason, String message) {
    if (!retiring) {
      connection.closedByFabric(this, reason, message);
    }
  }

  /**
   * Pushes a frame the connection must get (an outcome, an event); a connection over its bound is
   * closed with SERVER_BUSY rather than left to buffer without limit.
   */
  void pushOrClose(ByteBuf frame) {
    if (!connection.outbound().push(frame)) {
      connection.overflowed();
    }
  }

  private static Outcome outcome(FabricError error) {
    return switch (error) {
      case TIMEOUT -> Outcome.TIMEOUT;
      case HANDLER_GONE -> Outcome.HANDLER_GONE;
      case HANDLER_ERROR -> Outcome.HANDLER_ERROR;
      default -> Outcome.REJECTED;
    };
  }
}
