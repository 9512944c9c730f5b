package io.tokenworks.tkn.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * Tells the two transports on the TKN port apart from the first bytes: {@code "GET "} starts a
 * WebSocket upgrade (a TKN v1 frame cannot start with it: type byte 0x47 is no TKN type), anything
 * else is raw TKN frames. Then replaces itself with the right handlers; bytes already read are
 * handed on.
 */
final class ProtocolSniffer extends ByteToMessageDecoder {

  private static final byte[] GET = "GET ".getBytes(StandardCharsets.US_ASCII);

  private final int maxFrame;
  private final Function<Boolean, TknConnection> connections;

  /**
   * @param connections makes the connection handler; its argument says whether it speaks WebSocket
   */
  ProtocolSniffer(int maxFrame, Function<Boolean, TknConnection> connections) {
    this.maxFrame = maxFrame;
    this.connections = connections;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int available = Math.min(in.readableBytes(), GET.length);
    for (int i = 0; i < available; i++) {
      if (in.getByte(in.readerIndex() + i) != GET[i]) {
        install(ctx, false);
        return;
      }
    }
    if (available == GET.length) {
      install(ctx, true);
    }
  }

  private void install(ChannelHandlerContext ctx, boolean webSocket) {
    ChannelPipeline pipeline = ctx.pipeline();
    String name = ctx.name();
    if (webSocket) {
      int maxMessage = maxFrame + 5;
      pipeline.addAfter(name, "http", new HttpServerCodec());
      pipeline.addAfter("http", "http-aggregator", new HttpObjectAggregator(16 * 1024));
      pipeline.addAfter("http-aggregator", "plain-http", new PlainHttpRefuser());
      pipeline.addAfter(
          "plain-http",
          "websocket",
          new WebSocketServerProtocolHandler(
              WebSocketServerProtocolConfig.newBuilder()
                  .websocketPath("/")
                  .checkStartsWith(true)
                  .maxFramePayloadLength(maxMessage)
                  .handleCloseFrames(true)
                  .dropPongFrames(true)
                  .build()));
      pipeline.addAfter(
          "websocket", "websocket-aggregator", new WebSocketFrameAggregator(maxMessage));
      pipeline.addAfter("websocket-aggregator", "tkn", connections.apply(true));
    } else {
      pipeline.addAfter(name, "tkn", connections.apply(false));
    }
    pipeline.remove(this);
  }

  /**
   * A plain HTTP request (no WebSocket upgrade) on the TKN port gets 426 and the connection closes;
   * upgrades pass on to the handshake.
   */
  private static final class PlainHttpRefuser extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
      if (message instanceof FullHttpRequest request
          && !"websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))) {
        request.release();
        byte[] body =
            "this port speaks TKN frames over TCP or WebSocket (upgrade required)\n"
                .getBytes(StandardCharsets.US_ASCII);
        FullHttpResponse response =
            new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.UPGRADE_REQUIRED,
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=us-ascii");
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        response.headers().set(HttpHeaderNames.UPGRADE, "websocket");
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      ctx.fireChannelRead(message);
    }
  }
}
