package io.tokenworks.protocol.latzero.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * One scripted peer for client tests: accepts a single connection and lets the test read the
 * client's frames and write whatever it likes back, well-formed or not.
 */
final class FakeLatZeroServer implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  private final ServerSocket listener;
  private Socket socket;
  private DataInputStream in;
  private OutputStream out;

  FakeLatZeroServer() throws IOException {
    listener = new ServerSocket(0);
    listener.setSoTimeout(10_000);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Waits for the client's connection. */
  void accept() throws IOException {
    socket = listener.accept();
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  ObjectNode read() throws IOException {
    byte[] body = new byte[in.readInt()];
    in.readFully(body);
    return (ObjectNode) JSON.readTree(body);
  }

  /** Reads the handshake and acknowledges it, assigning {@code triggers}. */
  ObjectNode acceptHandshake(String... triggers) throws IOException {
    accept();
    ObjectNode hello = read();
    ObjectNode ack = message("handshake_ack").put("in_reply_to", hello.path("id").asText());
    ObjectNode assigned = ack.putObject("assigned").put("app_id", hello.path("app_id").asText());
    assigned.putArray("pools").add("default");
    var names = assigned.putArray("triggers");
    for (String trigger : triggers) {
      names.add(trigger);
    }
    assigned.put("rehydrated", false);
    write(ack);
    return hello;
  }

  static ObjectNode message(String type) {
    return JSON.createObjectNode()
        .put("type", type)
        .put("id", UUID.randomUUID().toString())
        .put("timestamp", System.currentTimeMillis())
        .put("protocol_version", "0.1.0");
  }

  void write(ObjectNode message) {
    writeBody(message.toString().getBytes(StandardCharsets.UTF_8));
  }

  void writeBody(byte[] body) {
    try {
      byte[] frame = new byte[4 + body.length];
      frame[0] = (byte) (body.length >>> 24);
      frame[1] = (byte) (body.length >>> 16);
      frame[2] = (byte) (body.length >>> 8);
      frame[3] = (byte) body.length;
      System.arraycopy(body, 0, frame, 4, body.length);
      out.write(frame);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void dropConnection() throws IOException {
    socket.close();
  }

  @Override
  public void close() throws IOException {
    if (socket != null) {
      socket.close();
    }
    listener.close();
  }
}
