package io.tokenworks.protocol.tkn;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The receiving half of a {@link TknClient}: a reader thread that decodes what the server sends and
 * the state it shares with the sending side (handshake, credit, acknowledgements, errors, pending
 * futures). Every change happens under {@link #lock} and wakes every waiter; the counters the
 * sender polls on its fast path are volatile so a send with credit left takes no lock.
 *
 * <p>Futures are completed after the lock is released, on the reader thread.
 */
final class TknClientSession {

  private static final int RECEIVE_BUFFER_BYTES = 16 * 1024;

  private final Socket socket;
  private final boolean helloMode;
  private final String peer;
  private final Thread reader;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  // Written by the reader under the lock, read anywhere.
  private volatile boolean ready;
  private volatile String sessionId;
  private volatile long maxPayloadLength;
  private volatile long granted;
  private volatile long ackedFrames;
  private volatile TknAck lastAck = TknAck.NONE;
  private volatile TknClientException failure;
  private volatile long compatBytesReceived;
  private volatile long errorsReceived;

  // Guarded by lock.
  private TknClientException pendingError;
  private final TreeMap<Long, CompletableFuture<TknAck>> ackWaiters = new TreeMap<>();
  private final Long2ObjectHashMap<CompletableFuture<Long>> flushWaiters =
      new Long2ObjectHashMap<>();

  TknClientSession(Socket socket, boolean helloMode) {
    this.socket = socket;
    this.helloMode = helloMode;
    this.peer = socket.getInetAddress() + ":" + socket.getPort();
    this.reader =
        new Thread(
            helloMode ? this::readFrames : this::drainCompatAcks, "tkn-client-reader " + peer);
    reader.setDaemon(true);
  }

  void start() {
    reader.start();
  }

  Thread reader() {
    return reader;
  }

  boolean helloMode() {
    return helloMode;
  }

  // ---------------------------------------------------------------- reading

  private void drainCompatAcks() {
    byte[] bytes = new byte[RECEIVE_BUFFER_BYTES];
    try (InputStream in = socket.getInputStream()) {
      int read;
      while ((read = in.read(bytes)) >= 0) {
        // The acks are unframed text, "<sessionId>: ack" per chunk the server read: only counted.
        compatBytesReceived += read;
      }
      fail(connectionFailure("server closed the connection", null));
    } catch (IOException e) {
      fail(connectionFailure("read failed", e));
    }
  }

  private void readFrames() {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[RECEIVE_BUFFER_BYTES]);
    TknControlDecoder decoder = new TknControlDecoder();
    int limit = 0;
    try (InputStream in = socket.getInputStream()) {
      while (failure == null) {
        int read = in.read(buffer.byteArray(), limit, buffer.capacity() - limit);
        if (read < 0) {
          fail(connectionFailure("server closed the connection", null));
          return;
        }
        limit += read;
        int position = 0;
        while (true) {
          TknControlResult result = decoder.decode(buffer, position, limit - position);
          if (result == TknControlResult.NEED_MORE) {
            break;
          }
          if (result != TknControlResult.FRAME) {
            int type = buffer.getByte(position) & 0xFF;
            fail(violation("a frame of type 0x" + Integer.toHexString(type) + " is " + result));
            return;
          }
          if (!dispatch(decoder)) {
            return;
          }
          position += decoder.frameLength();
        }
        // Control frames are at most ~1 KiB, far below the buffer: compacting always makes room.
        buffer.putBytes(0, buffer, position, limit - position);
        limit -= position;
      }
    } catch (IOException e) {
      fail(connectionFailure("read failed", e));
    }
  }

  /** Handles one control frame; false when it ended the session. */
  private boolean dispatch(TknControlDecoder frame) {
    TknControlType type = frame.type();
    if (type == TknControlType.ERROR) {
      return onError(frame);
    }
    if (!ready && type != TknControlType.READY) {
      return fail(violation(type + " before READY"));
    }
    switch (type) {
      case READY:
        if (ready) {
          return fail(violation("a second READY"));
        }
        onReady(frame);
        return true;
      case ACK:
        onAck(frame);
        return true;
      case FLUSHED:
        return onFlushed(frame);
      default:
        return fail(violation("the server sent " + type + ", a client frame"));
    }
  }

  private void onReady(TknControlDecoder frame) {
    lock.lock();
    try {
      sessionId = frame.sessionId();
      maxPayloadLength = Math.min(frame.maxPayloadLength(), TknFrameDescriptor.MAX_PAYLOAD_LENGTH);
      granted = frame.credit();
      ready = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void onAck(TknControlDecoder frame) {
    TknAck ack = new TknAck(frame.frames(), frame.symbols(), frame.tokens());
    List<CompletableFuture<TknAck>> covered = new ArrayList<>();
    lock.lock();
    try {
      granted += frame.credit();
      ackedFrames = Math.max(ackedFrames, ack.frames());
      lastAck = ack;
      Map<Long, CompletableFuture<TknAck>> head = ackWaiters.headMap(ack.frames(), true);
      covered.addAll(head.values());
      head.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    covered.forEach(future -> future.complete(ack));
  }

  private boolean onFlushed(TknControlDecoder frame) {
    CompletableFuture<Long> waiter;
    lock.lock();
    try {
      waiter = flushWaiters.remove(frame.requestId());
    } finally {
      lock.unlock();
    }
    if (waiter == null) {
      return fail(violation("FLUSHED for request " + frame.requestId() + ", which is not pending"));
    }
    waiter.complete(frame.tokens());
    return true;
  }

  private boolean onError(TknControlDecoder frame) {
    TknErrorCode code = TknErrorCode.fromCode(frame.errorCode());
    // An unknown code may be fatal; so is anything before READY, which ends the handshake.
    boolean fatal = code == null || code.fatal() || !ready;
    String name = code == null ? "error code " + frame.errorCode() : code.name();
    String about = frame.errorFrame() == 0 ? "" : " (data frame " + frame.errorFrame() + ")";
    TknClientException error =
        new TknClientException(
            frame.errorCode(),
            frame.errorFrame(),
            "server error " + name + about + ": " + frame.message(),
            fatal);
    lock.lock();
    try {
      errorsReceived++;
      if (!fatal && pendingError == null) {
        pendingError = error;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    return !fatal || fail(error);
  }

  // ---------------------------------------------------------------- failing

  private TknClientException connectionFailure(String message, Throwable cause) {
    return new TknClientException(message + " (" + peer + ")", cause, true);
  }

  private TknClientException violation(String what) {
    return new TknClientException("protocol violation: " + what + " (" + peer + ")", null, true);
  }

  /** Ends the session with {@code error} unless it already ended; always returns false. */
  boolean fail(TknClientException error) {
    List<CompletableFuture<?>> waiters = new ArrayList<>();
    lock.lock();
    try {
      if (failure == null) {
        failure = error;
      }
      waiters.addAll(ackWaiters.values());
      ackWaiters.clear();
      flushWaiters.values().forEach(waiters::add);
      flushWaiters.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closed either way.
    }
    TknClientException cause = failure;
    waiters.forEach(waiter -> waiter.completeExceptionally(cause));
    return false;
  }

  // ---------------------------------------------------------------- for the sender

  /** Throws the failure that ended the session, or else the oldest non-fatal error not thrown. */
  void throwIfFailed() {
    TknClientException ended = failure;
    if (ended != null) {
      throw new TknClientException(ended);
    }
    if (errorsReceived != 0) {
      TknClientException error;
      lock.lock();
      try {
        error = pendingError;
        pendingError = null;
      } finally {
        lock.unlock();
      }
      if (error != null) {
        throw new TknClientException(error);
      }
    }
  }

  /**
   * Waits until {@code done} holds, the session ends or {@code timeoutNs} passes. A timeout throws
   * without closing: the caller decides.
   */
  void await(BooleanSupplier done, long timeoutNs, String what) {
    lock.lock();
    try {
      long remainingNs = timeoutNs;
      while (!done.getAsBoolean()) {
        if (failure != null) {
          throw new TknClientException(failure);
        }
        if (remainingNs <= 0) {
          throw new TknClientException(
              what + " within " + TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms", null, false);
        }
        remainingNs = changed.awaitNanos(remainingNs);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TknClientException("interrupted while waiting for " + what, e, false);
    } finally {
      lock.unlock();
    }
  }

  /** A future completed by the first ACK covering {@code frameNumber}. */
  CompletableFuture<TknAck> ackWaiter(long frameNumber) {
    lock.lock();
    try {
      if (failure != null) {
        return CompletableFuture.failedFuture(failure);
      }
      if (ackedFrames >= frameNumber) {
        return CompletableFuture.completedFuture(lastAck);
      }
      return ackWaiters.computeIfAbsent(frameNumber, ignored -> new CompletableFuture<>());
    } finally {
      lock.unlock();
    }
  }

  /** Registers the future a FLUSHED for {@code requestId} completes. */
  CompletableFuture<Long> flushWaiter(long requestId) {
    CompletableFuture<Long> future = new CompletableFuture<>();
    lock.lock();
    try {
      if (failure != null) {
        return CompletableFuture.failedFuture(failure);
      }
      flushWaiters.put(requestId, future);
      return future;
    } finally {
      lock.unlock();
    }
  }

  boolean ready() {
    return ready;
  }

  boolean failed() {
    return failure != null;
  }

  String sessionId() {
    return sessionId;
  }

  long maxPayloadLength() {
    return maxPayloadLength;
  }

  long granted() {
    return granted;
  }

  long ackedFrames() {
    return ackedFrames;
  }

  TknAck lastAck() {
    return lastAck;
  }

  long compatBytesReceived() {
    return compatBytesReceived;
  }

  long errorsReceived() {
    return errorsReceived;
  }

  /** Closes the socket, which ends the reader, and waits briefly for it. */
  void close() {
    fail(new TknClientException("client is closed", null, true));
    if (Thread.currentThread() != reader) {
      try {
        reader.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
