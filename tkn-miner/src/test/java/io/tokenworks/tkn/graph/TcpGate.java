package io.tokenworks.tkn.graph;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder in front of a real server, for outage tests: while shut, its port refuses
 * connections (the database looks down); {@link #open()} forwards the port to the target again;
 * {@link #shut()} also cuts the connections already made. The database behind stays real.
 */
public final class TcpGate implements AutoCloseable {

  private final int port;
  private final int targetPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket server;

  /** A gate on a free local port, initially shut, forwarding to {@code 127.0.0.1:targetPort}. */
  public TcpGate(int targetPort) {
    this.targetPort = targetPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      this.port = probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String boltUri() {
    return "bolt://127.0.0.1:" + port;
  }

  public synchronized void open() throws IOException {
    if (server != null) {
      return;
    }
    ServerSocket listening = new ServerSocket();
    listening.setReuseAddress(true);
    listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    server = listening;
    Thread acceptor = new Thread(() -> accept(listening), "tcp-gate-accept-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void accept(ServerSocket listening) {
    while (!listening.isClosed()) {
      try {
        Socket client = listening.accept();
        Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(target);
        pipe(client, target);
        pipe(target, client);
      } catch (IOException e) {
        return; // closed by shut()
      }
    }
  }

  private void pipe(Socket from, Socket to) {
    Thread thread =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // one side went away; close both below
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "tcp-gate-pipe-" + port);
    thread.setDaemon(true);
    thread.start();
  }

  /** Refuses new connections and cuts the open ones. */
  public synchronized void shut() {
    if (server != null) {
      closeQuietly(server);
      server = null;
    }
    sockets.forEach(TcpGate::closeQuietly);
    sockets.clear();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // already closed
    }
  }

  @Override
  public void close() {
    shut();
  }
}
