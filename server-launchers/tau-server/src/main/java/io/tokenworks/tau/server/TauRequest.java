package io.tokenworks.tau.server;

import static io.tokenworks.protocol.tau.TauFrameDescriptor.HEADER_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.LABEL_LENGTH;

import io.tokenworks.protocol.tau.TauFrameDescriptor;
import io.tokenworks.protocol.tau.TauFrameEncoder;
import io.tokenworks.protocol.tau.TauOpcode;
import io.tokenworks.protocol.tau.TauStatus;
import io.tokenworks.tau.Aggregate;
import io.tokenworks.tau.AppendCallback;
import io.tokenworks.tau.Label;
import io.tokenworks.tau.Point;
import io.tokenworks.tau.Transform;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.BiConsumer;
import org.agrona.MutableDirectBuffer;

/**
 * One request of a connection, from the frame that carried it to the reply that answers it: its
 * decoded parameters (copied out of the frame, which does not outlive the read), whether it has
 * started and completed, and its result. Lives on the connection's event loop only.
 */
final class TauRequest implements BiConsumer<Object, Throwable>, AppendCallback {

  /** The opcode; {@code null} for a frame whose header could not be decoded. */
  TauOpcode opcode;

  long arrivalNs;

  // Parameters, as the opcode needs them.
  Label label;
  Label second;
  Label third;
  Transform transform;
  long timestamp;
  double value;
  long from;
  long to;
  long limit;
  int count;
  long[] batchTimestamps;
  double[] batchValues;

  // Progress.
  boolean done;

  /** Close the connection once this reply is written (DISCONNECT, fatal errors). */
  boolean closeAfter;

  /** Started, not yet complete: counted in the connection's in-flight tallies. */
  boolean pending;

  /** An APPEND started in a {@link PendingRun} whose point the engine refused: OUT_OF_ORDER. */
  boolean outOfOrder;

  /** How the engine completed it off the event loop; handed over through the completion queue. */
  Throwable completionFailure;

  // Result: a status for an ERR, otherwise what the opcode's OK carries.
  TauStatus status;
  boolean found;
  long resultTimestamp;
  double resultValue;
  Aggregate aggregate;
  List<Label> labels;
  long[] rangeTimestamps;
  double[] rangeValues;
  int rangeCount;
  boolean hasMore;

  /** Where the engine's completion goes (see {@link #accept}); set when the request starts. */
  BiConsumer<TauRequest, Throwable> completion;

  TauRequest(TauOpcode opcode, long arrivalNs) {
    this.opcode = opcode;
    this.arrivalNs = arrivalNs;
  }

  /**
   * Makes a used request new again, for the connection's free list: every field back to its initial
   * value, so nothing of the last request can leak into the next reply.
   */
  TauRequest reset(TauOpcode newOpcode, long newArrivalNs) {
    opcode = newOpcode;
    arrivalNs = newArrivalNs;
    label = null;
    second = null;
    third = null;
    transform = null;
    timestamp = 0;
    value = 0;
    from = 0;
    to = 0;
    limit = 0;
    count = 0;
    batchTimestamps = null;
    batchValues = null;
    done = false;
    closeAfter = false;
    pending = false;
    outOfOrder = false;
    completionFailure = null;
    status = null;
    found = false;
    resultTimestamp = 0;
    resultValue = 0;
    aggregate = null;
    labels = null;
    rangeTimestamps = null;
    rangeValues = null;
    rangeCount = 0;
    hasMore = false;
    completion = null;
    return this;
  }

  /**
   * The engine's future completed: hands this request to {@link #completion}. The request itself is
   * the future's callback, so starting an asynchronous request allocates no lambda.
   */
  @Override
  public void accept(Object ignored, Throwable failure) {
    completion.accept(this, failure);
  }

  /** The engine settled this APPEND: as {@link #accept}, with no future in between. */
  @Override
  public void appended(Throwable failure) {
    completion.accept(this, failure);
  }

  /** A request answered at once with {@code status} (SUCCESS meaning OK or PONG). */
  static TauRequest answered(TauOpcode opcode, long arrivalNs, TauStatus status) {
    TauRequest request = new TauRequest(opcode, arrivalNs);
    request.done = true;
    request.status = status == TauStatus.SUCCESS ? null : status;
    return request;
  }

  /**
   * Appends may run ahead of earlier appends that are still in flight (the engine keeps each
   * series' writes in submission order); everything else waits for every earlier request.
   */
  boolean isWrite() {
    return opcode == TauOpcode.APPEND || opcode == TauOpcode.APPEND_BATCH;
  }

  void fail(TauStatus failure) {
    status = failure;
    done = true;
  }

  void succeed() {
    done = true;
  }

  void point(OptionalDouble result) {
    found = result.isPresent();
    resultValue = found ? result.getAsDouble() : 0;
    done = true;
  }

  void latest(Optional<Point> result) {
    found = result.isPresent();
    if (found) {
      resultTimestamp = result.get().timestamp();
      resultValue = result.get().value();
    }
    done = true;
  }

  void aggregate(Aggregate result) {
    aggregate = result;
    done = true;
  }

  void labels(List<Label> result) {
    labels = result;
    done = true;
  }

  void range(long[] timestamps, double[] values, int count, boolean more) {
    rangeTimestamps = timestamps;
    rangeValues = values;
    rangeCount = count;
    hasMore = more;
    done = true;
  }

  /** An upper bound of the reply frame's length. */
  int maxReplyLength() {
    if (status != null || opcode == null) {
      return HEADER_LENGTH + TauFrameDescriptor.ERR_PAYLOAD_LENGTH;
    }
    return switch (opcode) {
      case QUERY_RANGE -> HEADER_LENGTH + TauFrameDescriptor.rangeReplyPayloadLength(rangeCount);
      case LIST_SERIES, LIST_LENSES -> HEADER_LENGTH + labels.size() * LABEL_LENGTH;
      default -> HEADER_LENGTH + TauFrameDescriptor.AGGREGATE_REPLY_LENGTH;
    };
  }

  /** Writes the reply frame at {@code offset}; returns its length. */
  int encodeReply(MutableDirectBuffer buffer, int offset) {
    if (status != null) {
      return TauFrameEncoder.error(buffer, offset, status);
    }
    return switch (opcode) {
      case PING -> TauFrameEncoder.empty(buffer, offset, TauOpcode.PONG);
      case QUERY_POINT, QUERY_LENS ->
          found
              ? TauFrameEncoder.queryFound(buffer, offset, resultValue)
              : TauFrameEncoder.queryNotFound(buffer, offset);
      case QUERY_LATEST ->
          found
              ? TauFrameEncoder.latestFound(buffer, offset, resultTimestamp, resultValue)
              : TauFrameEncoder.queryNotFound(buffer, offset);
      case QUERY_RANGE ->
          TauFrameEncoder.rangeReply(
              buffer, offset, rangeTimestamps, rangeValues, rangeCount, hasMore);
      case QUERY_AGGREGATE ->
          TauFrameEncoder.aggregateReply(
              buffer,
              offset,
              aggregate.count(),
              aggregate.min(),
              aggregate.max(),
              aggregate.sum(),
              aggregate.mean());
      case LIST_SERIES, LIST_LENSES -> encodeLabels(buffer, offset);
      default -> TauFrameEncoder.empty(buffer, offset, TauOpcode.OK);
    };
  }

  private int encodeLabels(MutableDirectBuffer buffer, int offset) {
    int payloadLength = labels.size() * LABEL_LENGTH;
    int position = offset + TauFrameEncoder.header(buffer, offset, TauOpcode.OK, payloadLength);
    for (Label each : labels) {
      for (int i = 0; i < LABEL_LENGTH; i++) {
        buffer.putByte(position + i, each.byteAt(i));
      }
      position += LABEL_LENGTH;
    }
    return HEADER_LENGTH + payloadLength;
  }
}
