package io.tokenworks.server.kit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP server on Netty with the limits every Tokenworks server needs: a bind address and port, a
 * maximum number of connections (a connection beyond it is accepted and closed at once, before any
 * protocol handler sees it), an idle timeout (a connection that sends nothing for that long is
 * closed) and a graceful shutdown (stop accepting, let each connection finish what it has in
 * flight, then close within a deadline).
 *
 * <pre>{@code
 * NettyServer server = NettyServer.builder("tau")
 *     .bindAddress("127.0.0.1").port(7701).maxConnections(1024).idleTimeout(Duration.ofSeconds(30))
 *     .pipeline(pipeline -> pipeline.addLast(new MyProtocolHandler()))
 *     .start();
 * }</pre>
 */
public final class NettyServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NettyServer.class);

  private final String name;
  private final EventLoopGroup acceptGroup;
  private final EventLoopGroup workerGroup;
  private final Channel serverChannel;
  private final ChannelGroup connections;
  private final Counters counters;
  private final Duration shutdownTimeout;
  private volatile boolean closed;

  private NettyServer(
      Builder builder,
      Initializer initializer,
      EventLoopGroup accept,
      EventLoopGroup workers,
      Channel channel) {
    this.name = builder.name;
    this.acceptGroup = accept;
    this.workerGroup = workers;
    this.serverChannel = channel;
    this.connections = initializer.connections;
    this.counters = initializer.counters;
    this.shutdownTimeout = builder.shutdownTimeout;
  }

  public static Builder builder(String name) {
    return new Builder(Objects.requireNonNull(name, "name"));
  }

  /** The address the server listens on (with the real port when 0 was asked for). */
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  public int port() {
    return localAddress().getPort();
  }

  /** Connections open now (refused ones never count). */
  public int activeConnections() {
    return counters.active.get();
  }

  /** Connections accepted since start, refused ones not included. */
  public long acceptedConnections() {
    return counters.accepted.get();
  }

  /** Connections refused because the server held its maximum. */
  public long refusedConnections() {
    return counters.refused.get();
  }

  /**
   * Stops accepting, fires a {@link ShutdownEvent} down every connection, waits up to the shutdown
   * timeout for them to close, closes what is left and stops the event loops. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    long deadlineNs = System.nanoTime() + shutdownTimeout.toNanos();
    serverChannel.close().awaitUninterruptibly(shutdownTimeout.toMillis());
    for (Channel channel : connections) {
      channel
          .eventLoop()
          .execute(() -> channel.pipeline().fireUserEventTriggered(ShutdownEvent.INSTANCE));
    }
    long remainingMs = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime()));
    if (!connections.newCloseFuture().awaitUninterruptibly(remainingMs)) {
      LOG.warn(
          "{}: {} connections still busy after {}; closing them",
          name,
          connections.size(),
          shutdownTimeout);
      connections.close().awaitUninterruptibly(1_000);
    }
    workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2_000);
    acceptGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2_000);
    LOG.info("{}: stopped listening on {}", name, serverChannel.localAddress());
  }

  private static final class Counters {
    final AtomicInteger active = new AtomicInteger();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
  }

  /** Fluent settings for a {@link NettyServer}; {@link #start()} validates them and binds. */
  public static final class Builder {
    private final String name;
    private String bindAddress = "127.0.0.1";
    private int port;
    private int maxConnections = 1024;
    private Duration idleTimeout = Duration.ofSeconds(30);
    private Duration shutdownTimeout = Duration.ofSeconds(5);
    private int workerThreads;
    private Consumer<ChannelPipeline> pipeline;
    private ConnectionListener listener = ConnectionListener.NONE;

    private Builder(String name) {
      this.name = name;
    }

    /** The address to listen on: a literal IP or a host name; default 127.0.0.1. */
    public Builder bindAddress(String address) {
      this.bindAddress = Objects.requireNonNull(address, "bindAddress");
      return this;
    }

    /** The port; 0 (the default) picks a free one, see {@link NettyServer#port()}. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder maxConnections(int max) {
      this.maxConnections = max;
      return this;
    }

    /** How long a connection may send nothing before it is closed; zero disables. */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = Objects.requireNonNull(timeout, "idleTimeout");
      return this;
    }

    /** How long {@link NettyServer#close()} lets connections finish before closing them. */
    public Builder shutdownTimeout(Duration timeout) {
      this.shutdownTimeout = Objects.requireNonNull(timeout, "shutdownTimeout");
      return this;
    }

    /** Event-loop threads for connections; 0 (the default) lets Netty pick (2 x CPUs). */
    public Builder workerThreads(int threads) {
      this.workerThreads = threads;
      return this;
    }

    /** Adds the protocol handlers to each accepted connection's pipeline. */
    public Builder pipeline(Consumer<ChannelPipeline> pipeline) {
      this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
      return this;
    }

    public Builder listener(ConnectionListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Binds and starts accepting.
     *
     * @throws IllegalArgumentException for a setting out of range, as {@code name=value}
     * @throws ServerStartException when the address cannot be bound
     */
    public NettyServer start() {
      require(port >= 0 && port <= 65535, "port", port, "0..65535");
      require(maxConnections >= 1, "maxConnections", maxConnections, ">= 1");
      require(!idleTimeout.isNegative(), "idleTimeout", idleTimeout, ">= 0");
      require(!shutdownTimeout.isNegative(), "shutdownTimeout", shutdownTimeout, ">= 0");
      require(workerThreads >= 0, "workerThreads", workerThreads, ">= 0");
      Objects.requireNonNull(pipeline, "pipeline must be set");
      Initializer initializer = new Initializer(this);
      EventLoopGroup accept = new NioEventLoopGroup(1, new DefaultThreadFactory(name + "-accept"));
      EventLoopGroup workers =
          new NioEventLoopGroup(workerThreads, new DefaultThreadFactory(name + "-io"));
      try {
        Channel channel =
            new ServerBootstrap()
                .group(accept, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(
                    ChannelOption.WRITE_BUFFER_WATER_MARK,
                    new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(initializer)
                .bind(bindAddress, port)
                .syncUninterruptibly()
                .channel();
        NettyServer server = new NettyServer(this, initializer, accept, workers, channel);
        LOG.info("{}: listening on {}", name, channel.localAddress());
        return server;
      } catch (Exception e) {
        accept.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        throw new ServerStartException(
            name + ": cannot listen on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
      }
    }

    private static void require(boolean ok, String name, Object value, String range) {
      if (!ok) {
        throw new IllegalArgumentException(name + "=" + value + " must be " + range);
      }
    }
  }

  /**
   * Applies the connection limit, then builds the pipeline: idle timeout, protocol, last resort.
   */
  private static final class Initializer extends ChannelInitializer<SocketChannel> {
    private final Builder settings;
    private final Counters counters = new Counters();
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    Initializer(Builder settings) {
      this.settings = settings;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
      if (counters.active.incrementAndGet() > settings.maxConnections) {
        counters.active.decrementAndGet();
        counters.refused.incrementAndGet();
        settings.listener.refused(channel);
        channel.close();
        return;
      }
      counters.accepted.incrementAndGet();
      connections.add(channel);
      channel
          .closeFuture()
          .addListener(
              future -> {
                counters.active.decrementAndGet();
                settings.listener.closed(channel);
              });
      ChannelPipeline pipeline = channel.pipeline();
      if (!settings.idleTimeout.isZero()) {
        long idleMs = settings.idleTimeout.toMillis();
        pipeline.addLast("idle-state", new IdleStateHandler(idleMs, 0, 0, TimeUnit.MILLISECONDS));
        pipeline.addLast("idle-close", new IdleCloser(settings.listener));
      }
      settings.pipeline.accept(pipeline);
      pipeline.addLast("shutdown-close", SHUTDOWN_CLOSER);
      settings.listener.accepted(channel);
    }
  }

  /** Closes a connection that sent nothing for the idle timeout. */
  private static final class IdleCloser extends ChannelInboundHandlerAdapter {
    private final ConnectionListener listener;

    IdleCloser(ConnectionListener listener) {
      this.listener = listener;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
      if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
        listener.idleTimedOut(ctx.channel());
        ctx.close();
        return;
      }
      super.userEventTriggered(ctx, event);
    }
  }

  private static final ChannelHandler SHUTDOWN_CLOSER = new ShutdownCloser();

  /** Last in every pipeline: a {@link ShutdownEvent} nobody consumed flushes and closes. */
  @ChannelHandler.Sharable
  private static final class ShutdownCloser extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
      if (event instanceof ShutdownEvent) {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      super.userEventTriggered(ctx, event);
    }
  }
}
