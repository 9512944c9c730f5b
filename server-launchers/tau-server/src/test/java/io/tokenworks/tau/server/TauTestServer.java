package io.tokenworks.tau.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.protocol.tau.TauClient;
import io.tokenworks.protocol.tau.TauDecodeResult;
import io.tokenworks.protocol.tau.TauFrame;
import io.tokenworks.protocol.tau.TauFrameDecoder;
import io.tokenworks.protocol.tau.TauFrameEncoder;
import io.tokenworks.protocol.tau.TauOpcode;
import io.tokenworks.protocol.tau.TauStatus;
import io.tokenworks.tau.FsyncPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.agrona.concurrent.UnsafeBuffer;

/** A real Tau server on ephemeral ports for one test, with raw-socket and client helpers. */
final class TauTestServer implements AutoCloseable {

  static final byte[] CERTIFICATE = TauServerConfig.DEFAULT_CERTIFICATE;

  private final TauServer server;
  private final List<AutoCloseable> resources = new ArrayList<>();

  private TauTestServer(TauServer server) {
    this.server = server;
  }

  static TauTestServer start(Path dataDirectory) {
    return start(dataDirectory, UnaryOperator.identity());
  }

  static TauTestServer start(Path dataDirectory, UnaryOperator<TauServerConfig.Builder> settings) {
    TauServerConfig.Builder builder =
        TauServerConfig.builder()
            .port(0)
            .metricsPort(0)
            .dataDirectory(dataDirectory)
            .fsyncPolicy(FsyncPolicy.ALWAYS)
            .workerThreads(2)
            .ioThreads(2);
    return new TauTestServer(TauServer.start(settings.apply(builder).build()));
  }

  TauServer server() {
    return server;
  }

  int port() {
    return server.port();
  }

  TauClient client() {
    TauClient client = TauClient.connect("127.0.0.1", port(), CERTIFICATE);
    resources.add(client);
    return client;
  }

  Raw raw() throws IOException {
    Raw raw = new Raw(new Socket(InetAddress.getLoopbackAddress(), port()));
    resources.add(raw);
    return raw;
  }

  /** A raw CONNECT with the right certificate, answered OK. */
  Raw authenticatedRaw() throws IOException {
    Raw raw = raw();
    raw.send(frame(b -> TauFrameEncoder.connect(b, 0, CERTIFICATE)));
    assertThat(raw.read().opcode).isEqualTo(TauOpcode.OK);
    return raw;
  }

  @Override
  public void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception ignored) {
        // best effort
      }
    }
    server.close();
  }

  static byte[] frame(java.util.function.ToIntFunction<UnsafeBuffer> encoder) {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 20]);
    int length = encoder.applyAsInt(buffer);
    return Arrays.copyOf(buffer.byteArray(), length);
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(10);
    }
  }

  /** One reply as read from the wire. */
  record Reply(TauOpcode opcode, byte[] payload) {
    TauStatus status() {
      return opcode == TauOpcode.ERR ? TauStatus.fromCode(payload[0]) : TauStatus.SUCCESS;
    }
  }

  /** A raw TCP connection that sends bytes and reads whole frames. */
  static final class Raw implements AutoCloseable {
    final Socket socket;
    private final InputStream in;
    private final TauFrameDecoder decoder = new TauFrameDecoder();
    private byte[] pending = new byte[0];

    Raw(Socket socket) throws IOException {
      this.socket = socket;
      socket.setSoTimeout(5_000);
      socket.setTcpNoDelay(true);
      this.in = socket.getInputStream();
    }

    void send(byte[] bytes) throws IOException {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
    }

    /** Reads one whole reply frame, failing the test on end of stream or timeout. */
    Reply read() throws IOException {
      while (true) {
        UnsafeBuffer buffer = new UnsafeBuffer(pending);
        TauDecodeResult result = decoder.decode(buffer, 0, pending.length);
        if (result == TauDecodeResult.FRAME) {
          TauFrame frame = decoder.frame();
          byte[] payload =
              Arrays.copyOfRange(pending, frame.payloadOffset(), decoder.frameLength());
          TauOpcode opcode = frame.opcode();
          pending = Arrays.copyOfRange(pending, decoder.frameLength(), pending.length);
          return new Reply(opcode, payload);
        }
        if (result != TauDecodeResult.NEED_MORE) {
          throw new AssertionError("server sent an undecodable frame: " + result);
        }
        byte[] chunk = new byte[4096];
        int read = in.read(chunk);
        if (read < 0) {
          throw new AssertionError("server closed the connection");
        }
        byte[] joined = Arrays.copyOf(pending, pending.length + read);
        System.arraycopy(chunk, 0, joined, pending.length, read);
        pending = joined;
      }
    }

    /** Whether the server closes the connection (end of stream or reset) within the timeout. */
    boolean closedByServer() throws IOException {
      try {
        while (true) {
          if (in.read() < 0) {
            return true;
          }
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true;
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
