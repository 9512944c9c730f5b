package io.tokenworks.tkn.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.tokenworks.server.kit.ShutdownEvent;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One TKN connection on Netty: raw TCP (frames found in the accumulated byte stream, read in place)
 * or WebSocket (each binary message exactly one frame). Everything the protocol means is in {@link
 * TknSession}; this class moves bytes and applies backpressure by switching reading off and on.
 */
final class TknConnection extends ChannelInboundHandlerAdapter implements TknSession.Output {

  private final boolean webSocket;
  private final TknSession session;
  private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
  private ChannelHandlerContext ctx;
  private ByteBuf cumulation;
  private boolean closed;
  private boolean started;
  private boolean pipelinePaused;
  private boolean peerNotReading;
  private final Runnable slowReader;

  TknConnection(boolean webSocket, TknSession.Factory sessions, Runnable slowReader) {
    this.webSocket = webSocket;
    this.slowReader = slowReader;
    this.session = sessions.create(this, webSocket ? "websocket" : "tcp");
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.ctx = context;
    if (!webSocket) {
      started = true;
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
    if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
      started = true;
      return;
    }
    if (event instanceof ShutdownEvent) {
      session.shutdown();
      return;
    }
    super.userEventTriggered(context, event);
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object message) {
    if (closed) {
      io.netty.util.ReferenceCountUtil.release(message);
      return;
    }
    long started = System.nanoTime();
    if (message instanceof ByteBuf bytes) {
      readStream(context, bytes);
    } else if (message instanceof BinaryWebSocketFrame frame) {
      try {
        ByteBuf content = frame.content();
        wrap(content);
        session.message(view, 0, content.readableBytes(), started);
      } finally {
        frame.release();
      }
    } else if (message instanceof TextWebSocketFrame text) {
      text.release();
      context
          .writeAndFlush(
              new CloseWebSocketFrame(
                  WebSocketCloseStatus.INVALID_MESSAGE_TYPE,
                  "TKN frames travel as binary messages"))
          .addListener(ChannelFutureListener.CLOSE);
      closed = true;
    } else {
      context.fireChannelRead(message);
    }
  }

  private void readStream(ChannelHandlerContext context, ByteBuf bytes) {
    long started = System.nanoTime();
    cumulation =
        ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(
            context.alloc(), cumulation == null ? Unpooled.EMPTY_BUFFER : cumulation, bytes);
    wrap(cumulation);
    int consumed = session.stream(view, 0, cumulation.readableBytes(), started);
    if (cumulation == null) {
      return; // closed while handling
    }
    cumulation.skipBytes(consumed);
    if (!cumulation.isReadable()) {
      cumulation.release();
      cumulation = null;
    } else if (consumed > 0) {
      cumulation.discardSomeReadBytes();
    }
  }

  private void wrap(ByteBuf buffer) {
    if (buffer.hasMemoryAddress()) {
      view.wrap(buffer.memoryAddress() + buffer.readerIndex(), buffer.readableBytes());
    } else if (buffer.hasArray()) {
      view.wrap(
          buffer.array(), buffer.arrayOffset() + buffer.readerIndex(), buffer.readableBytes());
    } else {
      byte[] copy = new byte[buffer.readableBytes()];
      buffer.getBytes(buffer.readerIndex(), copy);
      view.wrap(copy);
    }
  }

  /**
   * A peer that does not read our acks fills the send buffer: stop reading its frames until it has
   * read them, so its replies cannot pile up in memory.
   */
  @Override
  public void channelWritabilityChanged(ChannelHandlerContext context) {
    boolean writable = context.channel().isWritable();
    if (!writable && !peerNotReading) {
      slowReader.run();
    }
    peerNotReading = !writable;
    applyReading();
    context.fireChannelWritabilityChanged();
  }

  private void applyReading() {
    boolean reading = !pipelinePaused && !peerNotReading;
    if (ctx.channel().config().isAutoRead() != reading) {
      ctx.channel().config().setAutoRead(reading);
      if (reading) {
        ctx.read();
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    closed = true;
    releaseCumulation();
    session.closed();
    context.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    session.transportFailed(cause);
    closeNow();
  }

  private void releaseCumulation() {
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
  }

  // TknSession.Output, all called on the event loop

  @Override
  public void sendFrame(ByteBuf frame) {
    if (closed) {
      frame.release();
      return;
    }
    ctx.write(webSocket ? new BinaryWebSocketFrame(frame) : frame, ctx.voidPromise());
  }

  @Override
  public void sendCompatAck(String text) {
    if (closed) {
      return;
    }
    if (webSocket) {
      ctx.write(new TextWebSocketFrame(text), ctx.voidPromise());
    } else {
      ctx.write(
          Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.US_ASCII)), ctx.voidPromise());
    }
  }

  @Override
  public void flush() {
    if (!closed) {
      ctx.flush();
    }
  }

  @Override
  public void closeAfterFlush() {
    if (closed) {
      return;
    }
    closed = true;
    releaseCumulation();
    Object last = webSocket ? new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE) : null;
    if (last != null && started) {
      ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void closeNow() {
    closed = true;
    releaseCumulation();
    ctx.close();
  }

  @Override
  public void setReading(boolean reading) {
    pipelinePaused = !reading;
    applyReading();
  }

  @Override
  public io.netty.util.concurrent.EventExecutor executor() {
    return ctx.executor();
  }

  @Override
  public ByteBufAllocator alloc() {
    return ctx.alloc();
  }

  @Override
  public String remote() {
    return String.valueOf(ctx.channel().remoteAddress());
  }
}
