package io.tokenworks.protocol.tau;

import static io.tokenworks.protocol.Bytes.hex;
import static io.tokenworks.protocol.tau.FakeTauServer.err;
import static io.tokenworks.protocol.tau.FakeTauServer.frame;
import static io.tokenworks.protocol.tau.FakeTauServer.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TauClientTest {

  private static final byte[] CERTIFICATE =
      hex("000102030405060708090a0b0c0d0e0f" + "101112131415161718191a1b1c1d1e1f");
  private static final TauLabel TEMP = TauLabel.of("temp");

  private FakeTauServer server;

  @AfterEach
  void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private TauClient connect() {
    return TauClient.connect("127.0.0.1", server.port(), CERTIFICATE);
  }

  @Test
  void connectSendsTheCertificateAndSucceedsOnOk() throws Exception {
    server = FakeTauServer.answering(frame -> ok());
    try (TauClient client = connect()) {
      assertThat(client.isClosed()).isFalse();
    }
    assertThat(server.requests().get(0))
        .isEqualTo(
            hex(
                "54415501010000000020"
                    + "000102030405060708090a0b0c0d0e0f"
                    + "101112131415161718191a1b1c1d1e1f"));
  }

  @Test
  void connectWithARefusedCertificateThrowsAuthFailed() throws Exception {
    server = new FakeTauServer(frame -> err(TauStatus.AUTH_FAILED));
    assertThatThrownBy(this::connect)
        .isInstanceOfSatisfying(
            TauClientException.class,
            e -> {
              assertThat(e.status()).isEqualTo(TauStatus.AUTH_FAILED);
              assertThat(e.isErrorReply()).isTrue();
              assertThat(e.getMessage()).contains("CONNECT failed: auth_failed");
            });
  }

  @Test
  void connectToAClosedPortFailsWithoutAStatus() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    assertThatThrownBy(() -> TauClient.connect("127.0.0.1", port, CERTIFICATE))
        .isInstanceOfSatisfying(TauClientException.class, e -> assertThat(e.status()).isNull())
        .hasMessageContaining("cannot connect to 127.0.0.1:" + port);
  }

  @Test
  void certificateMustBeThirtyTwoBytes() {
    assertThatThrownBy(() -> TauClient.connect("127.0.0.1", 1, new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("certificate length=31");
  }

  @Test
  void aSilentServerTimesOutAndClosesTheClient() throws Exception {
    server = FakeTauServer.answering(frame -> null);
    TauClient client =
        TauClient.connect(
            "127.0.0.1", server.port(), CERTIFICATE, Duration.ofSeconds(1), Duration.ofMillis(200));
    long start = System.nanoTime();
    assertThatThrownBy(client::ping).hasMessageContaining("no reply within 200 ms");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
    assertThat(client.isClosed()).isTrue();
    assertThatThrownBy(client::ping).hasMessageContaining("closed");
  }

  @Test
  void everyBlockingCallSendsItsOpcodeAndParsesItsReply() throws Exception {
    server = FakeTauServer.answering(TauClientTest::cannedReply);
    try (TauClient client = connect()) {
      client.ping();
      client.createSeries(TEMP);
      client.append(TEMP, 1, 22.5);
      client.appendBatch(TEMP, new long[] {2, 3}, new double[] {1.0, -0.0});
      assertThat(client.queryPoint(TEMP, 1)).hasValue(22.5);
      assertThat(client.queryLatest(TEMP, 100)).contains(new TauPoint(3, -0.0));
      TauRangePage page = client.queryRange(TEMP, 0, 10, 2);
      assertThat(page.points()).containsExactly(new TauPoint(1, 22.5), new TauPoint(2, 1.0));
      assertThat(page.hasMore()).isTrue();
      assertThat(page.nextFrom()).isEqualTo(3);
      assertThat(client.aggregate(TEMP, 0, 10))
          .isEqualTo(new TauAggregate(3, -0.0, 22.5, 23.5, 23.5 / 3));
      assertThat(client.listSeries()).containsExactly(TEMP, TauLabel.of("pressure"));
      client.createLens(TauLabel.of("temp_f"), TEMP, "celsius_to_fahrenheit");
      assertThat(client.queryLens(TauLabel.of("temp_f"), 1)).isEqualTo(OptionalDouble.empty());
      client.composeLens(TauLabel.of("c"), TauLabel.of("a"), TauLabel.of("b"));
      assertThat(client.listLenses()).containsExactly(TauLabel.of("temp_f"));
      client.dropLens(TauLabel.of("temp_f"));
      client.dropSeries(TEMP);
    }
    List<TauOpcode> sent = new ArrayList<>();
    for (int i = 0; i < server.requests().size(); i++) {
      sent.add(server.opcode(i));
    }
    assertThat(sent)
        .containsExactly(
            TauOpcode.CONNECT,
            TauOpcode.PING,
            TauOpcode.CREATE_SERIES,
            TauOpcode.APPEND,
            TauOpcode.APPEND_BATCH,
            TauOpcode.QUERY_POINT,
            TauOpcode.QUERY_LATEST,
            TauOpcode.QUERY_RANGE,
            TauOpcode.QUERY_AGGREGATE,
            TauOpcode.LIST_SERIES,
            TauOpcode.CREATE_LENS,
            TauOpcode.QUERY_LENS,
            TauOpcode.COMPOSE_LENS,
            TauOpcode.LIST_LENSES,
            TauOpcode.DROP_LENS,
            TauOpcode.DROP_SERIES,
            TauOpcode.DISCONNECT);
    byte[] createLens = server.requests().get(10);
    assertThat(new String(createLens, 10 + 64, 21, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("celsius_to_fahrenheit");
    assertThat(createLens[10 + 64 + 21]).isZero(); // zero-padded, unlike upstream's REPL
  }

  private static byte[] cannedReply(TauFrame request) {
    return switch (request.opcode()) {
      case PING -> frame(b -> TauFrameEncoder.empty(b, 0, TauOpcode.PONG));
      case QUERY_POINT -> frame(b -> TauFrameEncoder.queryFound(b, 0, 22.5));
      case QUERY_LENS -> frame(b -> TauFrameEncoder.queryNotFound(b, 0));
      case QUERY_LATEST -> frame(b -> TauFrameEncoder.latestFound(b, 0, 3, -0.0));
      case QUERY_RANGE ->
          frame(
              b ->
                  TauFrameEncoder.rangeReply(
                      b, 0, new long[] {1, 2}, new double[] {22.5, 1.0}, 2, true));
      case QUERY_AGGREGATE ->
          frame(b -> TauFrameEncoder.aggregateReply(b, 0, 3, -0.0, 22.5, 23.5, 23.5 / 3));
      case LIST_SERIES ->
          frame(b -> TauFrameEncoder.labelList(b, 0, List.of(TEMP, TauLabel.of("pressure"))));
      case LIST_LENSES ->
          frame(b -> TauFrameEncoder.labelList(b, 0, List.of(TauLabel.of("temp_f"))));
      default -> ok();
    };
  }

  @Test
  void anErrReplyThrowsItsStatusAndKeepsTheConnection() throws Exception {
    server =
        FakeTauServer.answering(
            frame ->
                frame.opcode() == TauOpcode.APPEND
                    ? err(TauStatus.OUT_OF_ORDER)
                    : cannedReply(frame));
    try (TauClient client = connect()) {
      assertThatThrownBy(() -> client.append(TEMP, 1, 1.0))
          .isInstanceOfSatisfying(
              TauClientException.class,
              e -> assertThat(e.status()).isEqualTo(TauStatus.OUT_OF_ORDER))
          .hasMessage("APPEND failed: out_of_order");
      client.ping();
      assertThat(client.isClosed()).isFalse();
    }
  }

  @Test
  void anUnknownStatusByteIsReportedRaw() throws Exception {
    server = FakeTauServer.answering(frame -> hex("54415501ff0000000001" + "42"));
    try (TauClient client = connect()) {
      assertThatThrownBy(() -> client.createSeries(TEMP))
          .isInstanceOfSatisfying(
              TauClientException.class,
              e -> {
                assertThat(e.status()).isNull();
                assertThat(e.statusCode()).isEqualTo(0x42);
                assertThat(e.isErrorReply()).isTrue();
              })
          .hasMessageContaining("0x42");
    }
  }

  @Test
  void aReplyOfTheWrongShapeClosesTheClient() throws Exception {
    server = FakeTauServer.answering(frame -> ok());
    TauClient client = connect();
    assertThatThrownBy(() -> client.queryPoint(TEMP, 1))
        .isInstanceOfSatisfying(
            TauClientException.class, e -> assertThat(e.isErrorReply()).isFalse())
        .hasMessageContaining("protocol violation: QUERY_POINT");
    assertThat(client.isClosed()).isTrue();
  }

  @Test
  void aRangeReplyWhoseCountLiesClosesTheClient() throws Exception {
    server = FakeTauServer.answering(frame -> hex("54415501f000000000050000000900"));
    TauClient client = connect();
    assertThatThrownBy(() -> client.queryRange(TEMP, 0, 1, 10))
        .hasMessageContaining("protocol violation");
    assertThat(client.isClosed()).isTrue();
  }

  @Test
  void queryRangeAllFollowsThePages() throws Exception {
    server =
        FakeTauServer.answering(
            request -> {
              long from = request.rangeFrom();
              int limit = (int) request.rangeLimit();
              long[] ts = new long[10];
              double[] values = new double[10];
              int count = 0;
              for (long t = Math.max(from, 0); t < 10 && count < limit; t++) {
                ts[count] = t;
                values[count++] = t * 1.5;
              }
              int n = count;
              boolean more = n > 0 && ts[n - 1] < 9;
              return frame(b -> TauFrameEncoder.rangeReply(b, 0, ts, values, n, more));
            });
    try (TauClient client = connect()) {
      List<TauPoint> points = client.queryRangeAll(TEMP, Long.MIN_VALUE, Long.MAX_VALUE, 3);
      assertThat(points).hasSize(10);
      assertThat(points.get(9)).isEqualTo(new TauPoint(9, 13.5));
    }
    // CONNECT, four pages (3+3+3+1), DISCONNECT
    assertThat(server.requests()).hasSize(6);
  }

  @Test
  void pipelinedRepliesComeBackInRequestOrder() throws Exception {
    server =
        FakeTauServer.answering(
            request ->
                request.opcode() == TauOpcode.APPEND && request.timestamp() % 2 == 1
                    ? err(TauStatus.OUT_OF_ORDER)
                    : cannedReply(request));
    try (TauClient client = connect()) {
      TauPipeline pipeline = client.pipeline();
      int n = 2_000;
      CompletableFuture<Void> sender =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < n; i++) {
                  pipeline.append(TEMP, i, i);
                }
                pipeline.flush();
              });
      for (int i = 0; i < n; i++) {
        assertThat(pipeline.nextStatus())
            .as("reply %d", i)
            .isEqualTo(i % 2 == 1 ? TauStatus.OUT_OF_ORDER : TauStatus.SUCCESS);
      }
      sender.get(10, TimeUnit.SECONDS);
      assertThat(pipeline.pending()).isZero();
      client.ping();
    }
  }

  @Test
  void blockingCallsAreRefusedWhilePipelinedRepliesAreUnread() throws Exception {
    server = FakeTauServer.answering(frame -> ok());
    try (TauClient client = connect()) {
      client.pipeline().append(TEMP, 1, 1.0).flush();
      assertThatThrownBy(client::ping)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("1 pipelined replies are unread");
      assertThat(client.pipeline().nextReply().opcode()).isEqualTo(TauOpcode.OK);
      client.createSeries(TEMP);
    }
  }

  @Test
  void largeBatchesGrowTheSendBuffer() throws Exception {
    server = FakeTauServer.answering(frame -> ok());
    int count = 100_000;
    long[] ts = new long[count];
    double[] values = new double[count];
    for (int i = 0; i < count; i++) {
      ts[i] = i;
      values[i] = i;
    }
    try (TauClient client = connect()) {
      client.appendBatch(TEMP, ts, values);
    }
    assertThat(server.requests().get(1)).hasSize(10 + 36 + 16 * count);
  }

  @Test
  void closeSendsDisconnectAndIsIdempotent() throws Exception {
    server = FakeTauServer.answering(frame -> ok());
    TauClient client = connect();
    client.close();
    client.close();
    assertThat(client.isClosed()).isTrue();
    assertThat(server.requests()).hasSize(2);
    assertThat(server.opcode(1)).isEqualTo(TauOpcode.DISCONNECT);
  }
}
