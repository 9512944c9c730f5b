package io.tokenworks.latzero.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.tokenworks.latzero.FabricError;
import io.tokenworks.protocol.latzero.LatZeroDecodeResult;
import io.tokenworks.protocol.latzero.LatZeroFrameDecoder;
import io.tokenworks.protocol.latzero.LatZeroMessageResult;
import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One LatZero connection: finds frames in the bytes received (the length prefix is checked before
 * the body is buffered), parses each, and hands it to its {@link Requests}; owns the connection's
 * {@link Outbound} and its fabric session.
 *
 * <p>A bad frame (length over max-frame, a body that is not UTF-8 JSON, not an object, or has no
 * string type) gets one error frame with {@code in_reply_to} null, and the connection closes. A
 * request that may block (administration, blocks) runs off the event loop, and the connection reads
 * nothing more until its answer is queued, so requests are answered in order. Reading also pauses
 * while the socket cannot take more or the outbound bound is reached.
 */
final class LatZeroConnection extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(LatZeroConnection.class);

  /** How long a closing error frame may wait for a peer that does not read. */
  private static final long CLOSE_GRACE_MS = 2_000;

  private final ServerContext server;
  private final LatZeroFrameDecoder decoder;
  private final UnsafeBuffer inView = new UnsafeBuffer(new byte[0]);
  private ChannelHandlerContext ctx;
  private EventLoop eventLoop;
  private Outbound outbound;
  private Requests requests;
  private ByteBuf cumulation;
  private volatile boolean open = true;

  /** No more frames are read: a closing error is queued or the connection is gone. */
  private boolean closing;

  /** A request runs off the event loop; frames wait until it is answered. */
  private boolean busy;

  LatZeroConnection(ServerContext server) {
    this.server = server;
    this.decoder = new LatZeroFrameDecoder(server.config().maxFrameBytes());
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.ctx = context;
    this.eventLoop = context.channel().eventLoop();
    this.outbound =
        new Outbound(
            context, server.config().outboundQueueBytes(), server.metrics(), this::updateAutoRead);
    this.requests = new Requests(this, server);
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object message) {
    if (!(message instanceof ByteBuf bytes)) {
      context.fireChannelRead(message);
      return;
    }
    if (closing) {
      bytes.release();
      return;
    }
    outbound.readStarted();
    cumulation =
        ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(
            context.alloc(), cumulation == null ? Unpooled.EMPTY_BUFFER : cumulation, bytes);
    readFrames();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext context) {
    outbound.readComplete();
    updateAutoRead();
    context.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext context) {
    updateAutoRead();
    context.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    open = false;
    closing = true;
    releaseCumulation();
    outbound.closed();
    requests.connectionClosed();
    context.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    LOG.debug("connection {} failed: {}", context.channel().remoteAddress(), cause.toString());
    context.close();
  }

  /** Decodes and handles whole frames until none is left, the connection closes or waits. */
  private void readFrames() {
    while (!closing && !busy && cumulation != null && cumulation.isReadable()) {
      int available = cumulation.readableBytes();
      wrap(cumulation, cumulation.readerIndex(), available);
      LatZeroDecodeResult result = decoder.decode(inView, 0, available);
      if (result == LatZeroDecodeResult.NEED_MORE) {
        break;
      }
      if (result == LatZeroDecodeResult.FRAME_TOO_LARGE) {
        failFrame(
            WireException.FRAME_TOO_LARGE,
            "frame length over max-frame=" + decoder.maxFrameLength() + " bytes");
        return;
      }
      if (result == LatZeroDecodeResult.EMPTY_FRAME) {
        failFrame(
            WireException.MESSAGE_PARSING_ERROR, "empty frame: a body must be one JSON object");
        return;
      }
      LatZeroMessageResult parsed =
          server.codec().parse(inView, decoder.payloadOffset(), decoder.payloadLength());
      cumulation.skipBytes(decoder.frameLength());
      if (parsed instanceof LatZeroMessageResult.Invalid invalid) {
        failFrame(WireException.MESSAGE_PARSING_ERROR, invalid.detail());
        return;
      }
      requests.handle((LatZeroMessageResult.Message) parsed);
    }
    if (cumulation != null) {
      if (!cumulation.isReadable()) {
        releaseCumulation();
      } else {
        cumulation.discardSomeReadBytes();
      }
    }
  }

  /** One error frame for a frame the stream cannot recover from, then close. */
  private void failFrame(String code, String message) {
    closeWithError(errorFrame(null, code, message));
  }

  /**
   * Stops reading, unbinds the session at once (calls dispatched here fail for their callers now,
   * not at the socket's close), and closes after {@code error} is written. Event loop only.
   */
  private void closeWithError(ByteBuf error) {
    closing = true;
    releaseCumulation();
    requests.connectionClosed();
    ctx.channel().config().setAutoRead(false);
    outbound.replyAndClose(error, CLOSE_GRACE_MS);
  }

  /**
   * Runs {@code work} on the blocking executor; the frame it returns is queued as the answer, and
   * reading resumes. Event loop only.
   */
  void offload(Supplier<Answer> work, String inReplyTo) {
    busy = true;
    updateAutoRead();
    try {
      server
          .blocking()
          .execute(
              () -> {
                Answer answer = work.get();
                try {
                  eventLoop.execute(() -> answered(answer));
                } catch (RejectedExecutionException e) {
                  answer.frame().release();
                }
              });
    } catch (RejectedExecutionException e) {
      busy = false;
      reply(
          errorFrame(
              inReplyTo, FabricError.SERVICE_UNAVAILABLE.wireName(), "the server is stopping"));
    }
  }

  private void answered(Answer answer) {
    busy = false;
    if (closing) {
      answer.frame().release();
    } else {
      outbound.reply(answer.frame());
      readFrames();
      updateAutoRead();
    }
    if (answer.then() != null) {
      answer.then().run();
    }
  }

  /**
   * The answer to a request run off the event loop.
   *
   * @param then runs on the event loop once the frame is queued (e.g. a shutdown, which must not
   *     overtake its own acknowledgement), or null
   */
  record Answer(ByteBuf frame, Runnable then) {
    static Answer of(ByteBuf frame) {
      return new Answer(frame, null);
    }
  }

  /** Queues the connection's own reply. */
  void reply(ByteBuf frame) {
    outbound.reply(frame);
  }

  /** An error frame, counted in the metrics; {@code inReplyTo} may be null. */
  ByteBuf errorFrame(String inReplyTo, String code, String message) {
    server.metrics().error(code);
    return server.frames().error(alloc(), inReplyTo, code, message);
  }

  /** A push did not fit the outbound bound: tell the client why, and close. Any thread. */
  void overflowed() {
    onEventLoop(
        () -> {
          if (!closing) {
            LOG.info(
                "closing connection {} of {}: it did not read {} bytes queued for it",
                ctx.channel().remoteAddress(),
                requests.appId(),
                outbound.pendingBytes());
            closeWithError(
                errorFrame(
                    null,
                    WireException.SERVER_BUSY,
                    "the connection did not read what the server had for it (outbound-queue-bytes="
                        + server.config().outboundQueueBytes()
                        + "); closing"));
          }
        });
  }

  /** The fabric closed {@code delivery}'s session (replaced elsewhere, or shutting down). */
  void closedByFabric(SessionDelivery delivery, FabricError reason, String message) {
    onEventLoop(
        () -> {
          if (!closing && requests.isCurrent(delivery)) {
            closeWithError(errorFrame(null, reason.wireName(), message));
          }
        });
  }

  private void onEventLoop(Runnable task) {
    if (eventLoop.inEventLoop()) {
      task.run();
      return;
    }
    try {
      eventLoop.execute(task);
    } catch (RejectedExecutionException e) {
      // The event loop has stopped: the connection is being torn down anyway.
    }
  }

  boolean isOpen() {
    return open;
  }

  ByteBufAllocator alloc() {
    return ctx.alloc();
  }

  Outbound outbound() {
    return outbound;
  }

  /** Whether the peer is on this host, for the admin token. */
  boolean fromThisHost() {
    if (!(ctx.channel().remoteAddress() instanceof InetSocketAddress remote)
        || remote.getAddress() == null) {
      return false;
    }
    // A peer on this host: loopback, or (a server listening on another interface) a connection
    // whose two ends share that interface's address.
    return remote.getAddress().isLoopbackAddress()
        || (ctx.channel().localAddress() instanceof InetSocketAddress local
            && remote.getAddress().equals(local.getAddress()));
  }

  private void updateAutoRead() {
    if (!open) {
      return;
    }
    boolean wanted = !closing && !busy && ctx.channel().isWritable() && !outbound.full();
    if (ctx.channel().config().isAutoRead() != wanted) {
      ctx.channel().config().setAutoRead(wanted);
    }
  }

  private void releaseCumulation() {
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
  }

  /** Points {@code inView} at {@code length} bytes of {@code buffer} from {@code index}. */
  private void wrap(ByteBuf buffer, int index, int length) {
    if (buffer.hasMemoryAddress()) {
      inView.wrap(buffer.memoryAddress() + index, length);
    } else if (buffer.hasArray()) {
      inView.wrap(buffer.array(), buffer.arrayOffset() + index, length);
    } else {
      inView.wrap(buffer.nioBuffer(index, length));
    }
  }
}
