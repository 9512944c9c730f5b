package io.tokenworks.protocol.tau;

import static io.tokenworks.protocol.tau.TauFrameDescriptor.APPEND_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.CERTIFICATE_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.HEADER_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.LABEL_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.QUERY_AGGREGATE_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.QUERY_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.QUERY_RANGE_PAYLOAD_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.THREE_LABEL_PAYLOAD_LENGTH;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.agrona.MutableDirectBuffer;

/**
 * A small blocking client for a TAU server (Tokenworks Tau or upstream taudb/tau for the v1
 * opcodes), over one plain TCP socket.
 *
 * <pre>{@code
 * try (TauClient tau = TauClient.connect("127.0.0.1", 7701, certificate)) {
 *   TauLabel temp = TauLabel.of("temp");
 *   tau.createSeries(temp);
 *   tau.append(temp, 1L, 22.5);
 *   OptionalDouble value = tau.queryPoint(temp, 1L); // 22.5
 * }
 * }</pre>
 *
 * <p>Every call sends one request and waits for its reply. A server {@code ERR} throws a {@link
 * TauClientException} whose {@link TauClientException#status() status} names the reason; the
 * connection stays usable unless the server closes it. An I/O error, a timeout or a reply that
 * breaks the protocol closes the client. For throughput, {@link #pipeline()} sends many requests
 * before reading their replies.
 *
 * <p>Not thread-safe, except that a {@link TauPipeline}'s sending and receiving may run on two
 * threads.
 */
public final class TauClient implements AutoCloseable {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

  /** How long {@link #close()} waits for the server to acknowledge DISCONNECT. */
  private static final int DISCONNECT_WAIT_MS = 1_000;

  /** Encodes one request into the send buffer at an offset and returns its length. */
  @FunctionalInterface
  private interface Request {
    int encode(MutableDirectBuffer buffer, int offset);
  }

  private final TauConnection connection;
  private final TauPipeline pipeline;
  private final int readTimeoutMs;

  private TauClient(TauConnection connection, int readTimeoutMs) {
    this.connection = connection;
    this.pipeline = new TauPipeline(connection);
    this.readTimeoutMs = readTimeoutMs;
  }

  /** Connects with the default timeouts and authenticates with the 32-byte certificate. */
  public static TauClient connect(String host, int port, byte[] certificate) {
    return connect(host, port, certificate, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
  }

  /**
   * Connects, sends CONNECT with the 32-byte certificate and waits for OK.
   *
   * @param connectTimeout how long to wait for the TCP connection
   * @param readTimeout how long any call waits for its reply before the client gives up and closes
   * @throws TauClientException with {@link TauStatus#AUTH_FAILED} when the server refuses the
   *     certificate, or without a status when the server cannot be reached
   */
  public static TauClient connect(
      String host, int port, byte[] certificate, Duration connectTimeout, Duration readTimeout) {
    Objects.requireNonNull(certificate, "certificate");
    if (certificate.length != CERTIFICATE_LENGTH) {
      throw new IllegalArgumentException(
          "certificate length=" + certificate.length + " must be " + CERTIFICATE_LENGTH);
    }
    int readTimeoutMs = toMillis(readTimeout, "readTimeout");
    TauConnection connection =
        TauConnection.open(host, port, toMillis(connectTimeout, "connectTimeout"), readTimeoutMs);
    TauClient client = new TauClient(connection, readTimeoutMs);
    try {
      client.call(
          HEADER_LENGTH + CERTIFICATE_LENGTH,
          (buffer, offset) -> TauFrameEncoder.connect(buffer, offset, certificate),
          reply -> {
            TauReplies.empty(reply, TauOpcode.CONNECT);
            return null;
          });
    } catch (TauClientException e) {
      connection.close();
      throw e;
    }
    return client;
  }

  private static int toMillis(Duration duration, String name) {
    long millis = duration.toMillis();
    if (millis <= 0 || millis > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + "=" + duration + " must be > 0 ms");
    }
    return (int) millis;
  }

  /** Sends PING and waits for PONG. */
  public void ping() {
    call(
        HEADER_LENGTH,
        (buffer, offset) -> TauFrameEncoder.empty(buffer, offset, TauOpcode.PING),
        reply -> {
          TauReplies.pong(reply);
          return null;
        });
  }

  public void createSeries(TauLabel series) {
    labelRequest(TauOpcode.CREATE_SERIES, series);
  }

  public void dropSeries(TauLabel series) {
    labelRequest(TauOpcode.DROP_SERIES, series);
  }

  /** Appends one point; fails with OUT_OF_ORDER unless its timestamp is after the series' last. */
  public void append(TauLabel series, long timestamp, double value) {
    call(
        HEADER_LENGTH + APPEND_PAYLOAD_LENGTH,
        (buffer, offset) -> TauFrameEncoder.append(buffer, offset, series, timestamp, value),
        emptyOk(TauOpcode.APPEND));
  }

  /** Appends every point of the two arrays in one frame, all or none (extension APPEND_BATCH). */
  public void appendBatch(TauLabel series, long[] timestamps, double[] values) {
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException(
          "timestamps.length=" + timestamps.length + " != values.length=" + values.length);
    }
    appendBatch(series, timestamps, values, 0, timestamps.length);
  }

  /** Appends {@code count} points starting at {@code from} of the two arrays, all or none. */
  public void appendBatch(
      TauLabel series, long[] timestamps, double[] values, int from, int count) {
    Objects.checkFromIndexSize(from, count, timestamps.length);
    Objects.checkFromIndexSize(from, count, values.length);
    call(
        (int) TauFrameDescriptor.appendBatchPayloadLength(count) + HEADER_LENGTH,
        (buffer, offset) ->
            TauFrameEncoder.appendBatch(buffer, offset, series, timestamps, values, from, count),
        emptyOk(TauOpcode.APPEND_BATCH));
  }

  /** The value at exactly {@code timestamp}, or empty. */
  public OptionalDouble queryPoint(TauLabel series, long timestamp) {
    return pointQuery(TauOpcode.QUERY_POINT, series, timestamp);
  }

  /** The last point at or before {@code asOf}, or empty (extension QUERY_LATEST). */
  public Optional<TauPoint> queryLatest(TauLabel series, long asOf) {
    return call(
        HEADER_LENGTH + QUERY_PAYLOAD_LENGTH,
        (buffer, offset) ->
            TauFrameEncoder.query(buffer, offset, TauOpcode.QUERY_LATEST, series, asOf),
        TauReplies::latest);
  }

  /**
   * One page of the points with {@code from <= timestamp <= to}, at most {@code limit} (extension
   * QUERY_RANGE). The server may return fewer than {@code limit} while {@link
   * TauRangePage#hasMore()} is true (it caps a reply at its own limit); continue from {@link
   * TauRangePage#nextFrom()}.
   */
  public TauRangePage queryRange(TauLabel series, long from, long to, long limit) {
    return call(
        HEADER_LENGTH + QUERY_RANGE_PAYLOAD_LENGTH,
        (buffer, offset) -> TauFrameEncoder.queryRange(buffer, offset, series, from, to, limit),
        TauReplies::range);
  }

  /** Every point with {@code from <= timestamp <= to}, fetched page by page. Allocates. */
  public List<TauPoint> queryRangeAll(TauLabel series, long from, long to, int pageSize) {
    if (pageSize <= 0) {
      throw new IllegalArgumentException("pageSize=" + pageSize + " must be > 0");
    }
    List<TauPoint> points = new ArrayList<>();
    long next = from;
    while (true) {
      TauRangePage page = queryRange(series, next, to, pageSize);
      points.addAll(page.points());
      if (!page.hasMore()
          || page.count() == 0
          || page.timestamp(page.count() - 1) == Long.MAX_VALUE) {
        return points;
      }
      next = page.nextFrom();
    }
  }

  /** Count, min, max, sum and mean over {@code from <= timestamp <= to} (extension). */
  public TauAggregate aggregate(TauLabel series, long from, long to) {
    return call(
        HEADER_LENGTH + QUERY_AGGREGATE_PAYLOAD_LENGTH,
        (buffer, offset) -> TauFrameEncoder.queryAggregate(buffer, offset, series, from, to),
        TauReplies::aggregate);
  }

  /** The labels of every series (extension LIST_SERIES). */
  public List<TauLabel> listSeries() {
    return call(
        HEADER_LENGTH,
        (buffer, offset) -> TauFrameEncoder.empty(buffer, offset, TauOpcode.LIST_SERIES),
        reply -> TauReplies.labels(reply, TauOpcode.LIST_SERIES));
  }

  /**
   * Defines {@code lens} as {@code transformName} (e.g. {@code celsius_to_fahrenheit}) applied to
   * the series {@code source}.
   */
  public void createLens(TauLabel lens, TauLabel source, String transformName) {
    TauLabel transform = TauLabel.of(transformName);
    call(
        HEADER_LENGTH + THREE_LABEL_PAYLOAD_LENGTH,
        (buffer, offset) ->
            TauFrameEncoder.threeLabels(
                buffer, offset, TauOpcode.CREATE_LENS, lens, source, transform),
        emptyOk(TauOpcode.CREATE_LENS));
  }

  public void dropLens(TauLabel lens) {
    labelRequest(TauOpcode.DROP_LENS, lens);
  }

  /** The lens' value at exactly {@code timestamp}, or empty. */
  public OptionalDouble queryLens(TauLabel lens, long timestamp) {
    return pointQuery(TauOpcode.QUERY_LENS, lens, timestamp);
  }

  /** Defines {@code lens} as {@code second} applied after {@code first}. */
  public void composeLens(TauLabel lens, TauLabel first, TauLabel second) {
    call(
        HEADER_LENGTH + THREE_LABEL_PAYLOAD_LENGTH,
        (buffer, offset) ->
            TauFrameEncoder.threeLabels(
                buffer, offset, TauOpcode.COMPOSE_LENS, lens, first, second),
        emptyOk(TauOpcode.COMPOSE_LENS));
  }

  public List<TauLabel> listLenses() {
    return call(
        HEADER_LENGTH,
        (buffer, offset) -> TauFrameEncoder.empty(buffer, offset, TauOpcode.LIST_LENSES),
        reply -> TauReplies.labels(reply, TauOpcode.LIST_LENSES));
  }

  /**
   * The pipelined view of this connection: send many requests, then read their replies in order.
   * While replies are outstanding, the blocking methods refuse to run.
   */
  public TauPipeline pipeline() {
    return pipeline;
  }

  /** Whether the connection is closed (by {@link #close()} or a failure). */
  public boolean isClosed() {
    return connection.isClosed();
  }

  /**
   * Sends DISCONNECT, waits briefly for the server's OK when no pipelined reply is outstanding, and
   * closes the socket. Never throws.
   */
  @Override
  public void close() {
    if (connection.isClosed()) {
      return;
    }
    try {
      int offset = connection.reserve(HEADER_LENGTH);
      connection.commit(
          TauFrameEncoder.empty(connection.sendBuffer(), offset, TauOpcode.DISCONNECT));
      connection.flush();
      if (pipeline.pending() == 0) {
        connection.readTimeout(Math.min(readTimeoutMs, DISCONNECT_WAIT_MS));
        connection.readFrame();
      }
    } catch (TauClientException e) {
      // The server may already be gone; closing is all that is left to do.
    } finally {
      connection.close();
    }
  }

  private void labelRequest(TauOpcode opcode, TauLabel label) {
    call(
        HEADER_LENGTH + LABEL_LENGTH,
        (buffer, offset) -> TauFrameEncoder.label(buffer, offset, opcode, label),
        emptyOk(opcode));
  }

  private OptionalDouble pointQuery(TauOpcode opcode, TauLabel label, long timestamp) {
    return call(
        HEADER_LENGTH + QUERY_PAYLOAD_LENGTH,
        (buffer, offset) -> TauFrameEncoder.query(buffer, offset, opcode, label, timestamp),
        reply -> TauReplies.point(reply, opcode));
  }

  private static Function<TauFrame, Void> emptyOk(TauOpcode request) {
    return reply -> {
      TauReplies.empty(reply, request);
      return null;
    };
  }

  /**
   * Sends one request, reads its reply and interprets it; a failure that is no ERR reply closes the
   * connection, because the stream can no longer be trusted.
   */
  private <T> T call(int maxFrameLength, Request request, Function<TauFrame, T> interpret) {
    long pending = pipeline.pending();
    if (pending != 0) {
      throw new IllegalStateException(
          pending + " pipelined replies are unread; read them before a blocking call");
    }
    int offset = connection.reserve(maxFrameLength);
    connection.commit(request.encode(connection.sendBuffer(), offset));
    connection.flush();
    TauFrame reply = connection.readFrame();
    try {
      return interpret.apply(reply);
    } catch (TauClientException e) {
      if (!e.isErrorReply()) {
        connection.close();
      }
      throw e;
    }
  }
}
