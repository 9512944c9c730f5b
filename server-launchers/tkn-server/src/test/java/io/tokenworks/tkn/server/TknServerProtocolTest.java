package io.tokenworks.tkn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.protocol.tkn.TknAck;
import io.tokenworks.protocol.tkn.TknClient;
import io.tokenworks.protocol.tkn.TknClientException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TKN v1 and HELLO mode over a real socket, with the graph off (tokens counted, not stored). */
class TknServerProtocolTest {

  private static final int READY = 0x11;
  private static final int ACK = 0x12;
  private static final int ERROR = 0x13;

  @TempDir static Path data;
  private static TknServer server;

  @BeforeAll
  static void start() {
    server = Servers.start(data, Map.of("credit", 4, "max-frame", 4096));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void compatibilityModeAcksEachReadWithTheSessionIdLikeUpstream() throws Exception {
    double before = Servers.metric(server, "tkn_symbols_total");
    try (RawTkn raw = new RawTkn(server.port())) {
      raw.send(RawTkn.batchOfCharacters("abababab"));
      String acks = raw.readCompatAcks(1);
      assertThat(acks)
          .matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}: ack");
    }
    assertThat(Servers.metric(server, "tkn_symbols_total") - before).isEqualTo(8);
  }

  @Test
  void upstreamLoopBugVectorMinesEverySymbolOfAJsonArray() throws Exception {
    try (TknClient client =
        TknClient.connect("127.0.0.1", server.port(), TknClient.Hello.tenant("t1"))) {
      client.sendJson("[\"a\",\"b\",\"a\",\"b\"]");
      TknAck ack = client.awaitAcks();
      assertThat(ack.symbols()).isEqualTo(4);
      assertThat(client.flush()).isEqualTo(Servers.expectedTokens("abab").size());
    }
  }

  @Test
  void helloModeAcknowledgesWithCountsAndFlushReturnsEveryToken() throws Exception {
    String text = "the cat the cat the cat";
    try (TknClient client =
        TknClient.connect("127.0.0.1", server.port(), TknClient.Hello.defaultTenant())) {
      assertThat(client.sessionId()).hasSize(36);
      var batch = client.batch();
      text.chars().forEach(c -> batch.addString(String.valueOf((char) c)));
      batch.send();
      client.sendBinary("AB".getBytes(StandardCharsets.US_ASCII));
      TknAck ack = client.awaitAcks();
      assertThat(ack.frames()).isEqualTo(2);
      assertThat(ack.symbols()).isEqualTo(text.length() + 2);
      long tokens = client.flush();
      assertThat(tokens).isGreaterThanOrEqualTo(Servers.expectedTokens(text).size());
    }
  }

  @Test
  void aCompatibilityClientClosingRightAfterSendingLosesNothing() throws Exception {
    double before = Servers.metric(server, "tkn_symbols_total");
    try (TknClient client = TknClient.connect("127.0.0.1", server.port())) {
      for (int frame = 0; frame < 200; frame++) {
        var batch = client.batch();
        for (int i = 0; i < 500; i++) {
          batch.addString(String.valueOf((char) ('a' + (frame + i) % 26)));
        }
        batch.send();
      }
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (Servers.metric(server, "tkn_symbols_total") - before < 100_000
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(Servers.metric(server, "tkn_symbols_total") - before).isEqualTo(100_000);
  }

  @Test
  void dataBeyondTheCreditIsAFatalError() throws Exception {
    try (RawTkn raw = new RawTkn(server.port())) {
      raw.send(RawTkn.hello("", ""));
      assertThat(raw.read().type()).isEqualTo(READY);
      byte[][] frames = new byte[50][];
      for (int i = 0; i < frames.length; i++) {
        frames[i] = RawTkn.string("x" + i);
      }
      byte[] all = concat(frames);
      raw.send(all);
      RawTkn.Reply error = raw.readUntil(ERROR);
      assertThat(error.errorCode()).isEqualTo(7);
      assertThat(error.message()).contains("credit");
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void badHelloIsAnsweredAndClosed() throws Exception {
    byte[] badMagic = RawTkn.hello("", "");
    badMagic[5] = 'X';
    try (RawTkn raw = new RawTkn(server.port())) {
      raw.send(badMagic);
      RawTkn.Reply reply = raw.read();
      assertThat(reply.type()).isEqualTo(ERROR);
      assertThat(reply.errorCode()).isEqualTo(1);
      assertThat(raw.closedByServer()).isTrue();
    }
    byte[] version2 = RawTkn.hello("", "");
    version2[9] = 2;
    try (RawTkn raw = new RawTkn(server.port())) {
      raw.send(version2);
      assertThat(raw.read().errorCode()).isEqualTo(2);
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void aSecondHelloIsFatal() throws Exception {
    try (RawTkn raw = new RawTkn(server.port())) {
      raw.send(RawTkn.hello("a", ""));
      assertThat(raw.read().type()).isEqualTo(READY);
      raw.send(RawTkn.hello("a", ""));
      assertThat(raw.readUntil(ERROR).errorCode()).isEqualTo(1);
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void unknownTypeIsReportedInHelloModeAndTheSessionGoesOn() throws Exception {
    try (RawTkn raw = new RawTkn(server.port())) {
      raw.send(RawTkn.hello("", ""));
      raw.read();
      raw.send(RawTkn.frame(0x30, new byte[] {1, 2, 3}));
      RawTkn.Reply error = raw.readUntil(ERROR);
      assertThat(error.errorCode()).isEqualTo(4);
      raw.send(RawTkn.string("still here"));
      RawTkn.Reply ack = raw.readUntil(ACK);
      assertThat(ack.u64(8)).isEqualTo(1);
    }
  }

  @Test
  void unknownTypeIsSkippedInCompatibilityModeLikeUpstream() throws Exception {
    double unknownBefore = Servers.metric(server, "tkn_frames_total{type=\"unknown\"}");
    double symbolsBefore = Servers.metric(server, "tkn_symbols_total");
    try (RawTkn raw = new RawTkn(server.port())) {
      raw.send(concat(RawTkn.frame(9, new byte[] {7, 7}), RawTkn.string("kept")));
      raw.readCompatAcks(1);
      raw.send(RawTkn.string("kept too"));
      raw.readCompatAcks(1);
    }
    assertThat(Servers.metric(server, "tkn_frames_total{type=\"unknown\"}") - unknownBefore)
        .isEqualTo(1);
    assertThat(Servers.metric(server, "tkn_symbols_total") - symbolsBefore).isEqualTo(2);
  }

  @Test
  void malformedJsonIsReportedAndMinesNothingFromThatFrame() throws Exception {
    try (RawTkn raw = new RawTkn(server.port())) {
      raw.send(RawTkn.hello("", ""));
      raw.read();
      raw.send(RawTkn.frame(1, "{\"a\":".getBytes(StandardCharsets.UTF_8)));
      RawTkn.Reply error = raw.readUntil(ERROR);
      assertThat(error.errorCode()).isEqualTo(6);
      assertThat(error.u64(2)).isEqualTo(1);
      raw.send(RawTkn.frame(1, "[\"x\",\"y\",3]".getBytes(StandardCharsets.UTF_8)));
      RawTkn.Reply ack = raw.readUntil(ACK);
      while (ack.u64(0) < 2) {
        ack = raw.readUntil(ACK);
      }
      assertThat(ack.u64(0)).isEqualTo(2);
      assertThat(ack.u64(8)).isEqualTo(3);
    }
  }

  @Test
  void nestedBatchMinesTheItemsBeforeItAndReportsTheRest() throws Exception {
    byte[] inner = RawTkn.frame(4, RawTkn.string("z"));
    byte[] batch = RawTkn.frame(4, concat(RawTkn.string("a"), RawTkn.string("b"), inner));
    try (RawTkn raw = new RawTkn(server.port())) {
      raw.send(RawTkn.hello("", ""));
      raw.read();
      raw.send(batch);
      assertThat(raw.readUntil(ERROR).message()).contains("BATCH inside a BATCH");
      assertThat(raw.readUntil(ACK).u64(8)).isEqualTo(2);
    }
  }

  @Test
  void oversizedFrameIsRefusedBeforeItsPayloadArrives() throws Exception {
    byte[] header = {2, 0, 0, 0x20, 0};
    try (RawTkn raw = new RawTkn(server.port())) {
      raw.send(RawTkn.hello("", ""));
      raw.read();
      raw.send(header);
      RawTkn.Reply error = raw.readUntil(ERROR);
      assertThat(error.errorCode()).isEqualTo(5);
      assertThat(error.message()).contains("8192").contains("4096");
      assertThat(raw.closedByServer()).isTrue();
    }
    try (RawTkn raw = new RawTkn(server.port())) {
      raw.send(header);
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void aSlowClientSendingOneByteAtATimeIsMinedWhole() throws Exception {
    byte[] bytes = concat(RawTkn.hello("slow", ""), RawTkn.batchOfCharacters("slowly"));
    try (RawTkn raw = new RawTkn(server.port())) {
      for (byte b : bytes) {
        raw.send(new byte[] {b});
      }
      RawTkn.Reply ack = raw.readUntil(ACK);
      assertThat(ack.u64(8)).isEqualTo(6);
    }
  }

  @Test
  void aClientVanishingMidFrameLeavesTheServerServing() throws Exception {
    try (RawTkn raw = new RawTkn(server.port())) {
      byte[] frame = RawTkn.batchOfCharacters("half a frame");
      raw.send(java.util.Arrays.copyOf(frame, frame.length / 2));
    }
    try (TknClient client =
        TknClient.connect("127.0.0.1", server.port(), TknClient.Hello.defaultTenant())) {
      client.sendString("next");
      assertThat(client.awaitAcks().symbols()).isEqualTo(1);
    }
  }

  @Test
  void clientRefusesAPayloadAboveTheServersMaximum() throws Exception {
    try (TknClient client =
        TknClient.connect("127.0.0.1", server.port(), TknClient.Hello.defaultTenant())) {
      assertThat(client.maxPayloadLength()).isEqualTo(4096);
      assertThatThrownBy(() -> client.sendBinary(new byte[5000]))
          .isInstanceOf(IllegalArgumentException.class);
      client.sendString("ok");
      assertThat(client.awaitAcks().frames()).isEqualTo(1);
    }
  }

  @Test
  void metricsUseUpstreamNamesWithSubMillisecondBuckets() throws Exception {
    try (TknClient client = TknClient.connect("127.0.0.1", server.port())) {
      client.sendString("metrics");
      client.flushSocket();
    }
    String metrics = Servers.scrape(server);
    assertThat(metrics)
        .contains(
            "component_operation_throughput_total{component=\"server\",operation=\"connection-opened\"}")
        .contains(
            "component_operation_latency_seconds_bucket{component=\"server\",operation=\"socket-data-processing\",le=\"1.0E-5\"}")
        .contains("component_operation_errors_total")
        .contains("component_dependency_calls_total")
        .contains("active_connections_total")
        .contains("tkn_symbols_total")
        .contains("tkn_graph_queue_tokens");
    assertThat(Servers.get(server, "/health").statusCode()).isEqualTo(200);
  }

  @Test
  void errorsReachTheJavaClientAsTypedExceptions() {
    byte[] big = new byte[10];
    try (TknClient client =
        TknClient.connect("127.0.0.1", server.port(), TknClient.Hello.defaultTenant())) {
      client.sendJson("not json");
      client.awaitAcks();
      assertThatThrownBy(() -> client.sendBinary(big))
          .isInstanceOf(TknClientException.class)
          .hasMessageContaining("JSON");
      client.sendBinary(big);
      assertThat(client.awaitAcks().frames()).isEqualTo(2);
    }
  }

  static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
