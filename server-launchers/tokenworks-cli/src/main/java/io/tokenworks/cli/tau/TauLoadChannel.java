package io.tokenworks.cli.tau;

import static io.tokenworks.protocol.tau.TauFrameDescriptor.CERTIFICATE_LENGTH;
import static io.tokenworks.protocol.tau.TauFrameDescriptor.HEADER_LENGTH;

import io.tokenworks.protocol.tau.TauClientException;
import io.tokenworks.protocol.tau.TauDecodeResult;
import io.tokenworks.protocol.tau.TauFrame;
import io.tokenworks.protocol.tau.TauFrameDecoder;
import io.tokenworks.protocol.tau.TauFrameEncoder;
import io.tokenworks.protocol.tau.TauOpcode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One non-blocking connection of the load generator. Requests are encoded straight into a direct
 * send buffer and written without waiting; replies are decoded in place from a direct receive
 * buffer. Nothing here blocks after the handshake, so one thread can drive every connection of a
 * run and the generator needs a fraction of a core instead of two threads per connection waking
 * each other.
 */
final class TauLoadChannel implements AutoCloseable {

  /** Takes each reply {@link #receive} decoded. */
  interface ReplyHandler {
    void reply(TauFrame reply);
  }

  private static final long HANDSHAKE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final String endpoint;
  private final SocketChannel channel;
  private final ByteBuffer sendBytes;
  private final UnsafeBuffer sendBuffer;
  private final ByteBuffer receiveBytes;
  private final UnsafeBuffer receiveBuffer;
  private final TauFrameDecoder decoder = new TauFrameDecoder();

  /** Encoded bytes are {@code [0, sendLimit)}; {@code [0, sendBytes.position())} are written. */
  private int sendLimit;

  /** Undecoded bytes are {@code [readPosition, receiveBytes.position())}. */
  private int readPosition;

  private TauLoadChannel(String endpoint, SocketChannel channel, int sendCapacity) {
    this.endpoint = endpoint;
    this.channel = channel;
    this.sendBytes = ByteBuffer.allocateDirect(sendCapacity);
    this.sendBuffer = new UnsafeBuffer(sendBytes);
    this.receiveBytes = ByteBuffer.allocateDirect(256 * 1024);
    this.receiveBuffer = new UnsafeBuffer(receiveBytes);
  }

  /**
   * Connects, authenticates with CONNECT and switches to non-blocking mode.
   *
   * @param sendCapacity bytes of requests that may wait in the send buffer (at least one frame)
   * @throws TauClientException when the server cannot be reached or refuses the certificate
   */
  static TauLoadChannel open(String host, int port, byte[] certificate, int sendCapacity) {
    String endpoint = host + ":" + port;
    SocketChannel channel = null;
    try {
      channel = SocketChannel.open();
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      channel.socket().connect(new InetSocketAddress(host, port), 5_000);
      channel.configureBlocking(false);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new TauClientException("cannot connect to " + endpoint, e);
    }
    TauLoadChannel load = new TauLoadChannel(endpoint, channel, sendCapacity);
    try {
      load.handshake(certificate);
    } catch (TauClientException e) {
      load.close();
      throw e;
    }
    return load;
  }

  private void handshake(byte[] certificate) {
    if (certificate.length != CERTIFICATE_LENGTH) {
      throw new IllegalArgumentException("certificate must be " + CERTIFICATE_LENGTH + " bytes");
    }
    commit(
        TauFrameEncoder.connect(
            sendBuffer, reserve(HEADER_LENGTH + CERTIFICATE_LENGTH), certificate));
    long deadline = System.nanoTime() + HANDSHAKE_TIMEOUT_NANOS;
    TauOpcode[] answer = new TauOpcode[1];
    String[] status = new String[1];
    while (answer[0] == null) {
      flush();
      receive(
          reply -> {
            answer[0] = reply.opcode();
            status[0] = reply.opcode() == TauOpcode.ERR ? String.valueOf(reply.status()) : "";
          });
      if (answer[0] == null) {
        if (System.nanoTime() - deadline > 0) {
          throw new TauClientException(
              "no reply to CONNECT from " + endpoint + " within 5 s", null);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
    }
    if (answer[0] != TauOpcode.OK) {
      throw new TauClientException(
          "server " + endpoint + " refused CONNECT: " + answer[0] + " " + status[0], null);
    }
  }

  /**
   * Returns the offset to encode a frame of up to {@code maxFrameLength} bytes at, or -1 when the
   * send buffer has no room left (the server is not reading fast enough; try after a flush).
   */
  int reserve(int maxFrameLength) {
    if (sendLimit + maxFrameLength <= sendBuffer.capacity()) {
      return sendLimit;
    }
    if (sendBytes.position() == sendLimit) {
      sendBytes.clear();
      sendLimit = 0;
      if (maxFrameLength <= sendBuffer.capacity()) {
        return 0;
      }
    }
    return -1;
  }

  UnsafeBuffer sendBuffer() {
    return sendBuffer;
  }

  void commit(int frameLength) {
    sendLimit += frameLength;
  }

  /** Lets {@code selector} wake its caller when a reply arrives on this connection. */
  void wakeOnReply(Selector selector) {
    try {
      channel.register(selector, SelectionKey.OP_READ);
    } catch (ClosedChannelException e) {
      throw fail("connection closed", e);
    }
  }

  /** Writes as much of the encoded requests as the socket takes now; returns the bytes written. */
  int flush() {
    if (sendBytes.position() == sendLimit) {
      return 0;
    }
    sendBytes.limit(sendLimit);
    int written;
    try {
      written = channel.write(sendBytes);
    } catch (IOException e) {
      throw fail("write failed", e);
    }
    sendBytes.limit(sendBytes.capacity());
    if (sendBytes.position() == sendLimit) {
      sendBytes.clear();
      sendLimit = 0;
    }
    return written;
  }

  /**
   * Reads what has arrived and hands every whole reply to {@code handler} (each frame valid only
   * during the call); returns the number of replies.
   */
  int receive(ReplyHandler handler) {
    int read;
    try {
      read = channel.read(receiveBytes);
    } catch (IOException e) {
      throw fail("read failed", e);
    }
    if (read < 0) {
      throw fail("server closed the connection", null);
    }
    int replies = 0;
    int limit = receiveBytes.position();
    while (true) {
      TauDecodeResult result = decoder.decode(receiveBuffer, readPosition, limit - readPosition);
      if (result == TauDecodeResult.NEED_MORE) {
        if (readPosition == 0 && !receiveBytes.hasRemaining()) {
          throw fail("server sent a reply larger than " + receiveBytes.capacity() + " bytes", null);
        }
        break;
      }
      if (result != TauDecodeResult.FRAME) {
        throw fail("server sent a frame the decoder rejects: " + result, null);
      }
      handler.reply(decoder.frame());
      readPosition += decoder.frameLength();
      replies++;
    }
    if (readPosition == limit) {
      receiveBytes.clear();
      readPosition = 0;
    } else if (receiveBytes.remaining() < receiveBytes.capacity() / 4) {
      receiveBytes.flip().position(readPosition);
      receiveBytes.compact();
      readPosition = 0;
    }
    return replies;
  }

  private TauClientException fail(String message, Throwable cause) {
    close();
    return new TauClientException(message + " (" + endpoint + ")", cause);
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static void closeQuietly(SocketChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // Nothing to do: the socket is gone either way.
    }
  }
}
