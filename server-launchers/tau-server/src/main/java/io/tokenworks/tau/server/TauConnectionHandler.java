package io.tokenworks.tau.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.tokenworks.protocol.tau.TauDecodeResult;
import io.tokenworks.protocol.tau.TauFrame;
import io.tokenworks.protocol.tau.TauFrameDecoder;
import io.tokenworks.protocol.tau.TauOpcode;
import io.tokenworks.protocol.tau.TauStatus;
import io.tokenworks.server.kit.ShutdownEvent;
import io.tokenworks.tau.TauEngine;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TAU connection: finds frames in the bytes received ({@link TauFrameDecoder} over the
 * accumulated input, read in place), enforces the session rules, hands requests to a {@link
 * TauDispatcher} and writes the replies back <em>in request order</em>, although the engine
 * completes them out of order.
 *
 * <p>Pipelining: requests queue in {@code waiting} until they may start, then in {@code inFlight}
 * until their reply is written; a reply leaves only from the head, so order holds. Appends start as
 * soon as no earlier non-append is unfinished (the engine orders each series' writes); every other
 * request starts only when everything before it has finished, so a client that pipelines
 * CREATE_SERIES, APPEND, QUERY_POINT sees the same results as one that waits for each reply. At
 * {@code maxInFlight} queued requests, or when the socket's send buffer is full, the handler stops
 * reading until the queue drains.
 *
 * <p>Session: CONNECT with the right certificate authenticates (again: OK); a wrong one, or an
 * address locked out by the {@link AuthGuard}, gets ERR 0x06 and the connection closes. Any other
 * request before authentication gets 0x05 and closes; DISCONNECT gets OK and closes. A header that
 * cannot be decoded gets its status and closes; a payload of the wrong length gets 0x09 and the
 * connection goes on; a reply opcode sent by a client gets 0x03 and goes on.
 */
final class TauConnectionHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(TauConnectionHandler.class);

  private final TauMetrics metrics;
  private final TauMetrics.Tally tally;
  private final AuthGuard auth;
  private final int maxInFlight;
  private final TauFrameDecoder decoder;
  private final TauDispatcher dispatcher;
  private final TauEngine engine;
  private final UnsafeBuffer inView = new UnsafeBuffer(new byte[0]);
  private final UnsafeBuffer outView = new UnsafeBuffer(new byte[0]);
  private final ArrayDeque<TauRequest> waiting = new ArrayDeque<>();
  private final ArrayDeque<TauRequest> inFlight = new ArrayDeque<>();

  private ChannelHandlerContext ctx;
  private EventLoop eventLoop;
  private final java.util.Queue<TauRequest> completions =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicBoolean drainScheduled =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final Runnable drainTask = this::drainCompletions;
  private ByteBuf cumulation;
  private ByteBuf out;
  private boolean authenticated;

  /** No more requests are read: a closing reply is queued or the server shuts down. */
  private boolean closing;

  private boolean closeWhenDrained;
  private boolean closed;
  private boolean driving;

  /** When the frames being read now were read: their arrival time. */
  private long readNs;

  /** APPENDs of the current read to one series, started together at the end of it. */
  private PendingRun run;

  private final PendingRun.Settled runSettled = this::runSettled;

  /** Started requests not yet complete, and how many of them are not appends. */
  private int incomplete;

  private int incompleteOthers;

  TauConnectionHandler(
      TauEngine engine, TauMetrics metrics, AuthGuard auth, int maxPayload, int maxInFlight) {
    this.metrics = metrics;
    this.tally = metrics.tally();
    this.auth = auth;
    this.maxInFlight = maxInFlight;
    this.decoder = new TauFrameDecoder(maxPayload);
    this.dispatcher = new TauDispatcher(engine, this::completedAnywhere);
    this.engine = engine;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.ctx = context;
    this.eventLoop = context.channel().eventLoop();
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object message) {
    if (!(message instanceof ByteBuf bytes)) {
      context.fireChannelRead(message);
      return;
    }
    if (closing || closed) {
      bytes.release();
      return;
    }
    cumulation =
        ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(
            context.alloc(), cumulation == null ? Unpooled.EMPTY_BUFFER : cumulation, bytes);
    drive();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext context) {
    drive();
    context.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext context, Object event) {
    if (event instanceof ShutdownEvent) {
      closing = true;
      closeWhenDrained = true;
      releaseCumulation();
      drive();
      return;
    }
    context.fireUserEventTriggered(event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    closed = true;
    releaseCumulation();
    if (out != null) {
      out.release();
      out = null;
    }
    waiting.clear();
    inFlight.clear();
    context.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    LOG.debug("connection {} failed: {}", context.channel().remoteAddress(), cause.toString());
    context.close();
  }

  /**
   * Writes what is done, starts what may start, reads what it may; repeats while any of that made
   * progress, since each can unblock the others (a written reply frees room to read buffered
   * frames, a read frame may start at once).
   */
  private void drive() {
    if (driving || closed) {
      return;
    }
    driving = true;
    try {
      boolean progress;
      do {
        progress = pump();
        // The appends of one read batch go to the WAL in one write on this thread, and complete
        // here: no wake-up of the WAL writer, no completions coming back from it.
        engine.holdWalWrites();
        try {
          progress |= readFrames();
        } finally {
          engine.writeHeldWal();
        }
        progress |= pump();
      } while (progress && !closed);
      flushOut();
    } finally {
      driving = false;
      tally.flush();
    }
    updateAutoRead();
  }

  private boolean readFrames() {
    boolean consumed = false;
    // One clock read for the frames of this read: they all arrived before it, and a frame's wait
    // behind earlier ones in the same read counts in its latency.
    readNs = System.nanoTime();
    while (!closing && queued() < maxInFlight && readable()) {
      int available = cumulation.readableBytes();
      wrap(inView, cumulation, cumulation.readerIndex(), available);
      TauDecodeResult result = decoder.decode(inView, 0, available);
      if (result == TauDecodeResult.NEED_MORE) {
        break;
      }
      consumed = true;
      if (result == TauDecodeResult.FRAME) {
        onFrame(decoder.frame());
        cumulation.skipBytes(decoder.frameLength());
      } else if (result == TauDecodeResult.BAD_LENGTH_FOR_OPCODE) {
        startRun();
        TauOpcode opcode = decoder.opcode();
        cumulation.skipBytes(decoder.frameLength());
        onBadLength(opcode);
      } else {
        startRun();
        reject(null, result.status());
      }
    }
    startRun();
    if (closing || (cumulation != null && !cumulation.isReadable())) {
      releaseCumulation();
    } else if (cumulation != null) {
      cumulation.discardSomeReadBytes();
    }
    return consumed;
  }

  private void onFrame(TauFrame frame) {
    TauOpcode opcode = frame.opcode();
    long nowNs = readNs;
    tally.request(opcode);
    if (opcode == TauOpcode.APPEND && authenticated && waiting.isEmpty() && incompleteOthers == 0) {
      joinRun(dispatcher.parse(frame, nowNs));
      return;
    }
    startRun();
    if (opcode == TauOpcode.CONNECT) {
      connect(frame, nowNs);
    } else if (opcode == TauOpcode.DISCONNECT) {
      TauRequest bye = TauRequest.answered(opcode, nowNs, TauStatus.SUCCESS);
      bye.closeAfter = true;
      closing = true;
      enqueue(bye);
    } else if (!authenticated) {
      reject(opcode, TauStatus.NOT_AUTHENTICATED);
    } else if (opcode.isReply()) {
      enqueue(TauRequest.answered(opcode, nowNs, TauStatus.BAD_OPCODE));
    } else {
      submit(dispatcher.parse(frame, nowNs), frame);
    }
  }

  private void connect(TauFrame frame, long nowNs) {
    InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    AuthGuard.Outcome outcome = auth.attempt(address, frame.buffer(), frame.payloadOffset());
    if (outcome == AuthGuard.Outcome.ACCEPTED) {
      authenticated = true;
      enqueue(TauRequest.answered(TauOpcode.CONNECT, nowNs, TauStatus.SUCCESS));
    } else {
      authenticated = false;
      metrics.authFailed();
      LOG.info("CONNECT from {} refused: {}", address, outcome);
      reject(TauOpcode.CONNECT, TauStatus.AUTH_FAILED);
    }
  }

  private void onBadLength(TauOpcode opcode) {
    tally.request(opcode);
    if (!authenticated && opcode != TauOpcode.CONNECT && opcode != TauOpcode.DISCONNECT) {
      reject(opcode, TauStatus.NOT_AUTHENTICATED);
    } else {
      enqueue(TauRequest.answered(opcode, System.nanoTime(), TauStatus.INVALID_PAYLOAD));
    }
  }

  /** Queues {@code status} as the last reply, stops reading, and closes once it is written. */
  private void reject(TauOpcode opcode, TauStatus status) {
    TauRequest reply = TauRequest.answered(opcode, System.nanoTime(), status);
    reply.closeAfter = true;
    closing = true;
    enqueue(reply);
  }

  /** Queues a request that is already answered; it waits for nothing but its turn. */
  private void enqueue(TauRequest answered) {
    (waiting.isEmpty() ? inFlight : waiting).add(answered);
  }

  private void submit(TauRequest request, TauFrame frame) {
    if (waiting.isEmpty() && mayStart(request)) {
      begin(request, frame);
    } else {
      dispatcher.detach(request, frame);
      waiting.add(request);
    }
  }

  /**
   * Adds an APPEND that may start now to the run of its series, starting the run before it if that
   * was for another series. It is in flight from here on: its reply keeps its place.
   */
  private void joinRun(TauRequest request) {
    if (run != null && !run.label.equals(request.label)) {
      startRun();
    }
    if (run == null) {
      run = new PendingRun(request.label, runSettled);
    }
    inFlight.add(request);
    request.pending = true;
    incomplete++;
    run.add(request);
  }

  /** Hands the run being gathered, if any, to the engine. */
  private void startRun() {
    PendingRun started = run;
    if (started != null) {
      run = null;
      dispatcher.start(started);
    }
  }

  /** The engine settled a run, on any thread: as {@link #completedAnywhere} for each request. */
  private void runSettled(PendingRun settled, Throwable failure) {
    if (eventLoop.inEventLoop()) {
      for (int i = 0; i < settled.size(); i++) {
        apply(settled.request(i), failure);
      }
      drive();
      return;
    }
    for (int i = 0; i < settled.size(); i++) {
      handOver(settled.request(i), failure);
    }
  }

  private boolean mayStart(TauRequest request) {
    return request.isWrite() ? incompleteOthers == 0 : incomplete == 0;
  }

  private void begin(TauRequest request, TauFrame frame) {
    inFlight.add(request);
    dispatcher.start(request, frame);
    if (!request.done) {
      request.pending = true;
      incomplete++;
      if (!request.isWrite()) {
        incompleteOthers++;
      }
    }
  }

  /**
   * The engine completed a request, on any thread. Completions from other threads are queued and
   * applied in one event-loop task, so a WAL group commit that completes a hundred appends costs
   * one task and one flush, not a hundred of each.
   */
  private void completedAnywhere(TauRequest request, Throwable failure) {
    if (eventLoop.inEventLoop()) {
      completed(request, failure);
      return;
    }
    handOver(request, failure);
  }

  /** Queues a completion from another thread for the event loop, with one drain task at a time. */
  private void handOver(TauRequest request, Throwable failure) {
    request.completionFailure = failure;
    completions.offer(request);
    if (drainScheduled.compareAndSet(false, true)) {
      eventLoop.execute(drainTask);
    }
  }

  private void drainCompletions() {
    drainScheduled.set(false);
    TauRequest request;
    while ((request = completions.poll()) != null) {
      apply(request, request.completionFailure);
    }
    drive();
  }

  private void completed(TauRequest request, Throwable failure) {
    apply(request, failure);
    drive();
  }

  private void apply(TauRequest request, Throwable failure) {
    if (request.outOfOrder) {
      request.fail(TauStatus.OUT_OF_ORDER);
    } else if (failure != null) {
      TauDispatcher.failed(request, failure);
    } else {
      request.succeed();
    }
    if (request.pending) {
      request.pending = false;
      incomplete--;
      if (!request.isWrite()) {
        incompleteOthers--;
      }
    }
  }

  /**
   * Writes every finished reply at the head and starts the waiting requests that may start; returns
   * whether it did anything.
   */
  private boolean pump() {
    boolean progress = false;
    while (!closed) {
      boolean stamped = false; // one clock read for the replies written together
      long writtenNs = 0;
      while (!inFlight.isEmpty() && inFlight.peek().done) {
        TauRequest reply = inFlight.poll();
        if (!stamped) {
          writtenNs = System.nanoTime();
          stamped = true;
        }
        write(reply, writtenNs);
        progress = true;
        if (reply.closeAfter) {
          closeAfterFlush();
          return true;
        }
        dispatcher.recycle(reply);
      }
      TauRequest next = waiting.peek();
      if (next == null) {
        break;
      }
      if (next.done) {
        inFlight.add(waiting.poll());
      } else if (mayStart(next)) {
        begin(waiting.poll(), null);
      } else {
        break;
      }
      progress = true;
    }
    if (closeWhenDrained && !closed && inFlight.isEmpty() && waiting.isEmpty()) {
      closeAfterFlush();
    }
    return progress;
  }

  private void write(TauRequest reply, long writtenNs) {
    int maxLength = reply.maxReplyLength();
    if (out == null) {
      out = ctx.alloc().ioBuffer(Math.max(1024, maxLength));
    }
    out.ensureWritable(maxLength);
    int writerIndex = out.writerIndex();
    if (out.hasMemoryAddress() || out.hasArray()) {
      wrap(outView, out, writerIndex, maxLength);
      out.writerIndex(writerIndex + reply.encodeReply(outView, 0));
    } else {
      UnsafeBuffer heap = new UnsafeBuffer(new byte[maxLength]);
      out.writeBytes(heap.byteArray(), 0, reply.encodeReply(heap, 0));
    }
    if (reply.opcode != null) {
      tally.replied(reply.opcode, writtenNs - reply.arrivalNs);
    }
    if (reply.status != null) {
      tally.error(reply.status);
    }
  }

  private void flushOut() {
    if (out != null && !closed) {
      ctx.writeAndFlush(out);
      out = null;
    }
  }

  private void closeAfterFlush() {
    closing = true;
    closed = true;
    releaseCumulation();
    waiting.clear();
    inFlight.clear();
    if (out != null) {
      ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
      out = null;
    } else {
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void updateAutoRead() {
    if (closed) {
      return;
    }
    boolean wanted = !closing && queued() < maxInFlight && ctx.channel().isWritable();
    if (ctx.channel().config().isAutoRead() != wanted) {
      ctx.channel().config().setAutoRead(wanted);
    }
  }

  private int queued() {
    return waiting.size() + inFlight.size();
  }

  private boolean readable() {
    return cumulation != null && cumulation.isReadable();
  }

  private void releaseCumulation() {
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
  }

  /** Points {@code view} at {@code length} bytes of {@code buffer} from {@code index}, in place. */
  private static void wrap(UnsafeBuffer view, ByteBuf buffer, int index, int length) {
    if (buffer.hasMemoryAddress()) {
      view.wrap(buffer.memoryAddress() + index, length);
    } else if (buffer.hasArray()) {
      view.wrap(buffer.array(), buffer.arrayOffset() + index, length);
    } else {
      view.wrap(buffer.nioBuffer(index, length));
    }
  }
}
