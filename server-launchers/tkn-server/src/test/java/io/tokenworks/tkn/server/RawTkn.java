package io.tokenworks.tkn.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A raw socket speaking TKN bytes by hand, for what the real client refuses to do (no credit,
 * oversized frames, garbage, vanishing mid-frame) and for upstream's byte-exact frames.
 */
final class RawTkn implements AutoCloseable {

  final Socket socket;
  final DataOutputStream out;
  final DataInputStream in;

  RawTkn(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    socket.setTcpNoDelay(true);
    out = new DataOutputStream(socket.getOutputStream());
    in = new DataInputStream(socket.getInputStream());
  }

  static byte[] frame(int type, byte[] payload) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(type);
    bytes.write(payload.length >>> 24);
    bytes.write(payload.length >>> 16);
    bytes.write(payload.length >>> 8);
    bytes.write(payload.length);
    bytes.writeBytes(payload);
    return bytes.toByteArray();
  }

  static byte[] string(String text) {
    return frame(2, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A BATCH of one STRING item per character, as upstream's batch example sends text. */
  static byte[] batchOfCharacters(String text) {
    ByteArrayOutputStream items = new ByteArrayOutputStream();
    text.codePoints().forEach(c -> items.writeBytes(string(new String(Character.toChars(c)))));
    return frame(4, items.toByteArray());
  }

  /** HELLO: magic, version 1, flags 0, tenant, token. */
  static byte[] hello(String tenant, String token) {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    payload.writeBytes("TKNH".getBytes(StandardCharsets.US_ASCII));
    payload.write(1);
    payload.write(0);
    byte[] t = tenant.getBytes(StandardCharsets.US_ASCII);
    payload.write(t.length);
    payload.writeBytes(t);
    byte[] k = token.getBytes(StandardCharsets.UTF_8);
    payload.write(k.length >>> 8);
    payload.write(k.length);
    payload.writeBytes(k);
    return frame(0x10, payload.toByteArray());
  }

  RawTkn send(byte[]... frames) throws IOException {
    for (byte[] frame : frames) {
      out.write(frame);
    }
    out.flush();
    return this;
  }

  /** One server frame: {type, payload}. */
  Reply read() throws IOException {
    int type = in.readUnsignedByte();
    int length = in.readInt();
    byte[] payload = new byte[length];
    in.readFully(payload);
    return new Reply(type, payload);
  }

  /** Reads frames until one of {@code type}, returning it. */
  Reply readUntil(int type) throws IOException {
    while (true) {
      Reply reply = read();
      if (reply.type == type) {
        return reply;
      }
    }
  }

  /** Reads compatibility-mode ack text until {@code count} acks arrived. */
  String readCompatAcks(int count) throws IOException {
    StringBuilder text = new StringBuilder();
    byte[] chunk = new byte[4096];
    while (countAcks(text) < count) {
      int n = in.read(chunk);
      if (n < 0) {
        throw new EOFException("closed after: " + text);
      }
      text.append(new String(chunk, 0, n, StandardCharsets.US_ASCII));
    }
    return text.toString();
  }

  private static int countAcks(CharSequence text) {
    int count = 0;
    for (int i = text.toString().indexOf(": ack");
        i >= 0;
        i = text.toString().indexOf(": ack", i + 1)) {
      count++;
    }
    return count;
  }

  /** Whether the server closed the connection (reads until end of stream, within the timeout). */
  boolean closedByServer() throws IOException {
    InputStream stream = socket.getInputStream();
    byte[] sink = new byte[4096];
    try {
      while (stream.read(sink) >= 0) {
        // discard whatever the server still sends
      }
      return true;
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

  record Reply(int type, byte[] payload) {
    int errorCode() {
      return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }

    long u64(int offset) {
      long value = 0;
      for (int i = 0; i < 8; i++) {
        value = (value << 8) | (payload[offset + i] & 0xFF);
      }
      return value;
    }

    String message() {
      return new String(payload, 10, payload.length - 10, StandardCharsets.UTF_8);
    }
  }
}
