package io.tokenworks.protocol.tau;

import static io.tokenworks.protocol.tau.TauFrameDescriptor.APPEND_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.HEADER_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.LABEL_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.QUERY_AGGREGATE_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.QUERY_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.QUERY_RANGE_PAYLOAD_LENGTH;

import java.util.Objects;

/**
 * Pipelined requests on a {@link TauClient}'s connection: each send method encodes a request into
 * the send buffer (flushing when it fills) without waiting; {@link #flush()} pushes the rest;
 * {@link #nextReply()} then returns the replies one by one, in request order, as the server
 * guarantees.
 *
 * <p>The send methods and the receive methods may run on two different threads (a load generator
 * keeps a window of requests in flight that way); each side on its own is single-threaded. If one
 * thread does both, keep the requests sent between reads within what the socket buffers hold (a few
 * hundred KiB), or the server may stop reading while its replies wait for you.
 *
 * <p>Sending allocates nothing; {@link #nextReply()} returns a flyweight valid until the next read.
 */
public final class TauPipeline {

  private final TauConnection connection;

  /** Written only by the sending thread. */
  private volatile long sent;

  /** Written only by the receiving thread. */
  private volatile long received;

  TauPipeline(TauConnection connection) {
    this.connection = connection;
  }

  public TauPipeline ping() {
    int offset = connection.reserve(HEADER_LENGTH);
    return sent(TauFrameEncoder.empty(connection.sendBuffer(), offset, TauOpcode.PING));
  }

  public TauPipeline createSeries(TauLabel series) {
    return label(TauOpcode.CREATE_SERIES, series);
  }

  public TauPipeline dropSeries(TauLabel series) {
    return label(TauOpcode.DROP_SERIES, series);
  }

  public TauPipeline append(TauLabel series, long timestamp, double value) {
    int offset = connection.reserve(HEADER_LENGTH + APPEND_PAYLOAD_LENGTH);
    return sent(TauFrameEncoder.append(connection.sendBuffer(), offset, series, timestamp, value));
  }

  public TauPipeline appendBatch(
      TauLabel series, long[] timestamps, double[] values, int from, int count) {
    Objects.checkFromIndexSize(from, count, timestamps.length);
    Objects.checkFromIndexSize(from, count, values.length);
    int offset =
        connection.reserve(
            HEADER_LENGTH + (int) TauFrameDescriptor.appendBatchPayloadLength(count));
    return sent(
        TauFrameEncoder.appendBatch(
            connection.sendBuffer(), offset, series, timestamps, values, from, count));
  }

  public TauPipeline queryPoint(TauLabel series, long timestamp) {
    return query(TauOpcode.QUERY_POINT, series, timestamp);
  }

  public TauPipeline queryLatest(TauLabel series, long asOf) {
    return query(TauOpcode.QUERY_LATEST, series, asOf);
  }

  public TauPipeline queryLens(TauLabel lens, long timestamp) {
    return query(TauOpcode.QUERY_LENS, lens, timestamp);
  }

  public TauPipeline queryRange(TauLabel series, long from, long to, long limit) {
    int offset = connection.reserve(HEADER_LENGTH + QUERY_RANGE_PAYLOAD_LENGTH);
    return sent(
        TauFrameEncoder.queryRange(connection.sendBuffer(), offset, series, from, to, limit));
  }

  public TauPipeline queryAggregate(TauLabel series, long from, long to) {
    int offset = connection.reserve(HEADER_LENGTH + QUERY_AGGREGATE_PAYLOAD_LENGTH);
    return sent(TauFrameEncoder.queryAggregate(connection.sendBuffer(), offset, series, from, to));
  }

  /** Writes every request still buffered. */
  public TauPipeline flush() {
    connection.flush();
    return this;
  }

  /**
   * Blocks for the next reply, in request order, and returns it as a flyweight valid until the next
   * read: {@code OK}, {@code PONG} or {@code ERR} (read its {@link TauFrame#status()}). Throws only
   * when the connection fails.
   */
  public TauFrame nextReply() {
    TauFrame frame = connection.readFrame();
    received++;
    return frame;
  }

  /**
   * Blocks for the next reply and returns its status: {@link TauStatus#SUCCESS} for OK and PONG,
   * the ERR status otherwise ({@code null} for a status this client does not know). Allocates
   * nothing.
   */
  public TauStatus nextStatus() {
    TauFrame frame = nextReply();
    return frame.opcode() == TauOpcode.ERR ? frame.status() : TauStatus.SUCCESS;
  }

  /** Requests sent (buffered or written) whose replies have not been read. */
  public long pending() {
    return sent - received;
  }

  private TauPipeline label(TauOpcode opcode, TauLabel label) {
    int offset = connection.reserve(HEADER_LENGTH + LABEL_LENGTH);
    return sent(TauFrameEncoder.label(connection.sendBuffer(), offset, opcode, label));
  }

  private TauPipeline query(TauOpcode opcode, TauLabel label, long timestamp) {
    int offset = connection.reserve(HEADER_LENGTH + QUERY_PAYLOAD_LENGTH);
    return sent(TauFrameEncoder.query(connection.sendBuffer(), offset, opcode, label, timestamp));
  }

  private TauPipeline sent(int frameLength) {
    connection.commit(frameLength);
    sent++;
    return this;
  }
}
