package io.tokenworks.protocol.latzero.client;

import io.tokenworks.protocol.latzero.LatZeroMessageCodec;
import io.tokenworks.protocol.latzero.LatZeroMessageResult;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The socket of a {@link LatZeroClient}: a reader thread that frames and parses what the server
 * sends and hands each message to a {@link Listener}, and serialized writes. Writers flush as a
 * group: a writer that sees another one waiting leaves the flush to it, so pipelined requests from
 * several threads share system calls.
 */
final class ClientConnection {

  private static final int BUFFER_BYTES = 64 * 1024;

  /** Hears what the reader receives, on the reader thread. */
  interface Listener {
    void onMessage(LatZeroMessageResult.Message message);

    /** The connection ended; {@code reason} says why. Called once, when the reader stops. */
    void onClosed(LatZeroClientException reason);
  }

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;
  private final LatZeroMessageCodec codec;
  private final int maxFrameBytes;
  private final Listener listener;
  private final Thread reader;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final AtomicInteger writers = new AtomicInteger();
  private volatile boolean closed;
  private volatile LatZeroClientException closeReason;

  ClientConnection(Socket socket, int maxFrameBytes, Listener listener, String name)
      throws IOException {
    this.socket = socket;
    this.out = new BufferedOutputStream(socket.getOutputStream(), BUFFER_BYTES);
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), BUFFER_BYTES));
    this.codec = new LatZeroMessageCodec(maxFrameBytes);
    this.maxFrameBytes = maxFrameBytes;
    this.listener = listener;
    this.reader = new Thread(this::read, "latzero-client-reader " + name);
    reader.setDaemon(true);
  }

  void start() {
    reader.start();
  }

  boolean isReaderThread() {
    return Thread.currentThread() == reader;
  }

  /**
   * Writes one whole frame.
   *
   * @throws LatZeroClientException {@link LatZeroClientException#CONNECTION_CLOSED} when the
   *     connection is closed or the write fails (which closes it)
   */
  void send(byte[] frame) {
    writers.incrementAndGet();
    writeLock.lock();
    try {
      // The last writer to count down writes after every writer counted before it: it flushes.
      boolean flush = writers.decrementAndGet() == 0;
      if (closed) {
        throw closedException();
      }
      out.write(frame);
      if (flush) {
        out.flush();
      }
    } catch (IOException e) {
      LatZeroClientException failure =
          new LatZeroClientException(
              LatZeroClientException.CONNECTION_CLOSED, "write failed: " + e.getMessage(), e);
      fail(failure);
      throw failure;
    } finally {
      writeLock.unlock();
    }
  }

  /** Flushes what is written, then half-closes: the server reads our last frames, then EOF. */
  void shutdownOutput() {
    writeLock.lock();
    try {
      if (!closed) {
        out.flush();
        socket.shutdownOutput();
      }
    } catch (IOException e) {
      // The socket is going away; close() follows.
    } finally {
      writeLock.unlock();
    }
  }

  /** Closes the socket; the reader ends and the listener hears {@code reason} (the first one). */
  void fail(LatZeroClientException reason) {
    closeWith(reason);
  }

  private synchronized LatZeroClientException closeWith(LatZeroClientException reason) {
    if (!closed) {
      closed = true;
      closeReason = reason;
      try {
        socket.close();
      } catch (IOException e) {
        // Closing anyway.
      }
    }
    return closeReason;
  }

  boolean isClosed() {
    return closed;
  }

  LatZeroClientException closedException() {
    LatZeroClientException reason = closeReason;
    String why = reason == null ? "the connection is closed" : reason.getMessage();
    return new LatZeroClientException(
        reason == null ? LatZeroClientException.CONNECTION_CLOSED : reason.code(), why);
  }

  void awaitReader(long millis) throws InterruptedException {
    reader.join(millis);
  }

  private void read() {
    LatZeroClientException reason;
    try {
      while (true) {
        long length = in.readInt() & 0xFFFF_FFFFL;
        if (length == 0 || length > maxFrameBytes) {
          reason = protocolError("the server sent a frame of " + length + " bytes");
          break;
        }
        byte[] body = new byte[(int) length];
        in.readFully(body);
        LatZeroMessageResult parsed = codec.parse(new UnsafeBuffer(body), 0, body.length);
        if (parsed instanceof LatZeroMessageResult.Invalid invalid) {
          reason = protocolError("the server sent an invalid message: " + invalid.detail());
          break;
        }
        listener.onMessage((LatZeroMessageResult.Message) parsed);
      }
    } catch (EOFException e) {
      reason =
          new LatZeroClientException(
              LatZeroClientException.CONNECTION_CLOSED, "the server closed the connection");
    } catch (IOException e) {
      reason =
          new LatZeroClientException(
              LatZeroClientException.CONNECTION_CLOSED, "connection lost: " + e.getMessage(), e);
    }
    listener.onClosed(closeWith(reason));
  }

  private static LatZeroClientException protocolError(String message) {
    return new LatZeroClientException(LatZeroClientException.PROTOCOL_ERROR, message);
  }
}
