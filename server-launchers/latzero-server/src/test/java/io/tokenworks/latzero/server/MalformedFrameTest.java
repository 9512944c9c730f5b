package io.tokenworks.latzero.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input at every layer: a frame the stream cannot recover from gets exactly one error frame
 * (in_reply_to null) and the connection closes; a well-framed message the server cannot use gets
 * one error and the connection stays usable.
 */
class MalformedFrameTest {

  @TempDir static Path dir;
  private static LatZeroServer server;

  @BeforeAll
  static void start() {
    server = TestServers.start(dir, settings -> settings.maxFrameBytes(64 * 1024));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void assertOneErrorThenClose(byte[] bytes, String code) {
    try (RawClient raw = new RawClient(server.port())) {
      raw.sendBytes(bytes);
      ObjectNode error = raw.receive();
      assertThat(error.path("type").asText()).isEqualTo("error");
      assertThat(error.path("error_code").asText()).isEqualTo(code);
      assertThat(error.get("in_reply_to").isNull()).isTrue();
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void lengthPrefixOverMaxFrameGetsOneErrorAndTheConnectionCloses() {
    assertOneErrorThenClose(
        new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, "FRAME_TOO_LARGE");
  }

  @Test
  void httpRequestOnTheProtocolPortIsRefusedFromItsFirstBytes() {
    assertOneErrorThenClose(
        "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII), "FRAME_TOO_LARGE");
  }

  @Test
  void invalidUtf8GetsOneParsingErrorAndTheConnectionCloses() {
    assertOneErrorThenClose(
        RawClient.frame(new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xC3, '"', '}'}),
        "MESSAGE_PARSING_ERROR");
  }

  @Test
  void bodyThatIsNotJsonGetsOneParsingErrorAndTheConnectionCloses() {
    assertOneErrorThenClose(RawClient.frame("{type: handshake"), "MESSAGE_PARSING_ERROR");
  }

  @Test
  void jsonArrayGetsOneParsingErrorAndTheConnectionCloses() {
    assertOneErrorThenClose(RawClient.frame("[{\"type\":\"ping\"}]"), "MESSAGE_PARSING_ERROR");
  }

  @Test
  void objectWithoutTypeGetsOneParsingErrorAndTheConnectionCloses() {
    assertOneErrorThenClose(RawClient.frame("{\"id\":\"x\"}"), "MESSAGE_PARSING_ERROR");
  }

  @Test
  void emptyFrameGetsOneParsingErrorAndTheConnectionCloses() {
    assertOneErrorThenClose(new byte[4], "MESSAGE_PARSING_ERROR");
  }

  @Test
  void unknownTypeGetsAnErrorAndTheConnectionStaysUsable() {
    try (RawClient raw = new RawClient(server.port())) {
      raw.handshake("curious", List.of("default"), List.of());
      ObjectNode odd = RawClient.message("teleport");
      raw.send(odd);

      ObjectNode error = raw.receive();
      assertThat(error.path("error_code").asText()).isEqualTo("UNKNOWN_MESSAGE_TYPE");
      assertThat(error.path("in_reply_to").asText()).isEqualTo(odd.path("id").asText());
      ObjectNode ping = RawClient.message("ping");
      raw.send(ping);
      assertThat(raw.receive().path("in_reply_to").asText()).isEqualTo(ping.path("id").asText());
    }
  }

  @Test
  void requestBeforeTheHandshakeIsRefusedAndTheConnectionStaysUsable() {
    try (RawClient raw = new RawClient(server.port())) {
      ObjectNode ping = RawClient.message("ping");
      raw.send(ping);

      ObjectNode error = raw.receive();
      assertThat(error.path("error_code").asText()).isEqualTo("HANDSHAKE_REQUIRED");
      assertThat(error.path("in_reply_to").asText()).isEqualTo(ping.path("id").asText());
      raw.handshake("late", List.of("default"), List.of());
    }
  }

  @Test
  void failedHandshakeGetsExactlyOneErrorAndMayBeRetried() {
    try (RawClient raw = new RawClient(server.port())) {
      ObjectNode bad = RawClient.message("handshake").put("app_id", "not a valid id!");
      raw.send(bad);
      ObjectNode ping = RawClient.message("ping");
      raw.send(ping);

      ObjectNode first = raw.receive();
      assertThat(first.path("error_code").asText()).isEqualTo("HANDSHAKE_ERROR");
      assertThat(first.path("in_reply_to").asText()).isEqualTo(bad.path("id").asText());
      ObjectNode second = raw.receive();
      assertThat(second.path("error_code").asText()).isEqualTo("HANDSHAKE_REQUIRED");
      raw.handshake("retried", List.of("default"), List.of());
    }
  }

  @Test
  void frameSentOneByteAtATimeIsReassembled() {
    try (RawClient raw = new RawClient(server.port())) {
      ObjectNode hello = RawClient.message("handshake").put("app_id", "trickle");
      byte[] frame = RawClient.frame(hello.toString());
      for (byte b : frame) {
        raw.sendBytes(new byte[] {b});
      }

      assertThat(raw.receive().path("type").asText()).isEqualTo("handshake_ack");
    }
  }

  @Test
  void severalFramesInOneWriteAreEachAnswered() {
    try (RawClient raw = new RawClient(server.port())) {
      raw.handshake("batcher", List.of("default"), List.of());
      ObjectNode a = RawClient.message("ping");
      ObjectNode b = RawClient.message("ping");
      byte[] first = RawClient.frame(a.toString());
      byte[] second = RawClient.frame(b.toString());
      byte[] both = new byte[first.length + second.length];
      System.arraycopy(first, 0, both, 0, first.length);
      System.arraycopy(second, 0, both, first.length, second.length);
      raw.sendBytes(both);

      assertThat(raw.receive().path("in_reply_to").asText()).isEqualTo(a.path("id").asText());
      assertThat(raw.receive().path("in_reply_to").asText()).isEqualTo(b.path("id").asText());
    }
  }

  @Test
  void handlerVanishingMidFrameLeavesTheServerServingOthers() {
    RawClient handler = new RawClient(server.port());
    handler.handshake("half-sent", List.of("default"), List.of("ghost"));
    byte[] frame = RawClient.frame(RawClient.message("ping").toString());
    handler.sendBytes(java.util.Arrays.copyOf(frame, frame.length / 2));
    handler.kill();

    try (RawClient caller = new RawClient(server.port())) {
      caller.handshake("survivor", List.of("default"), List.of());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                ObjectNode call = RawClient.message("trigger").put("trigger", "ghost");
                call.putNull("payload");
                caller.send(call);
                return caller.receive().path("error_code").asText().equals("TRIGGER_ROUTING_ERROR");
              });
    }
  }

  @Test
  void callWithoutPayloadOrWithAnOverlongIdIsAValidationError() {
    try (RawClient raw = new RawClient(server.port())) {
      raw.handshake("sloppy", List.of("default"), List.of());
      ObjectNode noPayload = RawClient.message("trigger").put("trigger", "x");
      raw.send(noPayload);
      ObjectNode longId =
          RawClient.message("trigger").put("trigger", "x").put("id", "i".repeat(129));
      longId.putNull("payload");
      raw.send(longId);

      ObjectNode first = raw.receive();
      assertThat(first.path("error_code").asText()).isEqualTo("VALIDATION_ERROR");
      assertThat(first.path("in_reply_to").asText()).isEqualTo(noPayload.path("id").asText());
      assertThat(raw.receive().path("error_code").asText()).isEqualTo("VALIDATION_ERROR");
    }
  }

  @Test
  void replyToACallThatIsNotPendingGetsUnknownCall() {
    try (RawClient raw = new RawClient(server.port())) {
      raw.handshake("confused", List.of("default"), List.of("t"));
      ObjectNode reply =
          RawClient.message("response").put("in_reply_to", "12345").put("status", "success");
      raw.send(reply);

      ObjectNode error = raw.receive();
      assertThat(error.path("error_code").asText()).isIn("UNKNOWN_CALL", "NOT_RESPONDER");
      assertThat(error.path("in_reply_to").asText()).isEqualTo("12345");
    }
  }

  @Test
  void secondHandshakeWithAnotherAppIdReplacesTheFirstBinding() {
    try (RawClient raw = new RawClient(server.port());
        RawClient caller = new RawClient(server.port())) {
      raw.handshake("first-name", List.of("default"), List.of("old-trigger"));
      raw.handshake("second-name", List.of("default"), List.of("new-trigger"));
      caller.handshake("asker", List.of("default"), List.of());

      ObjectNode toOld = RawClient.message("trigger").put("trigger", "old-trigger");
      toOld.putNull("payload");
      caller.send(toOld);
      assertThat(caller.receive().path("error_code").asText()).isEqualTo("TRIGGER_ROUTING_ERROR");
      ObjectNode toNew = RawClient.message("trigger").put("trigger", "new-trigger");
      toNew.putNull("payload");
      caller.send(toNew);
      assertThat(raw.receive("trigger").path("origin").asText()).isEqualTo("asker");
    }
  }
}
