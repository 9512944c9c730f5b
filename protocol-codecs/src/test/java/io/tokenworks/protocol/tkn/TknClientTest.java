package io.tokenworks.protocol.tkn;

import static io.tokenworks.protocol.Bytes.hex;
import static io.tokenworks.protocol.tkn.FakeTknServer.ack;
import static io.tokenworks.protocol.tkn.FakeTknServer.error;
import static io.tokenworks.protocol.tkn.FakeTknServer.flushed;
import static io.tokenworks.protocol.tkn.FakeTknServer.ready;
import static io.tokenworks.protocol.tkn.FakeTknServer.requestId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.protocol.tkn.FakeTknServer.Connection;
import io.tokenworks.protocol.tkn.FakeTknServer.Received;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TknClientTest {

  private static final String SESSION = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
  private static final int MAX_PAYLOAD = 1024;

  private FakeTknServer server;
  private TknClient client;

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /**
   * A HELLO mode server granting {@code credit} in READY; with {@code autoAck} it acknowledges each
   * data frame at once with one more credit (symbols = 2 per frame, tokens = 1 per frame) and
   * answers FLUSH with tokens = 10 per frame.
   */
  private FakeTknServer helloServer(long credit, boolean autoAck) throws Exception {
    return new FakeTknServer(
        (connection, frame) -> {
          switch (frame.type()) {
            case 0x10 -> connection.send(ready(credit, MAX_PAYLOAD, SESSION));
            case 0x14 -> connection.send(flushed(requestId(frame), connection.dataFrames * 10));
            default -> {
              long n = ++connection.dataFrames;
              if (autoAck) {
                connection.send(ack(n, 2 * n, n, 1));
              }
            }
          }
        });
  }

  private TknClient connect(TknClient.Hello hello, Duration timeout) {
    return TknClient.connect(
        "127.0.0.1", server.port(), hello, TknClient.DEFAULT_CONNECT_TIMEOUT, timeout);
  }

  private TknClient connect() {
    return connect(TknClient.Hello.tenant("acme"), Duration.ofSeconds(10));
  }

  @Test
  void handshakeSendsHelloFirstAndReadsReady() throws Exception {
    server = helloServer(64, true);
    client = connect(TknClient.Hello.tenant("acme").withToken(hex("6b31")), Duration.ofSeconds(10));

    assertThat(server.next().bytes())
        .isEqualTo(hex("10 0000000f 544b4e48 01 00 04 61636d65 0002 6b31"));
    assertThat(client.helloMode()).isTrue();
    assertThat(client.sessionId()).isEqualTo(SESSION);
    assertThat(client.maxPayloadLength()).isEqualTo(MAX_PAYLOAD);
    assertThat(client.credit()).isEqualTo(64);
    assertThat(client.lastAck()).isEqualTo(TknAck.NONE);
  }

  @Test
  void dataFramesGoOutAsV1FramesNumberedFromOne() throws Exception {
    server = helloServer(64, true);
    client = connect();
    server.next();

    assertThat(client.sendString("hi")).isEqualTo(1);
    assertThat(client.sendBinary(new byte[] {1, 2, 3})).isEqualTo(2);
    assertThat(client.sendJson("{\"a\":1}")).isEqualTo(3);
    assertThat(client.sendJson("{\"a\":1}".getBytes(StandardCharsets.UTF_8))).isEqualTo(4);
    assertThat(client.batch().addString("a").addString("b").send()).isEqualTo(5);
    assertThat(client.framesSent()).isEqualTo(5);
    client.flushSocket();

    assertThat(server.next().bytes()).isEqualTo(hex(TknFrameDecoderTest.STRING_HI));
    assertThat(server.next().bytes()).isEqualTo(hex(TknFrameDecoderTest.BINARY_1_2_3));
    assertThat(server.next().bytes()).isEqualTo(hex(TknFrameDecoderTest.JSON_A_1));
    assertThat(server.next().bytes()).isEqualTo(hex(TknFrameDecoderTest.JSON_A_1));
    assertThat(server.next().bytes()).isEqualTo(hex(TknFrameDecoderTest.BATCH_A_B));
  }

  @Test
  void awaitAcksReturnsTheFiguresOfTheAckCoveringEveryFrame() throws Exception {
    server = helloServer(64, true);
    client = connect();
    for (int i = 0; i < 3; i++) {
      client.sendString("abc");
    }
    assertThat(client.awaitAcks()).isEqualTo(new TknAck(3, 6, 3));
    assertThat(client.lastAck()).isEqualTo(new TknAck(3, 6, 3));
  }

  @Test
  void acknowledgedCompletesOnceAnAckCoversTheFrame() throws Exception {
    server = helloServer(64, false);
    client = connect();
    long first = client.sendString("a");
    long second = client.sendString("b");
    CompletableFuture<TknAck> firstAcked = client.acknowledged(first);
    CompletableFuture<TknAck> secondAcked = client.acknowledged(second);
    Connection connection = server.connection();
    server.next();
    server.next();
    server.next();

    connection.send(ack(1, 1, 0, 1));
    assertThat(firstAcked.get(5, TimeUnit.SECONDS)).isEqualTo(new TknAck(1, 1, 0));
    assertThat(secondAcked).isNotDone();
    connection.send(ack(2, 2, 1, 1));
    assertThat(secondAcked.get(5, TimeUnit.SECONDS)).isEqualTo(new TknAck(2, 2, 1));
    assertThat(client.acknowledged(1)).isCompletedWithValue(new TknAck(2, 2, 1));
    assertThatThrownBy(() -> client.acknowledged(3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("frameNumber=3 must be in [1, 2] (frames sent)");
  }

  @Test
  void sendBlocksWithoutCreditUntilAnAckGrantsMore() throws Exception {
    server = helloServer(2, false);
    client = connect();
    server.next();
    client.sendString("a");
    client.sendString("b");
    assertThat(client.credit()).isZero();

    CompletableFuture<Long> third = CompletableFuture.supplyAsync(() -> client.sendString("c"));
    // The blocked send pushed the two buffered frames so the server can acknowledge them.
    assertThat(server.next().bytes()).isEqualTo(hex("02 00000001 61"));
    assertThat(server.next().bytes()).isEqualTo(hex("02 00000001 62"));
    assertThat(server.poll(200)).as("nothing without credit").isNull();
    assertThat(third).isNotDone();

    server.connection().send(ack(2, 2, 2, 1));
    assertThat(third.get(5, TimeUnit.SECONDS)).isEqualTo(3);
    client.flushSocket();
    assertThat(server.next().bytes()).isEqualTo(hex("02 00000001 63"));
    assertThat(client.credit()).isZero();
  }

  @Test
  void sendWithoutCreditTimesOutSendingNothingAndTheClientStaysOpen() throws Exception {
    server = helloServer(1, false);
    client = connect(TknClient.Hello.defaultTenant(), Duration.ofMillis(200));
    server.next();
    client.sendString("a");

    assertThatThrownBy(() -> client.sendString("b"))
        .isInstanceOfSatisfying(
            TknClientException.class,
            e -> {
              assertThat(e).hasMessage("no credit for frame 2 within 200 ms");
              assertThat(e.isFatal()).isFalse();
            });
    assertThat(client.framesSent()).isEqualTo(1);
    assertThat(client.isClosed()).isFalse();

    server.connection().send(ack(1, 1, 0, 1));
    assertThat(client.awaitAcks()).isEqualTo(new TknAck(1, 1, 0));
    assertThat(client.sendString("b")).isEqualTo(2);
  }

  @Test
  void flushSendsARequestIdAndReturnsTheTokensWritten() throws Exception {
    server = helloServer(64, true);
    client = connect();
    server.next();
    client.sendString("a");
    client.sendString("b");

    assertThat(client.flush()).isEqualTo(20);
    server.next();
    server.next();
    Received flush = server.next();
    assertThat(flush.bytes()).isEqualTo(hex("14 00000008 0000000000000001"));

    CompletableFuture<Long> second = client.flushAsync();
    assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(20);
    assertThat(requestId(server.next())).isEqualTo(2);
  }

  @Test
  void nonFatalErrorIsThrownByTheNextCallAndTheSessionGoesOn() throws Exception {
    server =
        new FakeTknServer(
            (connection, frame) -> {
              if (frame.type() == 0x10) {
                connection.send(ready(64, MAX_PAYLOAD, SESSION));
                return;
              }
              long n = ++connection.dataFrames;
              if (frame.type() == TknFrameType.JSON.code()) {
                connection.send(error(TknErrorCode.MALFORMED_FRAME, n, "bad json"));
              }
              connection.send(ack(n, n, n, 1));
            });
    client = connect();
    client.sendJson("{bad");
    assertThat(client.awaitAcks().frames()).isEqualTo(1);

    assertThatThrownBy(() -> client.sendString("next"))
        .isInstanceOfSatisfying(
            TknClientException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo(TknErrorCode.MALFORMED_FRAME);
              assertThat(e.frameNumber()).isEqualTo(1);
              assertThat(e.isFatal()).isFalse();
              assertThat(e).hasMessage("server error MALFORMED_FRAME (data frame 1): bad json");
            });
    assertThat(client.framesSent()).as("the throwing call sent nothing").isEqualTo(1);
    assertThat(client.isClosed()).isFalse();
    assertThat(client.sendString("next")).isEqualTo(2);
    assertThat(client.awaitAcks().frames()).isEqualTo(2);
    assertThat(client.errorsReceived()).isEqualTo(1);
  }

  @Test
  void fatalErrorClosesTheClientAndFailsTheWaitingCall() throws Exception {
    server =
        new FakeTknServer(
            (connection, frame) -> {
              if (frame.type() == 0x10) {
                connection.send(ready(64, MAX_PAYLOAD, SESSION));
              } else if (frame.type() == 0x14) {
                connection.send(error(TknErrorCode.STORAGE_FAILED, 0, "sink down"));
                connection.close();
              }
            });
    client = connect();
    client.sendString("a");

    assertThatThrownBy(client::flush)
        .isInstanceOfSatisfying(
            TknClientException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo(TknErrorCode.STORAGE_FAILED);
              assertThat(e.isFatal()).isTrue();
              assertThat(e.frameNumber()).isZero();
              assertThat(e).hasMessage("server error STORAGE_FAILED: sink down");
            });
    assertThat(client.isClosed()).isTrue();
    assertThatThrownBy(() -> client.sendString("b"))
        .isInstanceOfSatisfying(
            TknClientException.class,
            e -> assertThat(e.errorCode()).isEqualTo(TknErrorCode.STORAGE_FAILED));
  }

  @Test
  void refusedHelloFailsConnectWithTheErrorCode() throws Exception {
    server =
        new FakeTknServer(
            (connection, frame) -> {
              connection.send(error(TknErrorCode.AUTH_FAILED, 0, "bad token"));
              connection.close();
            });
    assertThatThrownBy(this::connect)
        .isInstanceOfSatisfying(
            TknClientException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo(TknErrorCode.AUTH_FAILED);
              assertThat(e.isFatal()).isTrue();
            });
  }

  @Test
  void readyTimeoutClosesAndThrows() throws Exception {
    server = new FakeTknServer((connection, frame) -> {});
    assertThatThrownBy(() -> connect(TknClient.Hello.defaultTenant(), Duration.ofMillis(200)))
        .isInstanceOf(TknClientException.class)
        .hasMessage("no READY within 200 ms");
  }

  @Test
  void serverVanishingMidFlushFailsTheCallInsteadOfHanging() throws Exception {
    server =
        new FakeTknServer(
            (connection, frame) -> {
              if (frame.type() == 0x10) {
                connection.send(ready(64, MAX_PAYLOAD, SESSION));
              } else if (frame.type() == 0x14) {
                connection.close();
              }
            });
    client = connect(TknClient.Hello.defaultTenant(), Duration.ofSeconds(60));
    CompletableFuture<TknAck> never = client.acknowledged(client.sendString("a"));

    assertThatThrownBy(client::flush)
        .isInstanceOf(TknClientException.class)
        .hasMessageStartingWith("server closed the connection");
    assertThat(client.isClosed()).isTrue();
    assertThat(never).isCompletedExceptionally();
  }

  @Test
  void serverVanishingWhileASendWaitsForCreditFailsTheSend() throws Exception {
    server =
        new FakeTknServer(
            (connection, frame) -> {
              if (frame.type() == 0x10) {
                connection.send(ready(1, MAX_PAYLOAD, SESSION));
              } else {
                connection.close();
              }
            });
    client = connect(TknClient.Hello.defaultTenant(), Duration.ofSeconds(60));
    client.sendString("a");

    assertThatThrownBy(() -> client.sendString("b"))
        .isInstanceOfSatisfying(TknClientException.class, e -> assertThat(e.isFatal()).isTrue());
    assertThat(client.framesSent()).isEqualTo(1);
  }

  @Test
  void payloadAboveTheServersMaxIsRefusedBeforeAnythingIsSent() throws Exception {
    server = helloServer(64, true);
    client = connect();
    server.next();

    assertThatThrownBy(() -> client.sendBinary(new byte[MAX_PAYLOAD + 1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("payloadLength=1025 exceeds the server's max payload length 1024");
    TknClientBatch batch = client.batch().addBinary(new byte[MAX_PAYLOAD]);
    assertThatThrownBy(batch::send)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("payloadLength=1029 exceeds the server's max payload length 1024");
    assertThat(client.framesSent()).isZero();

    assertThat(client.sendBinary(new byte[MAX_PAYLOAD])).isEqualTo(1);
    client.awaitAcks();
    assertThat(server.next().bytes()).hasSize(5 + MAX_PAYLOAD);
    assertThat(server.poll(0)).isNull();
  }

  @Test
  void emptyBatchIsRefused() throws Exception {
    server = helloServer(64, true);
    client = connect();
    assertThatThrownBy(() -> client.batch().send())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("itemCount=0");
    assertThat(client.framesSent()).isZero();
  }

  @Test
  void serverSendingADataFrameIsAProtocolViolation() throws Exception {
    server =
        new FakeTknServer(
            (connection, frame) -> {
              connection.send(ready(64, MAX_PAYLOAD, SESSION));
              connection.send(hex(TknFrameDecoderTest.STRING_HI));
            });
    client = connect();
    // Whether the violation is seen before the FLUSH goes out or while it waits, flush() fails.
    assertThatThrownBy(client::flush)
        .isInstanceOf(TknClientException.class)
        .hasMessageContaining("protocol violation: a frame of type 0x2 is NOT_CONTROL");
    assertThat(client.isClosed()).isTrue();
  }

  @Test
  void compatModeSendsV1FramesWithoutHandshakeAndDrainsTextAcks() throws Exception {
    byte[] textAck = (SESSION + ": ack").getBytes(StandardCharsets.US_ASCII);
    server = new FakeTknServer((connection, frame) -> connection.send(textAck));
    client = TknClient.connect("127.0.0.1", server.port());
    assertThat(client.helloMode()).isFalse();
    assertThat(client.sessionId()).isNull();

    client.sendString("hi");
    client.batch().addString("a").addString("b").send();
    client.flushSocket();
    assertThat(server.next().bytes()).isEqualTo(hex(TknFrameDecoderTest.STRING_HI));
    assertThat(server.next().bytes()).isEqualTo(hex(TknFrameDecoderTest.BATCH_A_B));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (client.compatAcksReceived() < 2L * textAck.length && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(client.compatAcksReceived()).isEqualTo(2L * textAck.length);
    assertThat(client.credit()).isEqualTo(Long.MAX_VALUE);
    assertThatThrownBy(client::flush)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("flushAsync() needs HELLO mode");
    assertThatThrownBy(client::awaitAcks).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void preEncodedFramesAreCheckedAndSentAsTheyAre() throws Exception {
    server = helloServer(64, true);
    client = connect();
    server.next();
    UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
    int length = new TknBatchEncoder().wrap(frame, 0).addString("a").addString("b").finish();
    assertThat(client.sendFrame(frame, 0, length)).isEqualTo(1);
    assertThat(client.sendFrame(frame, 0, length)).isEqualTo(2);
    client.flushSocket();
    assertThat(server.next().bytes()).isEqualTo(hex(TknFrameDecoderTest.BATCH_A_B));
    assertThat(server.next().bytes()).isEqualTo(hex(TknFrameDecoderTest.BATCH_A_B));

    assertThatThrownBy(() -> client.sendFrame(frame, 0, length - 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("payload length");
    UnsafeBuffer control = new UnsafeBuffer(new byte[] {0x14, 0, 0, 0, 0});
    assertThatThrownBy(() -> client.sendFrame(control, 0, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no TKN data frame type");
    assertThat(client.framesSent()).isEqualTo(2);
  }

  @Test
  void closeIsIdempotentPushesWhatIsBufferedAndEndsTheReader() throws Exception {
    server = helloServer(64, true);
    client = connect();
    server.next();
    client.sendString("hi");
    client.close();
    client.close();

    assertThat(server.next().bytes()).isEqualTo(hex(TknFrameDecoderTest.STRING_HI));
    assertThat(client.isClosed()).isTrue();
    client.readerThread().join(5_000);
    assertThat(client.readerThread().isAlive()).isFalse();
    assertThatThrownBy(() -> client.sendString("x"))
        .isInstanceOf(TknClientException.class)
        .hasMessage("client is closed");
  }

  @Test
  void framesPushThemselvesWhenTheSendBufferFills() throws Exception {
    server = helloServer(1_000, true);
    client = connect();
    server.next();
    String text = "x".repeat(1000);
    for (int i = 0; i < 70; i++) {
      client.sendString(text);
    }
    // 70 KB exceed the 64 KiB send buffer: the first frames went out without flushSocket().
    assertThat(server.next().bytes()).hasSize(1005);
  }

  @Test
  void connectToAClosedPortFailsWithTheAddress() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    assertThatThrownBy(() -> TknClient.connect("127.0.0.1", port))
        .isInstanceOf(TknClientException.class)
        .hasMessageStartingWith("cannot connect to 127.0.0.1:" + port);
  }

  @Test
  void helloValidatesTenantAndTokenWithClearMessages() {
    assertThatThrownBy(() -> TknClient.Hello.tenant("acme/eu"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tenant=\"acme/eu\" has '/' at index 4; only [A-Za-z0-9._-] is allowed");
    assertThatThrownBy(() -> TknClient.Hello.tenant("a b"))
        .hasMessage("tenant=\"a b\" has ' ' at index 1; only [A-Za-z0-9._-] is allowed");
    assertThatThrownBy(() -> TknClient.Hello.tenant("t".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tenant length=65 must be <= 64");
    assertThatThrownBy(() -> TknClient.Hello.tenant("acme").withToken(new byte[1025]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token length=1025 must be <= 1024");
    assertThatThrownBy(() -> TknClient.Hello.tenant(null)).isInstanceOf(NullPointerException.class);

    TknClient.Hello ok = TknClient.Hello.tenant("Acme_1.eu-west").withToken(new byte[1024]);
    assertThat(ok.tenant()).isEqualTo("Acme_1.eu-west");
    assertThat(ok.toString()).isEqualTo("Hello[tenant=Acme_1.eu-west, token=<1024 bytes>]");
    assertThat(TknClient.Hello.tenant("t".repeat(64)).tenant()).hasSize(64);
  }

  @Test
  void tokenIsCopiedInAndOut() {
    byte[] token = {1, 2};
    TknClient.Hello hello = TknClient.Hello.defaultTenant().withToken(token);
    token[0] = 9;
    hello.token()[1] = 9;
    assertThat(hello.token()).containsExactly(1, 2);
  }
}
