package io.tokenworks.tau.server;

import io.tokenworks.protocol.tau.TauFrame;
import io.tokenworks.protocol.tau.TauFrameDescriptor;
import io.tokenworks.protocol.tau.TauOpcode;
import io.tokenworks.protocol.tau.TauStatus;
import io.tokenworks.tau.Label;
import io.tokenworks.tau.PointSink;
import io.tokenworks.tau.TauEngine;
import io.tokenworks.tau.Transform;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns request frames into engine calls for one connection: {@link #parse} copies a frame's
 * parameters into a {@link TauRequest}; {@link #start} runs it against the engine. Reads answer at
 * once; writes and catalog changes complete later through the callback given to the constructor, on
 * whatever thread the engine completes them. Not thread-safe: one per connection, used on its event
 * loop.
 */
final class TauDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(TauDispatcher.class);

  /** Most labels a LIST reply can carry under the protocol's 4 MiB ceiling. */
  private static final int MAX_LISTED_LABELS =
      TauFrameDescriptor.MAX_PAYLOAD_LENGTH / TauFrameDescriptor.LABEL_LENGTH;

  private final TauEngine engine;
  private final LabelCache labels = new LabelCache();

  /** Requests to reuse, one connection's worth at most: the server's in-flight limit is 1024. */
  private static final int MAX_FREE = 1024;

  private final ArrayDeque<TauRequest> free = new ArrayDeque<>();
  private final BiConsumer<TauRequest, Throwable> completion;

  /** Scratch for batches started straight from their frame; the engine copies them. */
  private long[] batchTimestamps = new long[64];

  private double[] batchValues = new double[64];

  /** Scratch for range replies, which are encoded before the next request starts. */
  private long[] rangeTimestamps = new long[64];

  private double[] rangeValues = new double[64];
  private int rangeCount;
  private final PointSink rangeSink = this::collect;

  TauDispatcher(TauEngine engine, BiConsumer<TauRequest, Throwable> completion) {
    this.engine = engine;
    this.completion = completion;
  }

  /** The parameters of a request frame (any opcode but the session ones), copied out. */
  TauRequest parse(TauFrame frame, long arrivalNs) {
    TauOpcode opcode = frame.opcode();
    TauRequest reused = free.poll();
    TauRequest request =
        reused == null ? new TauRequest(opcode, arrivalNs) : reused.reset(opcode, arrivalNs);
    DirectBuffer buffer = frame.buffer();
    switch (opcode) {
      case CREATE_SERIES, DROP_SERIES, DROP_LENS -> request.label = label(frame, 0);
      case APPEND -> {
        request.label = label(frame, 0);
        request.timestamp = frame.timestamp();
        request.value = frame.value();
      }
      case APPEND_BATCH -> {
        request.label = label(frame, 0);
        request.count = frame.batchCount();
      }
      case QUERY_POINT, QUERY_LATEST, QUERY_LENS -> {
        request.label = label(frame, 0);
        request.timestamp = frame.timestamp();
      }
      case QUERY_RANGE -> {
        request.label = label(frame, 0);
        request.from = frame.rangeFrom();
        request.to = frame.rangeTo();
        request.limit = frame.rangeLimit();
      }
      case QUERY_AGGREGATE -> {
        request.label = label(frame, 0);
        request.from = frame.rangeFrom();
        request.to = frame.rangeTo();
      }
      case CREATE_LENS -> {
        request.label = label(frame, 0);
        request.second = label(frame, 1);
        request.transform = transform(buffer, frame.labelOffset(2));
      }
      case COMPOSE_LENS -> {
        request.label = label(frame, 0);
        request.second = label(frame, 1);
        request.third = label(frame, 2);
      }
      default -> {
        // LIST_SERIES, LIST_LENSES and PING carry nothing we read.
      }
    }
    return request;
  }

  /**
   * Copies what a request still needs from its frame before the frame goes away: only a batch's
   * points, which {@link #start} otherwise reads from the frame directly.
   */
  void detach(TauRequest request, TauFrame frame) {
    if (request.opcode == TauOpcode.APPEND_BATCH) {
      request.batchTimestamps = new long[request.count];
      request.batchValues = new double[request.count];
      for (int i = 0; i < request.count; i++) {
        request.batchTimestamps[i] = frame.batchTimestamp(i);
        request.batchValues[i] = frame.batchValue(i);
      }
    }
  }

  /**
   * Runs the request. {@code frame} is its frame when it starts as it arrives, or {@code null} when
   * it was {@linkplain #detach detached} first.
   */
  void start(TauRequest request, TauFrame frame) {
    try {
      switch (request.opcode) {
        case CREATE_SERIES -> async(request, engine.createSeries(request.label));
        case DROP_SERIES -> async(request, engine.dropSeries(request.label));
        case APPEND -> {
          request.completion = completion;
          engine.append(request.label, request.timestamp, request.value, request);
        }
        case APPEND_BATCH -> appendBatch(request, frame);
        case QUERY_POINT -> request.point(engine.valueAt(request.label, request.timestamp));
        case QUERY_LATEST -> request.latest(engine.asOf(request.label, request.timestamp));
        case QUERY_RANGE -> range(request);
        case QUERY_AGGREGATE ->
            request.aggregate(engine.aggregate(request.label, request.from, request.to));
        case LIST_SERIES -> listed(request, engine.listSeries());
        case CREATE_LENS -> {
          if (request.transform == null) {
            request.fail(TauStatus.INVALID_PAYLOAD);
          } else {
            async(request, engine.createLens(request.label, request.second, request.transform));
          }
        }
        case DROP_LENS -> async(request, engine.dropLens(request.label));
        case QUERY_LENS -> request.point(engine.lensValueAt(request.label, request.timestamp));
        case COMPOSE_LENS ->
            async(request, engine.composeLens(request.label, request.second, request.third));
        case LIST_LENSES -> listed(request, engine.listLenses());
        case PING -> request.succeed();
        default -> request.fail(TauStatus.BAD_OPCODE);
      }
    } catch (RuntimeException e) {
      failed(request, e);
    }
  }

  /** Starts a run of APPENDs to one series; its outcome goes to the run's own callback. */
  void start(PendingRun run) {
    try {
      engine.append(run.label, run);
    } catch (RuntimeException e) {
      run.appended(e);
    }
  }

  private void appendBatch(TauRequest request, TauFrame frame) {
    int count = request.count;
    if (frame == null) {
      async(
          request,
          engine.appendBatch(
              request.label, request.batchTimestamps, request.batchValues, 0, count));
      return;
    }
    if (batchTimestamps.length < count) {
      batchTimestamps = new long[count];
      batchValues = new double[count];
    }
    for (int i = 0; i < count; i++) {
      batchTimestamps[i] = frame.batchTimestamp(i);
      batchValues[i] = frame.batchValue(i);
    }
    async(request, engine.appendBatch(request.label, batchTimestamps, batchValues, 0, count));
  }

  /**
   * Asks the engine for one point more than the reply may carry, to know whether more exist. A
   * limit of 0 sends no points and still says whether the range holds any.
   */
  private void range(TauRequest request) {
    int max = (int) Math.min(request.limit, TauFrameDescriptor.MAX_RANGE_REPLY_POINTS);
    rangeCount = 0;
    int delivered = engine.range(request.label, request.from, request.to, max + 1, rangeSink);
    boolean more = delivered > max;
    request.range(rangeTimestamps, rangeValues, Math.min(delivered, max), more);
  }

  private void collect(long timestamp, double value) {
    if (rangeCount == rangeTimestamps.length) {
      int grown = Math.min(rangeCount * 2, TauFrameDescriptor.MAX_RANGE_REPLY_POINTS + 1);
      rangeTimestamps = Arrays.copyOf(rangeTimestamps, grown);
      rangeValues = Arrays.copyOf(rangeValues, grown);
    }
    rangeTimestamps[rangeCount] = timestamp;
    rangeValues[rangeCount++] = value;
  }

  private static void listed(TauRequest request, List<Label> labels) {
    if (labels.size() > MAX_LISTED_LABELS) {
      LOG.warn("{} has {} labels, more than one reply can carry", request.opcode, labels.size());
      request.fail(TauStatus.INTERNAL_ERROR);
    } else {
      request.labels(labels);
    }
  }

  private void async(TauRequest request, CompletableFuture<Void> future) {
    request.completion = completion;
    future.whenComplete(request);
  }

  /**
   * A request whose reply is written: kept for reuse (at most {@link #MAX_FREE} of them), since an
   * APPEND otherwise costs a new request object and the garbage collections it brings.
   */
  void recycle(TauRequest request) {
    if (free.size() < MAX_FREE) {
      free.push(request);
    }
  }

  static void failed(TauRequest request, Throwable failure) {
    request.fail(TauStatuses.of(failure, request.opcode));
    if (!TauStatuses.isExpected(failure)) {
      LOG.warn("{} failed: {}", request.opcode, TauStatuses.unwrap(failure).toString());
    }
  }

  private Label label(TauFrame frame, int index) {
    return labels.get(frame.buffer(), frame.labelOffset(index));
  }

  /** The transform named by 32 bytes with trailing NULs stripped, or {@code null}. */
  private static Transform transform(DirectBuffer buffer, int offset) {
    int end = TauFrameDescriptor.LABEL_LENGTH;
    while (end > 0 && buffer.getByte(offset + end - 1) == 0) {
      end--;
    }
    byte[] name = new byte[end];
    buffer.getBytes(offset, name);
    return Transform.fromWireName(new String(name, StandardCharsets.UTF_8));
  }
}
