package io.tokenworks.protocol.tau;

import static io.tokenworks.protocol.tau.TauFrameDescriptor.HEADER_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.MAX_PAYLOAD_LENGTH;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The socket under a {@link TauClient}: a send buffer that frames are encoded into and flushed in
 * one write, and a receive buffer that replies are decoded from in place. The send side and the
 * receive side share no state, so one thread may send while another receives (pipelining); each
 * side on its own is single-threaded.
 */
final class TauConnection implements AutoCloseable {

  private static final int INITIAL_BUFFER_BYTES = 64 * 1024;
  private static final int MAX_FRAME_BYTES = HEADER_LENGTH + MAX_PAYLOAD_LENGTH;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final int readTimeoutMs;

  private final UnsafeBuffer sendBuffer = new UnsafeBuffer(new byte[INITIAL_BUFFER_BYTES]);
  private int sendPosition;

  private final UnsafeBuffer receiveBuffer = new UnsafeBuffer(new byte[INITIAL_BUFFER_BYTES]);
  private final TauFrameDecoder decoder = new TauFrameDecoder();
  private int readPosition;
  private int readLimit;

  /** Length of the frame last returned, consumed on the next read so its bytes stay valid. */
  private int lastFrameLength;

  private volatile boolean closed;

  private TauConnection(Socket socket, int readTimeoutMs) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    this.readTimeoutMs = readTimeoutMs;
  }

  static TauConnection open(String host, int port, int connectTimeoutMs, int readTimeoutMs) {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(readTimeoutMs);
      socket.connect(new InetSocketAddress(host, port), connectTimeoutMs);
      return new TauConnection(socket, readTimeoutMs);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new TauClientException(
          "cannot connect to " + host + ":" + port + " (timeout " + connectTimeoutMs + " ms)", e);
    }
  }

  /**
   * Makes room for a frame of up to {@code maxFrameLength} bytes (flushing what is buffered if
   * needed) and returns the offset to encode it at in {@link #sendBuffer()}; call {@link
   * #commit(int)} with its real length.
   */
  int reserve(int maxFrameLength) {
    if (maxFrameLength > MAX_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "frame length=" + maxFrameLength + " exceeds the protocol maximum " + MAX_FRAME_BYTES);
    }
    if (sendPosition + maxFrameLength > sendBuffer.capacity()) {
      flush();
      if (maxFrameLength > sendBuffer.capacity()) {
        sendBuffer.wrap(new byte[maxFrameLength]);
      }
    }
    return sendPosition;
  }

  MutableDirectBuffer sendBuffer() {
    return sendBuffer;
  }

  void commit(int frameLength) {
    sendPosition += frameLength;
  }

  /** Writes every buffered frame to the socket. */
  void flush() {
    if (sendPosition == 0) {
      return;
    }
    ensureOpen();
    try {
      out.write(sendBuffer.byteArray(), 0, sendPosition);
      out.flush();
      sendPosition = 0;
    } catch (IOException e) {
      throw fail("write failed", e);
    }
  }

  /**
   * Blocks until the next whole reply frame has arrived and returns a view of it, valid until the
   * next call. A frame the decoder rejects, an end of stream or a timeout closes the connection.
   */
  TauFrame readFrame() {
    ensureOpen();
    readPosition += lastFrameLength;
    lastFrameLength = 0;
    while (true) {
      TauDecodeResult result =
          decoder.decode(receiveBuffer, readPosition, readLimit - readPosition);
      if (result == TauDecodeResult.FRAME) {
        lastFrameLength = decoder.frameLength();
        return decoder.frame();
      }
      if (result != TauDecodeResult.NEED_MORE) {
        throw fail("server sent a frame the decoder rejects: " + result, null);
      }
      receiveAtLeast(decoder.frameLength());
    }
  }

  private void receiveAtLeast(int frameLength) {
    if (readPosition + frameLength > receiveBuffer.capacity()) {
      compactOrGrow(frameLength);
    }
    try {
      int read =
          in.read(receiveBuffer.byteArray(), readLimit, receiveBuffer.capacity() - readLimit);
      if (read < 0) {
        throw fail("server closed the connection", null);
      }
      readLimit += read;
    } catch (SocketTimeoutException e) {
      throw fail("no reply within " + readTimeoutMs + " ms", e);
    } catch (IOException e) {
      throw fail("read failed", e);
    }
  }

  private void compactOrGrow(int frameLength) {
    byte[] bytes = receiveBuffer.byteArray();
    int unread = readLimit - readPosition;
    byte[] target =
        frameLength > bytes.length
            ? new byte[Math.max(frameLength, Math.min(2 * bytes.length, MAX_FRAME_BYTES))]
            : bytes;
    System.arraycopy(bytes, readPosition, target, 0, unread);
    if (target != bytes) {
      receiveBuffer.wrap(target);
    }
    readPosition = 0;
    readLimit = unread;
  }

  private void ensureOpen() {
    if (closed) {
      throw new TauClientException("connection is closed", null);
    }
  }

  private TauClientException fail(String message, Throwable cause) {
    close();
    return new TauClientException(
        message + " (" + socket.getInetAddress() + ":" + socket.getPort() + ")", cause);
  }

  boolean isClosed() {
    return closed;
  }

  /** Shortens the read timeout, e.g. for a polite DISCONNECT on close. */
  void readTimeout(int timeoutMs) {
    try {
      socket.setSoTimeout(timeoutMs);
    } catch (IOException e) {
      close();
    }
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Nothing to do: the socket is gone either way.
    }
  }
}
