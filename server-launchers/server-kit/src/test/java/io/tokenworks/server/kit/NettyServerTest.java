package io.tokenworks.server.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NettyServerTest {

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  /** Echoes every byte back. */
  private static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.writeAndFlush(msg);
    }
  }

  private NettyServer start(NettyServer.Builder builder) {
    NettyServer server = builder.start();
    resources.add(server);
    return server;
  }

  private Socket connect(NettyServer server) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
    socket.setSoTimeout(5_000);
    resources.add(socket);
    return socket;
  }

  private static String echo(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    byte[] reply = socket.getInputStream().readNBytes(text.length());
    return new String(reply, StandardCharsets.US_ASCII);
  }

  /** Reads until end of stream; true when the server closed within the socket timeout. */
  private static boolean closedByServer(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    try {
      while (in.read() >= 0) {
        // drain
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // connection reset also means closed
    }
  }

  private static void await(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("condition not met within 5 s");
      }
      Thread.sleep(10);
    }
  }

  @Test
  void servesConnectionsOnAnEphemeralLoopbackPort() throws Exception {
    NettyServer server = start(NettyServer.builder("test").pipeline(p -> p.addLast(new Echo())));
    assertThat(server.port()).isPositive();
    assertThat(server.localAddress().getAddress().isLoopbackAddress()).isTrue();
    Socket socket = connect(server);
    assertThat(echo(socket, "hello")).isEqualTo("hello");
    assertThat(server.activeConnections()).isEqualTo(1);
    assertThat(server.acceptedConnections()).isEqualTo(1);
  }

  @Test
  void refusesConnectionsBeyondTheLimitByClosingThem() throws Exception {
    AtomicInteger refused = new AtomicInteger();
    NettyServer server =
        start(
            NettyServer.builder("test")
                .maxConnections(2)
                .listener(
                    new ConnectionListener() {
                      @Override
                      public void refused(Channel channel) {
                        refused.incrementAndGet();
                      }
                    })
                .pipeline(p -> p.addLast(new Echo())));
    Socket first = connect(server);
    Socket second = connect(server);
    assertThat(echo(first, "a")).isEqualTo("a");
    assertThat(echo(second, "b")).isEqualTo("b");

    Socket third = connect(server);
    assertThat(closedByServer(third)).isTrue();
    assertThat(server.refusedConnections()).isEqualTo(1);
    assertThat(refused.get()).isEqualTo(1);
    assertThat(server.activeConnections()).isEqualTo(2);

    first.close();
    await(() -> server.activeConnections() == 1);
    Socket fourth = connect(server);
    assertThat(echo(fourth, "d")).isEqualTo("d");
  }

  @Test
  void closesAConnectionThatSendsNothingForTheIdleTimeout() throws Exception {
    AtomicInteger idle = new AtomicInteger();
    NettyServer server =
        start(
            NettyServer.builder("test")
                .idleTimeout(Duration.ofMillis(200))
                .listener(
                    new ConnectionListener() {
                      @Override
                      public void idleTimedOut(Channel channel) {
                        idle.incrementAndGet();
                      }
                    })
                .pipeline(p -> p.addLast(new Echo())));
    Socket socket = connect(server);
    long start = System.nanoTime();
    assertThat(closedByServer(socket)).isTrue();
    assertThat((System.nanoTime() - start) / 1_000_000).isBetween(150L, 4_000L);
    assertThat(idle.get()).isEqualTo(1);
    await(() -> server.activeConnections() == 0);
  }

  @Test
  void aConnectionThatKeepsSendingIsNotIdle() throws Exception {
    NettyServer server =
        start(
            NettyServer.builder("test")
                .idleTimeout(Duration.ofMillis(300))
                .pipeline(p -> p.addLast(new Echo())));
    Socket socket = connect(server);
    for (int i = 0; i < 8; i++) {
      assertThat(echo(socket, "x")).isEqualTo("x");
      Thread.sleep(100);
    }
    assertThat(server.activeConnections()).isEqualTo(1);
  }

  @Test
  void zeroIdleTimeoutDisablesIt() throws Exception {
    NettyServer server =
        start(
            NettyServer.builder("test")
                .idleTimeout(Duration.ZERO)
                .pipeline(p -> p.addLast(new Echo())));
    Socket socket = connect(server);
    socket.setSoTimeout(400);
    assertThat(closedByServer(socket)).isFalse();
  }

  @Test
  void gracefulShutdownLetsAHandlerFinishThenClosesTheRest() throws Exception {
    NettyServer server =
        NettyServer.builder("test")
            .pipeline(
                p ->
                    p.addLast(
                        new ChannelInboundHandlerAdapter() {
                          @Override
                          public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ((ByteBuf) msg).release();
                          }

                          @Override
                          public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                            if (event instanceof ShutdownEvent) {
                              ByteBuf bye = Unpooled.copiedBuffer("bye", StandardCharsets.US_ASCII);
                              ctx.writeAndFlush(bye).addListener(ChannelFutureListener.CLOSE);
                            } else {
                              ctx.fireUserEventTriggered(event);
                            }
                          }
                        }))
            .start();
    Socket socket = connect(server);
    socket.getOutputStream().write(1);
    await(() -> server.activeConnections() == 1);
    server.close();
    assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
        .isEqualTo("bye");
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), server.port()))
        .isInstanceOf(IOException.class);
    server.close(); // idempotent
  }

  @Test
  void shutdownClosesConnectionsWhoseHandlersIgnoreIt() throws Exception {
    NettyServer server = NettyServer.builder("test").pipeline(p -> p.addLast(new Echo())).start();
    Socket socket = connect(server);
    assertThat(echo(socket, "x")).isEqualTo("x");
    server.close();
    assertThat(closedByServer(socket)).isTrue();
  }

  @Test
  void aPortInUseIsOneClearError() {
    NettyServer server = start(NettyServer.builder("first").pipeline(p -> p.addLast(new Echo())));
    assertThatThrownBy(
            () -> NettyServer.builder("second").port(server.port()).pipeline(p -> {}).start())
        .isInstanceOf(ServerStartException.class)
        .hasMessageStartingWith("second: cannot listen on 127.0.0.1:" + server.port());
  }

  @Test
  void settingsOutOfRangeAreRefusedByName() {
    assertThatThrownBy(() -> NettyServer.builder("t").maxConnections(0).pipeline(p -> {}).start())
        .hasMessage("maxConnections=0 must be >= 1");
    assertThatThrownBy(() -> NettyServer.builder("t").port(70000).pipeline(p -> {}).start())
        .hasMessage("port=70000 must be 0..65535");
  }
}
