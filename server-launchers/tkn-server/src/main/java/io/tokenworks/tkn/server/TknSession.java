package io.tokenworks.tkn.server;

import static java.util.Locale.ROOT;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import io.tokenworks.protocol.tkn.TknControlDecoder;
import io.tokenworks.protocol.tkn.TknControlResult;
import io.tokenworks.protocol.tkn.TknControlType;
import io.tokenworks.protocol.tkn.TknDecodeResult;
import io.tokenworks.protocol.tkn.TknErrorCode;
import io.tokenworks.protocol.tkn.TknFrame;
import io.tokenworks.protocol.tkn.TknFrameDecoder;
import io.tokenworks.protocol.tkn.TknFrameDescriptor;
import io.tokenworks.protocol.tkn.TknFrameType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol of one TKN connection, independent of its transport: finds frames, decides the mode
 * from the first one (HELLO opens the HELLO mode, anything else is upstream's compatibility mode),
 * enforces credits and limits, hands data frames to the {@link MiningSession} and answers.
 *
 * <p>Compatibility mode answers each read with upstream's {@code <sessionId>: ack} and has no error
 * frames: a frame it cannot use is skipped and counted (upstream skips unknown types too), a limit
 * it must enforce closes the connection. HELLO mode acknowledges with ACK frames carrying counts
 * and credit, reports problems with typed ERROR frames, and answers FLUSH once the graph has every
 * token so far.
 *
 * <p>Runs on the connection's event loop; the graph pipeline calls back from its own threads, which
 * are moved onto the event loop.
 */
final class TknSession {

  private static final Logger LOG = LoggerFactory.getLogger(TknSession.class);

  /** What the session needs from its transport. Every method is called on the event loop. */
  interface Output {
    void sendFrame(ByteBuf frame);

    void sendCompatAck(String text);

    void flush();

    void closeAfterFlush();

    void closeNow();

    void setReading(boolean reading);

    EventExecutor executor();

    ByteBufAllocator alloc();

    String remote();
  }

  /** Makes sessions for new connections. */
  interface Factory {
    TknSession create(Output output, String transport);
  }

  enum Mode {
    UNDECIDED,
    COMPAT,
    HELLO
  }

  private final Output output;
  private final String transport;
  private final TknServerConfig config;
  private final TknMetrics metrics;
  private final MiningSession.Opener miners;
  private final TknFrameDecoder decoder;
  private final String sessionId = SessionIds.next();
  private final HelloReplies replies;
  private final TknControlDecoder control = new TknControlDecoder();

  private Mode mode = Mode.UNDECIDED;
  private MiningSession mining;
  private long dataFrames;
  private long credit;
  private long creditOwed;
  private long acked;
  private boolean paused;
  private boolean closing;

  TknSession(
      Output output,
      String transport,
      TknServerConfig config,
      TknMetrics metrics,
      MiningSession.Opener miners) {
    this.output = output;
    this.transport = transport;
    this.config = config;
    this.metrics = metrics;
    this.miners = miners;
    this.decoder = new TknFrameDecoder(config.maxFrame());
    this.replies = new HelloReplies(output);
  }

  /**
   * Handles every whole frame in {@code [offset, offset + length)} of a byte stream and returns how
   * many bytes were consumed; the rest waits for more input.
   */
  int stream(DirectBuffer buffer, int offset, int length, long startedNanos) {
    int position = offset;
    int end = offset + length;
    while (!closing && position < end) {
      int consumed = next(buffer, position, end - position);
      if (consumed == 0) {
        break;
      }
      position += consumed;
    }
    readDone(position - offset, startedNanos);
    return closing ? length : position - offset;
  }

  /** Handles one WebSocket message, which must hold exactly one frame. */
  void message(DirectBuffer buffer, int offset, int length, long startedNanos) {
    if (closing) {
      return;
    }
    int declared =
        length >= TknFrameDescriptor.HEADER_LENGTH
            ? TknFrameDescriptor.HEADER_LENGTH
                + buffer.getInt(offset + 1, java.nio.ByteOrder.BIG_ENDIAN)
            : -1;
    if (declared != length) {
      metrics.protocolError("message-not-one-frame");
      if (mode == Mode.HELLO) {
        replies.error(
            TknErrorCode.MALFORMED_FRAME,
            dataFrames + 1,
            "a WebSocket message must hold exactly one TKN frame; this one has "
                + length
                + " bytes");
      }
      readDone(length, startedNanos);
      return;
    }
    next(buffer, offset, length);
    readDone(length, startedNanos);
  }

  /** Handles the frame at {@code offset}; returns the bytes it took, 0 when it is incomplete. */
  private int next(DirectBuffer buffer, int offset, int available) {
    if (mode != Mode.COMPAT) {
      TknControlResult result = control.decode(buffer, offset, available);
      switch (result) {
        case NEED_MORE:
          return 0;
        case NOT_CONTROL:
          break;
        case PAYLOAD_TOO_LARGE:
          tooLarge(buffer, offset, "control frame");
          return available;
        case FRAME:
          controlFrame(control.type());
          return control.frameLength();
        default:
          badControlFrame(result);
          return control.frameLength();
      }
      if (mode == Mode.UNDECIDED && !startCompat()) {
        return available;
      }
    }
    TknDecodeResult result = decoder.decode(buffer, offset, available);
    if (result == TknDecodeResult.NEED_MORE) {
      return 0;
    }
    if (result == TknDecodeResult.PAYLOAD_TOO_LARGE) {
      tooLarge(buffer, offset, "frame");
      return available;
    }
    if (result == TknDecodeResult.UNKNOWN_TYPE) {
      unknownType(decoder.typeCode(), decoder.frameLength());
    } else {
      dataFrame(result);
    }
    return decoder.frameLength();
  }

  private void readDone(long bytes, long startedNanos) {
    metrics.socketData(bytes, System.nanoTime() - startedNanos);
    if (closing) {
      output.flush();
      return;
    }
    if (mode == Mode.COMPAT) {
      output.sendCompatAck(sessionId + ": ack");
    } else if (mode == Mode.HELLO && mining != null && (creditOwed > 0 || acked < dataFrames)) {
      long grant = paused ? 0 : creditOwed;
      creditOwed -= grant;
      credit += grant;
      acked = dataFrames;
      replies.ack(dataFrames, mining.symbols(), mining.tokens(), grant);
    }
    output.flush();
  }

  private boolean startCompat() {
    if (!config.authToken().isEmpty()) {
      metrics.protocolError("compat-refused");
      LOG.info(
          "tkn {}: refused a compatibility-mode client from {}: this server requires HELLO with"
              + " an auth token",
          sessionId,
          output.remote());
      closing = true;
      output.closeAfterFlush();
      return false;
    }
    startMining(Mode.COMPAT, config.defaultTenant());
    return !closing;
  }

  private void controlFrame(TknControlType type) {
    if (mode == Mode.UNDECIDED) {
      if (type == TknControlType.HELLO) {
        hello();
      } else if (startCompat()) {
        unknownType(type.code(), control.frameLength());
      }
      return;
    }
    switch (type) {
      case HELLO -> {
        metrics.protocolError("repeated-hello");
        fatal(TknErrorCode.BAD_HELLO, 0, "HELLO may only be the first frame");
      }
      case FLUSH -> flush(control.requestId());
      default -> unknownType(type.code(), control.frameLength());
    }
  }

  private void badControlFrame(TknControlResult result) {
    TknControlType type = control.type();
    metrics.protocolError("bad-" + (type == null ? "control" : type.name().toLowerCase(ROOT)));
    if (mode == Mode.UNDECIDED) {
      mode = Mode.HELLO;
      TknErrorCode code =
          result == TknControlResult.UNSUPPORTED_VERSION
              ? TknErrorCode.UNSUPPORTED_VERSION
              : TknErrorCode.BAD_HELLO;
      fatal(code, 0, "bad HELLO: " + result.name().toLowerCase(ROOT).replace('_', ' '));
      return;
    }
    if (type == TknControlType.HELLO) {
      fatal(TknErrorCode.BAD_HELLO, 0, "HELLO may only be the first frame");
      return;
    }
    replies.error(
        TknErrorCode.MALFORMED_FRAME,
        0,
        (type == null ? "control frame" : type.name())
            + " skipped: "
            + result.name().toLowerCase(ROOT).replace('_', ' '));
  }

  private void hello() {
    mode = Mode.HELLO;
    if (!config.authToken().isEmpty() && !tokenMatches(control)) {
      metrics.protocolError("auth-failed");
      fatal(TknErrorCode.AUTH_FAILED, 0, "auth token refused");
      return;
    }
    String tenant = control.tenantLength() == 0 ? config.defaultTenant() : control.tenant();
    startMining(Mode.HELLO, tenant);
    if (closing) {
      return;
    }
    credit = config.credit();
    replies.ready(config.credit(), config.maxFrame(), sessionId);
  }

  private boolean tokenMatches(TknControlDecoder hello) {
    byte[] expected = config.authToken().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, hello.token());
  }

  private void startMining(Mode newMode, String tenant) {
    mode = newMode;
    metrics.session(newMode == Mode.HELLO ? "hello" : "compat", transport);
    try {
      mining = miners.open(tenant, sessionId, this::pipelineEvent);
    } catch (RuntimeException e) {
      LOG.warn("tkn {}: cannot open a mining session: {}", sessionId, e.toString());
      fatal(TknErrorCode.INTERNAL, 0, "cannot open a mining session: " + e.getMessage());
    }
  }

  private void unknownType(int typeCode, int frameLength) {
    metrics.frame("unknown");
    metrics.protocolError("unknown-type");
    if (mode == Mode.HELLO) {
      replies.error(
          TknErrorCode.UNKNOWN_TYPE,
          0,
          "frame type " + typeCode + " is unknown; skipped " + frameLength + " bytes");
    }
  }

  private void dataFrame(TknDecodeResult result) {
    dataFrames++;
    if (mode == Mode.HELLO) {
      if (credit == 0) {
        metrics.protocolError("credit-exceeded");
        fatal(
            TknErrorCode.CREDIT_EXCEEDED,
            dataFrames,
            "data frame sent without credit; wait for an ACK granting more");
        return;
      }
      credit--;
      creditOwed++;
    }
    TknFrame frame = decoder.frame();
    TknFrameType type = TknFrameType.fromCode(decoder.typeCode());
    metrics.frame(type.name().toLowerCase(ROOT));
    String problem = null;
    if (result != TknDecodeResult.FRAME) {
      problem = describe(result);
      metrics.protocolError(result.name().toLowerCase(ROOT));
    }
    if (mining == null) {
      return;
    }
    MiningSession.Outcome outcome =
        result == TknDecodeResult.FRAME || result.isBatchItemError()
            ? mining.mine(type, frame, decoder)
            : MiningSession.Outcome.OK;
    switch (outcome) {
      case OK -> {}
      case MALFORMED_JSON -> {
        problem = (problem == null ? "" : problem + "; ") + mining.lastProblem();
        metrics.protocolError("malformed-json");
      }
      case SYMBOL_TABLE_FULL -> {
        metrics.protocolError("symbol-table-full");
        fatal(TknErrorCode.SYMBOL_TABLE_FULL, dataFrames, mining.lastProblem());
        return;
      }
      case FAILED -> {
        fatal(TknErrorCode.STORAGE_FAILED, dataFrames, mining.lastProblem());
        return;
      }
    }
    if (problem != null && mode == Mode.HELLO) {
      replies.error(TknErrorCode.MALFORMED_FRAME, dataFrames, problem);
    }
  }

  private static String describe(TknDecodeResult result) {
    return switch (result) {
      case EMPTY_BATCH -> "empty BATCH; nothing mined";
      case NESTED_BATCH -> "BATCH inside a BATCH; items before it were mined, the rest skipped";
      case BATCH_ITEM_TRUNCATED -> "BATCH item runs past its batch; items before it were mined";
      case BATCH_ITEM_UNKNOWN_TYPE -> "BATCH item of unknown type; items before it were mined";
      default -> result.name();
    };
  }

  private void tooLarge(DirectBuffer buffer, int offset, String what) {
    long declared = buffer.getInt(offset + 1, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    metrics.protocolError("frame-too-large");
    String message =
        what
            + " payload of "
            + declared
            + " bytes exceeds the limit (max-frame "
            + config.maxFrame()
            + ")";
    LOG.info("tkn {}: {} from {}; closing", sessionId, message, output.remote());
    if (mode == Mode.HELLO) {
      fatal(TknErrorCode.FRAME_TOO_LARGE, dataFrames + 1, message);
    } else {
      endSession();
      closing = true;
      output.closeAfterFlush();
    }
  }

  private void flush(long requestId) {
    mining
        .flush()
        .whenComplete(
            (written, failure) ->
                output
                    .executor()
                    .execute(
                        () -> {
                          if (failure != null) {
                            fatal(
                                TknErrorCode.STORAGE_FAILED,
                                0,
                                "flush failed: " + failure.getMessage());
                          } else {
                            replies.flushed(requestId, written);
                          }
                          output.flush();
                        }));
  }

  /** Called by the mining session's pipeline from its threads. */
  private void pipelineEvent(MiningSession.Event event, Throwable failure) {
    output
        .executor()
        .execute(
            () -> {
              switch (event) {
                case PAUSE -> {
                  if (!paused) {
                    paused = true;
                    metrics.backpressurePaused();
                    output.setReading(false);
                  }
                }
                case RESUME -> {
                  if (paused) {
                    paused = false;
                    output.setReading(true);
                    if (mode == Mode.HELLO && creditOwed > 0 && !closing) {
                      long grant = creditOwed;
                      creditOwed = 0;
                      credit += grant;
                      replies.ack(dataFrames, mining.symbols(), mining.tokens(), grant);
                      output.flush();
                    }
                  }
                }
                case FAILED -> {
                  LOG.warn("tkn {}: graph writes failed: {}", sessionId, String.valueOf(failure));
                  fatal(
                      TknErrorCode.STORAGE_FAILED,
                      0,
                      "graph writes failed: " + (failure == null ? "" : failure.getMessage()));
                }
              }
            });
  }

  private void fatal(TknErrorCode code, long frame, String message) {
    if (closing) {
      return;
    }
    closing = true;
    if (mode == Mode.HELLO) {
      replies.error(code, frame, message);
    }
    endSession();
    output.closeAfterFlush();
  }

  /** The server is stopping: mine the last window, let the graph drain, then close. */
  void shutdown() {
    if (closing) {
      return;
    }
    closing = true;
    if (mode == Mode.HELLO) {
      replies.error(TknErrorCode.SHUTTING_DOWN, 0, "server shutting down");
    }
    if (mining == null) {
      output.closeAfterFlush();
      return;
    }
    mining
        .finish()
        .whenComplete((written, failure) -> output.executor().execute(output::closeAfterFlush));
  }

  /** The connection closed (either side): mine the last window and drain in the background. */
  void closed() {
    closing = true;
    endSession();
  }

  void transportFailed(Throwable cause) {
    LOG.debug("tkn {}: transport error from {}: {}", sessionId, output.remote(), cause.toString());
    metrics.socketDataError();
  }

  private void endSession() {
    if (mining != null) {
      MiningSession ending = mining;
      mining = null;
      ending.finish();
    }
  }
}
