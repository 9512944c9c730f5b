package io.tokenworks.protocol.tkn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A scripted TKN server for client tests: accepts connections on an ephemeral loopback port, splits
 * what each client sends into frames (control frames first, v1 data frames otherwise), records them
 * and hands each to {@code script}, which answers through the {@link Connection}.
 */
final class FakeTknServer implements AutoCloseable {

  /** One frame as received: its type byte and its whole bytes, header included. */
  record Received(int type, byte[] bytes) {}

  /** What the server does with each frame. */
  @FunctionalInterface
  interface Script {
    void onFrame(Connection connection, Received frame) throws IOException;
  }

  /** One accepted client. */
  static final class Connection {
    private final Socket socket;
    private final OutputStream out;
    long dataFrames;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream();
    }

    synchronized void send(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    void close() throws IOException {
      socket.close();
    }
  }

  private final ServerSocket serverSocket;
  private final Script script;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final BlockingQueue<Connection> connections = new LinkedBlockingQueue<>();
  private volatile Connection last;

  FakeTknServer(Script script) throws IOException {
    this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.script = script;
    Thread acceptor = new Thread(this::acceptLoop, "fake-tkn-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  /** The next frame received, waiting up to five seconds; fails when none comes. */
  Received next() throws InterruptedException {
    Received frame = received.poll(5, TimeUnit.SECONDS);
    if (frame == null) {
      throw new AssertionError("no frame received");
    }
    return frame;
  }

  /** The next frame received within {@code millis}, or null. */
  Received poll(long millis) throws InterruptedException {
    return received.poll(millis, TimeUnit.MILLISECONDS);
  }

  Connection connection() throws InterruptedException {
    Connection connection = last;
    return connection != null ? connection : connections.poll(5, TimeUnit.SECONDS);
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      try {
        Socket socket = serverSocket.accept();
        Connection connection = new Connection(socket);
        last = connection;
        connections.add(connection);
        Thread thread = new Thread(() -> serve(connection), "fake-tkn-conn");
        thread.setDaemon(true);
        thread.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Connection connection) {
    TknControlDecoder control = new TknControlDecoder();
    TknFrameDecoder data = new TknFrameDecoder();
    byte[] bytes = new byte[1 << 20];
    UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    int limit = 0;
    try (InputStream in = connection.socket.getInputStream()) {
      while (true) {
        int read = in.read(bytes, limit, bytes.length - limit);
        if (read < 0) {
          return;
        }
        limit += read;
        int position = 0;
        while (true) {
          int length;
          TknControlResult result = control.decode(buffer, position, limit - position);
          if (result == TknControlResult.NOT_CONTROL) {
            TknDecodeResult dataResult = data.decode(buffer, position, limit - position);
            if (dataResult == TknDecodeResult.NEED_MORE) {
              break;
            }
            length = data.frameLength();
          } else if (result == TknControlResult.NEED_MORE) {
            break;
          } else {
            length = control.frameLength();
          }
          byte[] frame = new byte[length];
          buffer.getBytes(position, frame);
          Received one = new Received(frame[0] & 0xFF, frame);
          received.add(one);
          script.onFrame(connection, one);
          position += length;
        }
        System.arraycopy(bytes, position, bytes, 0, limit - position);
        limit -= position;
      }
    } catch (IOException e) {
      // The client went away, or the script closed the connection.
    }
  }

  /** Encodes one frame with {@code encoder} and returns exactly its bytes. */
  static byte[] frame(ToIntFunction<UnsafeBuffer> encoder) {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    int length = encoder.applyAsInt(buffer);
    byte[] bytes = new byte[length];
    buffer.getBytes(0, bytes);
    return bytes;
  }

  static byte[] ready(long credit, long maxPayloadLength, String sessionId) {
    return frame(b -> TknControlEncoder.ready(b, 0, credit, maxPayloadLength, sessionId));
  }

  static byte[] ack(long frames, long symbols, long tokens, long credit) {
    return frame(b -> TknControlEncoder.ack(b, 0, frames, symbols, tokens, credit));
  }

  static byte[] error(TknErrorCode code, long frameNumber, String message) {
    return frame(b -> TknControlEncoder.error(b, 0, code, frameNumber, message));
  }

  static byte[] flushed(long requestId, long tokens) {
    return frame(b -> TknControlEncoder.flushed(b, 0, requestId, tokens));
  }

  /** The request id of a FLUSH frame. */
  static long requestId(Received flush) {
    return new UnsafeBuffer(flush.bytes()).getLong(5, java.nio.ByteOrder.BIG_ENDIAN);
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
    Connection connection;
    while ((connection = connections.poll()) != null) {
      connection.close();
    }
    if (last != null) {
      last.close();
    }
  }
}
