package io.tokenworks.protocol.tau;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A canned TAU server for client tests: accepts connections on an ephemeral loopback port, decodes
 * each request and answers with whatever {@code replies} returns for it (no bytes: no answer).
 * Records every request as raw bytes.
 */
final class FakeTauServer implements AutoCloseable {

  private final ServerSocket serverSocket;
  private final Function<TauFrame, byte[]> replies;
  private final List<byte[]> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  FakeTauServer(Function<TauFrame, byte[]> replies) throws IOException {
    this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.replies = replies;
    this.acceptor = new Thread(this::acceptLoop, "fake-tau-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A server that accepts CONNECT and answers everything else with {@code others}. */
  static FakeTauServer answering(Function<TauFrame, byte[]> others) throws IOException {
    return new FakeTauServer(
        frame -> frame.opcode() == TauOpcode.CONNECT ? ok() : others.apply(frame));
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  List<byte[]> requests() {
    return requests;
  }

  /** The opcode of the {@code index}-th request received. */
  TauOpcode opcode(int index) {
    return TauOpcode.fromCode(requests.get(index)[4]);
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      try {
        Socket socket = serverSocket.accept();
        sockets.add(socket);
        Thread thread = new Thread(() -> serve(socket), "fake-tau-conn");
        thread.setDaemon(true);
        thread.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    TauFrameDecoder decoder = new TauFrameDecoder();
    byte[] bytes = new byte[8 * 1024 * 1024];
    UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    int limit = 0;
    try (socket;
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream()) {
      while (true) {
        int read = in.read(bytes, limit, bytes.length - limit);
        if (read < 0) {
          return;
        }
        limit += read;
        int position = 0;
        while (decoder.decode(buffer, position, limit - position) == TauDecodeResult.FRAME) {
          TauFrame frame = decoder.frame();
          byte[] request = new byte[decoder.frameLength()];
          buffer.getBytes(position, request);
          requests.add(request);
          byte[] reply = replies.apply(frame);
          if (reply != null) {
            out.write(reply);
          }
          position += decoder.frameLength();
        }
        System.arraycopy(bytes, position, bytes, 0, limit - position);
        limit -= position;
      }
    } catch (IOException e) {
      // The client went away.
    }
  }

  static byte[] ok() {
    return frame(b -> TauFrameEncoder.empty(b, 0, TauOpcode.OK));
  }

  static byte[] err(TauStatus status) {
    return frame(b -> TauFrameEncoder.error(b, 0, status));
  }

  /** Encodes one frame with {@code encoder} and returns exactly its bytes. */
  static byte[] frame(java.util.function.ToIntFunction<UnsafeBuffer> encoder) {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 16]);
    int length = encoder.applyAsInt(buffer);
    byte[] bytes = new byte[length];
    buffer.getBytes(0, bytes);
    return bytes;
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }
}
