package io.tokenworks.protocol.tkn;

import static io.tokenworks.protocol.tkn.TknFrameDescriptor.HEADER_LENGTH;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A small blocking client for a TKN server, over one plain TCP socket, in one of two modes.
 *
 * <p><b>Compatibility mode</b> ({@link #connect(String, int)}) speaks upstream's v1 protocol: data
 * frames only, no handshake. The server's unframed {@code <sessionId>: ack} text is drained and
 * counted by a background reader ({@link #compatAcksReceived()}); there is no flow control.
 *
 * <p><b>HELLO mode</b> ({@link #connect(String, int, Hello)}) sends HELLO, waits for READY and then
 * keeps the server's credit window: the server grants an initial credit in READY and more with
 * every ACK, each data frame uses one, and a send with no credit left blocks until an ACK grants
 * more (or throws {@link TknClientException} after the timeout, sending nothing). FLUSH uses no
 * credit.
 *
 * <pre>{@code
 * try (TknClient tkn = TknClient.connect("127.0.0.1", 8080, TknClient.Hello.tenant("acme"))) {
 *   tkn.sendString("the cat the cat");
 *   tkn.batch().addString("a").addString("b").send();
 *   long tokensWritten = tkn.flush();
 * }
 * }</pre>
 *
 * <p><b>Errors.</b> A fatal ERROR frame (see {@link TknErrorCode#fatal()}), a lost connection or a
 * frame that breaks the protocol closes the client: every blocked call and pending future fails
 * with a {@link TknClientException}, and so does every later call. A non-fatal ERROR (a skipped
 * unknown type, a malformed frame) is recorded and thrown by the next call, before it does
 * anything, so nothing is lost; if several arrive between calls, the oldest is thrown and {@link
 * #errorsReceived()} counts them all. An argument the protocol cannot carry (a payload above the
 * server's max, an empty batch) throws {@link IllegalArgumentException} and sends nothing.
 *
 * <p><b>Buffering.</b> Frames are encoded into a send buffer that is written when it fills, by
 * {@link #flushSocket()}, and by every call that waits for the server ({@link #flush()}, {@link
 * #awaitAcks()}, {@link #acknowledged}, a send waiting for credit).
 *
 * <p><b>Threads.</b> All methods are thread-safe; sends from several threads are serialized, each
 * frame getting the next number. A background reader thread receives everything; futures are
 * completed on it, so stages chained to them without an {@code ...Async} variant run there and must
 * not block on this client. Sending allocates nothing beyond a one-off growth of the send buffer
 * for frames larger than it.
 */
public final class TknClient implements AutoCloseable {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** How long a call waits for READY, credit, an ACK or a FLUSHED by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * What a HELLO says: the tenant ({@code ""} for the server's default; at most 64 characters of
   * {@code [A-Za-z0-9._-]}) and an auth token of at most 1024 bytes (empty for none). Validated
   * when built; {@link #toString()} does not show the token.
   */
  public record Hello(String tenant, byte[] token) {

    public Hello {
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(token, "token");
      TknControlEncoder.checkTenant(tenant);
      if (token.length > TknHelloDescriptor.MAX_TOKEN_LENGTH) {
        throw new IllegalArgumentException(
            "token length=" + token.length + " must be <= " + TknHelloDescriptor.MAX_TOKEN_LENGTH);
      }
      token = token.clone();
    }

    /** The server's default tenant, no token. */
    public static Hello defaultTenant() {
      return new Hello("", new byte[0]);
    }

    /** {@code tenant}, no token. */
    public static Hello tenant(String tenant) {
      return new Hello(tenant, new byte[0]);
    }

    /** This tenant with {@code token}. */
    public Hello withToken(byte[] token) {
      return new Hello(tenant, token);
    }

    @Override
    public byte[] token() {
      return token.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Hello hello
          && tenant.equals(hello.tenant)
          && Arrays.equals(token, hello.token);
    }

    @Override
    public int hashCode() {
      return 31 * tenant.hashCode() + Arrays.hashCode(token);
    }

    @Override
    public String toString() {
      return "Hello[tenant=" + tenant + ", token=<" + token.length + " bytes>]";
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final TknClientSession session;
  private final long timeoutNs;
  private final Duration timeout;

  private final ReentrantLock sendLock = new ReentrantLock();
  private final TknSendBuffer send = new TknSendBuffer();
  private volatile long framesSent;
  private long nextRequestId;
  private volatile boolean closed;

  private TknClient(Socket socket, boolean helloMode, Duration timeout) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.session = new TknClientSession(socket, helloMode);
    this.timeout = timeout;
    this.timeoutNs = timeout.toNanos();
  }

  /** Connects in compatibility mode (v1, no handshake) with the default timeouts. */
  public static TknClient connect(String host, int port) {
    return open(host, port, null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT);
  }

  /** Connects in HELLO mode with the default timeouts: sends HELLO and waits for READY. */
  public static TknClient connect(String host, int port, Hello hello) {
    return connect(host, port, hello, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT);
  }

  /**
   * Connects in HELLO mode: sends HELLO and waits for READY.
   *
   * @param connectTimeout how long to wait for the TCP connection
   * @param timeout how long to wait for READY, and later for credit, ACKs and FLUSHED
   * @throws TknClientException when the server cannot be reached, does not answer READY in time, or
   *     refuses the HELLO with an ERROR ({@link TknClientException#errorCode()}, e.g. {@link
   *     TknErrorCode#AUTH_FAILED})
   */
  public static TknClient connect(
      String host, int port, Hello hello, Duration connectTimeout, Duration timeout) {
    return open(host, port, Objects.requireNonNull(hello, "hello"), connectTimeout, timeout);
  }

  private static TknClient open(
      String host, int port, Hello hello, Duration connectTimeout, Duration timeout) {
    int connectTimeoutMs = toMillis(connectTimeout, "connectTimeout");
    toMillis(timeout, "timeout");
    Socket socket = new Socket();
    TknClient client;
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), connectTimeoutMs);
      client = new TknClient(socket, hello != null, timeout);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new TknClientException(
          "cannot connect to " + host + ":" + port + " (timeout " + connectTimeoutMs + " ms)",
          e,
          true);
    }
    client.session.start();
    if (hello != null) {
      client.handshake(hello);
    }
    return client;
  }

  private void handshake(Hello hello) {
    try {
      byte[] token = hello.token;
      int length =
          HEADER_LENGTH
              + TknHelloDescriptor.helloPayloadLength(hello.tenant.length(), token.length);
      int offset = reserve(length);
      commit(
          TknControlEncoder.hello(
              send.buffer(), offset, hello.tenant, new UnsafeBuffer(token), 0, token.length));
      writeBuffered();
      session.await(session::ready, timeoutNs, "no READY");
    } catch (TknClientException e) {
      close();
      throw e;
    }
  }

  private static int toMillis(Duration duration, String name) {
    long millis = duration.toMillis();
    if (millis <= 0 || millis > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + "=" + duration + " must be > 0 ms");
    }
    return (int) millis;
  }

  // ---------------------------------------------------------------- sending data

  /** Sends a STRING frame carrying {@code text} as UTF-8; returns the frame's 1-based number. */
  public long sendString(CharSequence text) {
    int payloadLength = TknFrameEncoder.utf8Length(text);
    sendLock.lock();
    try {
      int offset = beginData(payloadLength);
      return commitData(TknFrameEncoder.string(send.buffer(), offset, text));
    } finally {
      sendLock.unlock();
    }
  }

  /** Sends a BINARY frame carrying {@code bytes}; returns the frame's number. */
  public long sendBinary(byte[] bytes) {
    return sendBinary(bytes, 0, bytes.length);
  }

  /** Sends a BINARY frame carrying {@code length} bytes of {@code bytes} from {@code offset}. */
  public long sendBinary(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    return sendBlob(TknFrameType.BINARY, bytes, offset, length);
  }

  /** Sends a JSON frame carrying {@code json} as UTF-8, unparsed; returns the frame's number. */
  public long sendJson(String json) {
    sendLock.lock();
    try {
      int offset = beginData(TknFrameEncoder.utf8Length(json));
      int length = TknFrameEncoder.string(send.buffer(), offset, json);
      // Same bytes as a STRING frame but for the type.
      send.buffer().putByte(offset, (byte) TknFrameType.JSON.code());
      return commitData(length);
    } finally {
      sendLock.unlock();
    }
  }

  /** Sends a JSON frame carrying {@code utf8Json} as given; returns the frame's number. */
  public long sendJson(byte[] utf8Json) {
    return sendBlob(TknFrameType.JSON, utf8Json, 0, utf8Json.length);
  }

  private long sendBlob(TknFrameType type, byte[] bytes, int from, int length) {
    sendLock.lock();
    try {
      int offset = beginData(length);
      TknFrameEncoder.header(send.buffer(), offset, type, length);
      send.buffer().putBytes(offset + HEADER_LENGTH, bytes, from, length);
      return commitData(HEADER_LENGTH + length);
    } finally {
      sendLock.unlock();
    }
  }

  /** A new, reusable batch builder; see {@link TknClientBatch}. */
  public TknClientBatch batch() {
    return new TknClientBatch(this);
  }

  /** Sends the BATCH frame built in {@code frame}; called by {@link TknClientBatch#send()}. */
  long sendBatch(ExpandableArrayBuffer frame, int frameLength) {
    return sendEncoded(frame, 0, frameLength);
  }

  /**
   * Sends a data frame encoded beforehand, header included (JSON, STRING, BINARY or BATCH, e.g.
   * built once with {@link TknBatchEncoder} and sent many times, as a load generator does). The
   * header is checked; the payload is sent as it is.
   *
   * @return the frame's number
   * @throws IllegalArgumentException if the bytes do not start with a data frame header whose
   *     length matches {@code length}, or the payload is above the server's maximum
   */
  public long sendFrame(DirectBuffer frame, int offset, int length) {
    if (length < HEADER_LENGTH) {
      throw new IllegalArgumentException("length=" + length + " is shorter than a frame header");
    }
    int typeCode = frame.getByte(offset + TknFrameDescriptor.TYPE_OFFSET) & 0xFF;
    if (TknFrameType.fromCode(typeCode) == null) {
      throw new IllegalArgumentException("type=" + typeCode + " is no TKN data frame type");
    }
    long payloadLength =
        frame.getInt(
                offset + TknFrameDescriptor.PAYLOAD_LENGTH_OFFSET, TknFrameDescriptor.BYTE_ORDER)
            & 0xFFFF_FFFFL;
    if (payloadLength != length - HEADER_LENGTH) {
      throw new IllegalArgumentException(
          "header says payload length="
              + payloadLength
              + ", the frame has "
              + (length - HEADER_LENGTH));
    }
    return sendEncoded(frame, offset, length);
  }

  private long sendEncoded(DirectBuffer frame, int frameOffset, int frameLength) {
    sendLock.lock();
    try {
      int offset = beginData(frameLength - HEADER_LENGTH);
      send.buffer().putBytes(offset, frame, frameOffset, frameLength);
      return commitData(frameLength);
    } finally {
      sendLock.unlock();
    }
  }

  /**
   * Checks everything that could refuse a data frame, waits for credit, and reserves room; nothing
   * is written or counted before all of it passed.
   */
  private int beginData(int payloadLength) {
    checkOpen();
    long max = maxPayloadLength();
    if (payloadLength > max) {
      throw new IllegalArgumentException(
          "payloadLength=" + payloadLength + " exceeds the server's max payload length " + max);
    }
    if (session.helloMode() && framesSent >= session.granted()) {
      awaitCredit();
    }
    return reserve(HEADER_LENGTH + payloadLength);
  }

  private void awaitCredit() {
    // The server cannot grant credit for frames it has not received.
    writeBuffered();
    long needed = framesSent + 1;
    session.await(() -> session.granted() >= needed, timeoutNs, "no credit for frame " + needed);
  }

  private long commitData(int frameLength) {
    commit(frameLength);
    return ++framesSent;
  }

  private int reserve(int frameLength) {
    if (!send.fits(frameLength)) {
      writeBuffered();
      send.makeRoom(frameLength);
    }
    return send.position();
  }

  private void commit(int frameLength) {
    send.commit(frameLength);
  }

  /** Writes every buffered frame to the socket. */
  public void flushSocket() {
    sendLock.lock();
    try {
      checkOpen();
      writeBuffered();
    } finally {
      sendLock.unlock();
    }
  }

  private void writeBuffered() {
    if (send.isEmpty()) {
      return;
    }
    try {
      send.writeTo(out);
    } catch (IOException e) {
      session.fail(
          new TknClientException(
              "write failed (" + socket.getRemoteSocketAddress() + ")", e, true));
      checkOpen();
    }
  }

  // ---------------------------------------------------------------- waiting for the server

  /**
   * Sends FLUSH and blocks until the server answers FLUSHED, i.e. until every token mined so far,
   * the miner's window included, is written to the graph sink. HELLO mode only.
   *
   * @return the tokens written to the sink in this session so far
   * @throws TknClientException when the session fails or no FLUSHED arrives within the timeout
   */
  public long flush() {
    CompletableFuture<Long> flushed = flushAsync();
    try {
      return flushed.get(timeoutNs, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new TknClientException("no FLUSHED within " + timeout.toMillis() + " ms", e, false);
    } catch (ExecutionException e) {
      throw rethrown(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TknClientException("interrupted while waiting for FLUSHED", e, false);
    }
  }

  /**
   * Sends FLUSH without waiting; the future completes with the tokens written to the sink once the
   * server answers FLUSHED, or exceptionally with a {@link TknClientException} when the session
   * fails. HELLO mode only.
   */
  public CompletableFuture<Long> flushAsync() {
    requireHelloMode("flushAsync()");
    sendLock.lock();
    try {
      checkOpen();
      long requestId = ++nextRequestId;
      CompletableFuture<Long> flushed = session.flushWaiter(requestId);
      int offset = reserve(HEADER_LENGTH + TknHelloDescriptor.FLUSH_PAYLOAD_LENGTH);
      commit(TknControlEncoder.flush(send.buffer(), offset, requestId));
      writeBuffered();
      return flushed;
    } finally {
      sendLock.unlock();
    }
  }

  /**
   * Blocks until the server has acknowledged every data frame sent so far and returns the figures
   * of the last ACK. HELLO mode only.
   */
  public TknAck awaitAcks() {
    requireHelloMode("awaitAcks()");
    long sent;
    sendLock.lock();
    try {
      checkOpen();
      writeBuffered();
      sent = framesSent;
    } finally {
      sendLock.unlock();
    }
    session.await(() -> session.ackedFrames() >= sent, timeoutNs, "no ACK for frame " + sent);
    return session.lastAck();
  }

  /**
   * A future completed with the first ACK that covers data frame {@code frameNumber} (the number a
   * send returned), or exceptionally when the session fails. Writes buffered frames so that the
   * frame can be acknowledged. HELLO mode only.
   *
   * @throws IllegalArgumentException when no frame of that number was sent
   */
  public CompletableFuture<TknAck> acknowledged(long frameNumber) {
    requireHelloMode("acknowledged()");
    sendLock.lock();
    try {
      if (frameNumber < 1 || frameNumber > framesSent) {
        throw new IllegalArgumentException(
            "frameNumber=" + frameNumber + " must be in [1, " + framesSent + "] (frames sent)");
      }
      checkOpen();
      writeBuffered();
    } finally {
      sendLock.unlock();
    }
    return session.ackWaiter(frameNumber);
  }

  private void requireHelloMode(String method) {
    if (!session.helloMode()) {
      throw new IllegalStateException(
          method
              + " needs HELLO mode: connect with a TknClient.Hello; compatibility mode has no acks");
    }
  }

  private TknClientException rethrown(ExecutionException e) {
    if (e.getCause() instanceof TknClientException failure) {
      return new TknClientException(failure);
    }
    return new TknClientException("unexpected failure", e.getCause(), false);
  }

  // ---------------------------------------------------------------- state

  /** Whether this client connected in HELLO mode. */
  public boolean helloMode() {
    return session.helloMode();
  }

  /** The session id from READY, or {@code null} in compatibility mode. */
  public String sessionId() {
    return session.sessionId();
  }

  /**
   * The largest data frame payload this client sends: the server's limit from READY in HELLO mode,
   * {@link TknFrameDescriptor#DEFAULT_MAX_PAYLOAD_LENGTH} (what a Tokenworks server accepts) in
   * compatibility mode.
   */
  public long maxPayloadLength() {
    return session.helloMode()
        ? session.maxPayloadLength()
        : TknFrameDescriptor.DEFAULT_MAX_PAYLOAD_LENGTH;
  }

  /** Data frames sent so far (written or buffered). */
  public long framesSent() {
    return framesSent;
  }

  /** Data frames that may still be sent without waiting; unbounded in compatibility mode. */
  public long credit() {
    return session.helloMode() ? Math.max(0, session.granted() - framesSent) : Long.MAX_VALUE;
  }

  /** The figures of the last ACK received, {@link TknAck#NONE} before the first. */
  public TknAck lastAck() {
    return session.lastAck();
  }

  /** Bytes of the server's unframed text acks received in compatibility mode. */
  public long compatAcksReceived() {
    return session.compatBytesReceived();
  }

  /** ERROR frames received, fatal or not, thrown or not. */
  public long errorsReceived() {
    return session.errorsReceived();
  }

  /** Whether the client is closed, by {@link #close()} or by a failure. */
  public boolean isClosed() {
    return closed || session.failed();
  }

  /** The reader thread, for tests that check it ends. */
  Thread readerThread() {
    return session.reader();
  }

  /**
   * Writes what is still buffered when no send is in progress (best effort), then closes the socket
   * and ends the reader thread; pending futures fail. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!session.failed() && sendLock.tryLock()) {
      try {
        writeBuffered();
        finishGracefully();
      } catch (TknClientException | IOException ignored) {
        // Closing anyway.
      } finally {
        sendLock.unlock();
      }
    }
    session.close();
  }

  /** After {@link #close()} every call says so, however the session itself ended. */
  private void checkOpen() {
    if (closed) {
      throw new TknClientException("client is closed", null, true);
    }
    session.throwIfFailed();
  }

  /**
   * Ends our side of the stream and lets the reader drain until the server closes: closing a socket
   * with unread acks in its receive buffer would send a reset, and the server would drop frames it
   * has received but not yet read.
   */
  private void finishGracefully() throws IOException {
    socket.shutdownOutput();
    try {
      session.reader().join(Math.max(1, Math.min(timeout.toMillis(), 5_000)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Nothing to do: the socket is gone either way.
    }
  }
}
