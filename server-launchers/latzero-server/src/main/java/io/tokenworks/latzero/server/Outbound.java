package io.tokenworks.latzero.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.ManyToOneConcurrentLinkedQueue;

/**
 * The frames on their way to one connection, from any thread, with a bound.
 *
 * <p>Frames from the connection's own event loop are written at once; frames from other threads
 * (calls and results routed from other connections, deadlines) are queued and written by one task
 * per batch. Either way the flush is batched: once per read batch ({@link #readComplete()}) or once
 * per event-loop turn, never per frame.
 *
 * <p>{@link #pendingBytes()} counts bytes accepted but not yet written to the socket. A push
 * ({@link #push}) is refused once it reaches the bound, so at most the bound plus one frame waits;
 * the connection's own replies ({@link #reply}) are never refused, since the connection stops
 * reading while the bound is reached.
 */
final class Outbound {

  private final ChannelHandlerContext ctx;
  private final EventLoop eventLoop;
  private final long boundBytes;
  private final LatZeroMetrics metrics;
  private final Runnable resume;
  private final AtomicLong pendingBytes = new AtomicLong();
  private final ManyToOneConcurrentLinkedQueue<ByteBuf> queue =
      new ManyToOneConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final Runnable drainTask = this::drain;
  private final Runnable flushTask = this::flushScheduled;
  private volatile boolean closed;

  // Event-loop state.
  private boolean reading;
  private boolean flushPending;
  private boolean flushTaskQueued;
  private long unflushedBytes;

  /**
   * @param resume runs on the event loop when the pending bytes fall below the bound again
   */
  Outbound(ChannelHandlerContext ctx, long boundBytes, LatZeroMetrics metrics, Runnable resume) {
    this.ctx = ctx;
    this.eventLoop = ctx.channel().eventLoop();
    this.boundBytes = boundBytes;
    this.metrics = metrics;
    this.resume = resume;
  }

  /**
   * Queues a frame pushed by the fabric (a call, a result, an emit, a block event), from any
   * thread. Takes ownership of {@code frame}.
   *
   * @return false, with the frame released, when the connection is closed or its pending bytes have
   *     reached the bound
   */
  boolean push(ByteBuf frame) {
    if (closed || pendingBytes.get() >= boundBytes) {
      frame.release();
      return false;
    }
    send(frame);
    return true;
  }

  /** Queues the connection's own reply, from any thread; takes ownership of {@code frame}. */
  void reply(ByteBuf frame) {
    if (closed) {
      frame.release();
      return;
    }
    send(frame);
  }

  private void send(ByteBuf frame) {
    count(frame.readableBytes());
    if (eventLoop.inEventLoop()) {
      // Written ahead of frames other threads queued: order only matters within one thread.
      write(frame);
      if (!reading && !flushTaskQueued) {
        flushTaskQueued = true;
        eventLoop.execute(flushTask);
      }
      return;
    }
    queue.offer(frame);
    if (drainScheduled.compareAndSet(false, true)) {
      try {
        eventLoop.execute(drainTask);
      } catch (RejectedExecutionException e) {
        // The event loop has stopped (server shutdown): nobody will write this connection again.
        drainScheduled.set(false);
      }
    }
  }

  private void count(long size) {
    pendingBytes.addAndGet(size);
    metrics.outboundBytes(size);
  }

  /** Whether the pending bytes have reached the bound. */
  boolean full() {
    return pendingBytes.get() >= boundBytes;
  }

  long pendingBytes() {
    return pendingBytes.get();
  }

  /** A read batch starts: flushes wait for {@link #readComplete()}. Event loop only. */
  void readStarted() {
    reading = true;
  }

  /** A read batch ended: flushes what it wrote. Event loop only. */
  void readComplete() {
    reading = false;
    if (flushPending) {
      flush();
    }
  }

  /**
   * Writes {@code frame} after everything queued, refuses anything more, and closes the connection
   * once the frame is written, or after {@code graceMillis} if the peer does not read it by then.
   * Event loop only.
   */
  void replyAndClose(ByteBuf frame, long graceMillis) {
    count(frame.readableBytes());
    drainQueue();
    closed = true;
    long batch = unflushedBytes + frame.readableBytes();
    unflushedBytes = 0;
    flushPending = false;
    ChannelPromise written = ctx.newPromise();
    written.addListener(
        future -> {
          written(batch);
          ctx.close();
        });
    ctx.write(frame, written);
    ctx.flush();
    ScheduledFuture<?> deadline =
        eventLoop.schedule(() -> ctx.close(), graceMillis, TimeUnit.MILLISECONDS);
    ctx.channel().closeFuture().addListener(future -> deadline.cancel(false));
  }

  /** The connection closed: releases everything queued. Event loop only. */
  void closed() {
    closed = true;
    releaseQueued();
  }

  private void drain() {
    drainScheduled.set(false);
    if (closed) {
      releaseQueued();
      return;
    }
    drainQueue();
    if (!reading && flushPending) {
      flush();
    }
  }

  private void drainQueue() {
    ByteBuf frame;
    while ((frame = queue.poll()) != null) {
      write(frame);
    }
  }

  private void write(ByteBuf frame) {
    unflushedBytes += frame.readableBytes();
    ctx.write(frame, ctx.voidPromise());
    flushPending = true;
  }

  private void flushScheduled() {
    flushTaskQueued = false;
    if (flushPending) {
      flush();
    }
  }

  /**
   * Flushes, and counts the batch's bytes as written once the socket took them: an empty write
   * after the batch completes only after every write before it did.
   */
  private void flush() {
    flushPending = false;
    long batch = unflushedBytes;
    if (batch == 0) {
      ctx.flush();
      return;
    }
    unflushedBytes = 0;
    ChannelPromise written = ctx.newPromise();
    written.addListener(future -> written(batch));
    ctx.write(Unpooled.EMPTY_BUFFER, written);
    ctx.flush();
  }

  private void written(long batch) {
    boolean wasFull = pendingBytes.get() >= boundBytes;
    long now = pendingBytes.addAndGet(-batch);
    metrics.outboundBytes(-batch);
    if (wasFull && now < boundBytes && !closed) {
      resume.run();
    }
  }

  private void releaseQueued() {
    ByteBuf frame;
    while ((frame = queue.poll()) != null) {
      count(-frame.readableBytes());
      frame.release();
    }
  }
}
