package io.tokenworks.latzero.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A test peer speaking raw Gen-1 frames, as upstream's test client does. Every frame it receives is
 * checked against the protocol schema's {@code serverMessage}, so each test that uses it also
 * checks that the server sends canonical messages.
 */
final class RawClient implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;
  private final List<ObjectNode> stash = new ArrayList<>();

  RawClient(int port) {
    try {
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(10_000);
      out = socket.getOutputStream();
      in = new DataInputStream(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode message(String type) {
    ObjectNode node = JSON.createObjectNode();
    node.put("type", type);
    node.put("id", UUID.randomUUID().toString());
    node.put("timestamp", System.currentTimeMillis());
    node.put("protocol_version", "0.1.0");
    return node;
  }

  /** Handshakes and returns the ack. */
  ObjectNode handshake(String appId, List<String> pools, List<String> triggers) {
    ObjectNode hello = message("handshake").put("app_id", appId);
    pools.forEach(hello.putArray("pools")::add);
    triggers.forEach(hello.putArray("triggers")::add);
    send(hello);
    ObjectNode ack = receive();
    assertThat(ack.path("type").asText()).as("ack: %s", ack).isEqualTo("handshake_ack");
    return ack;
  }

  void send(ObjectNode message) {
    try {
      sendBytes(frame(JSON.writeValueAsBytes(message)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] frame(byte[] body) {
    byte[] frame = new byte[4 + body.length];
    frame[0] = (byte) (body.length >>> 24);
    frame[1] = (byte) (body.length >>> 16);
    frame[2] = (byte) (body.length >>> 8);
    frame[3] = (byte) body.length;
    System.arraycopy(body, 0, frame, 4, body.length);
    return frame;
  }

  static byte[] frame(String body) {
    return frame(body.getBytes(StandardCharsets.UTF_8));
  }

  void sendBytes(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next frame, schema-checked. */
  ObjectNode receive() {
    if (!stash.isEmpty()) {
      return stash.remove(0);
    }
    return read();
  }

  /** The next frame whose type is {@code type}; frames of other types are kept for later. */
  ObjectNode receive(String type) {
    return receiveMatching(m -> m.path("type").asText().equals(type));
  }

  ObjectNode receiveMatching(Predicate<ObjectNode> wanted) {
    for (int i = 0; i < stash.size(); i++) {
      if (wanted.test(stash.get(i))) {
        return stash.remove(i);
      }
    }
    while (true) {
      ObjectNode next = read();
      if (wanted.test(next)) {
        return next;
      }
      stash.add(next);
    }
  }

  private ObjectNode read() {
    try {
      int length = in.readInt();
      byte[] body = new byte[length];
      in.readFully(body);
      JsonNode node = JSON.readTree(body);
      List<String> problems =
          SchemaValidator.protocol().validate(node, "#/definitions/serverMessage");
      assertThat(problems).as("schema problems of %s", node).isEmpty();
      return (ObjectNode) node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the server to close the connection (EOF or reset), with nothing more to read. */
  boolean closedByServer() {
    try {
      int next = in.read();
      return next < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true;
    } catch (EOFException e) {
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether anything arrives within {@code millis} (without consuming a whole frame). */
  boolean silentFor(int millis) {
    try {
      socket.setSoTimeout(millis);
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      try {
        socket.setSoTimeout(10_000);
      } catch (SocketException e) {
        // closed
      }
    }
  }

  /** Drops the connection with a reset, like a process that dies. */
  void kill() {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing
    }
  }
}
