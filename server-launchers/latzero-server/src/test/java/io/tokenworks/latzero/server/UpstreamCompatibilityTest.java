package io.tokenworks.latzero.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frames upstream's Gen-1 test client ({@code examples/test-client.js}) and README send, as raw
 * bytes: a handler answering in {@code response}, {@code correlation_id}, status {@code ok}, {@code
 * process}/{@code data}, {@code action}, and the memory create whose duplicate key leaves {@code
 * type:"shared"}.
 */
class UpstreamCompatibilityTest {

  @TempDir Path dir;
  private LatZeroServer server;
  private RawClient handler;
  private RawClient caller;

  @BeforeEach
  void start() {
    server = TestServers.start(dir);
    handler = new RawClient(server.port());
    handler.handshake("upstream-handler", List.of("default"), List.of("echo", "tick"));
    caller = new RawClient(server.port());
    caller.handshake("upstream-caller", List.of("default"), List.of());
  }

  @AfterEach
  void stop() {
    handler.close();
    caller.close();
    server.close();
  }

  /** A call as upstream's test client sends it: with origin, ttl, and its own UUID id. */
  private ObjectNode call(String trigger) {
    ObjectNode call =
        RawClient.message("trigger")
            .put("trigger", trigger)
            .put("origin", "upstream-caller")
            .put("pool", "default")
            .put("ttl", 30000);
    call.putObject("payload").put("message", "hello");
    return call;
  }

  @Test
  void handlerAnsweringInTheResponseFieldReachesTheCallerAsResult() {
    ObjectNode call = call("echo");
    caller.send(call);
    ObjectNode dispatched = handler.receive("trigger");
    assertThat(dispatched.path("payload").path("message").asText()).isEqualTo("hello");
    assertThat(dispatched.path("call_id").asText()).isEqualTo(call.path("id").asText());

    ObjectNode answer =
        RawClient.message("response")
            .put("in_reply_to", dispatched.path("id").asText())
            .put("status", "success");
    answer.putObject("response").put("echo", "hello");
    handler.send(answer);

    ObjectNode reply = caller.receive();
    assertThat(reply.path("type").asText()).isEqualTo("response");
    assertThat(reply.path("in_reply_to").asText()).isEqualTo(call.path("id").asText());
    assertThat(reply.path("result").path("echo").asText()).isEqualTo("hello");
  }

  @Test
  void correlationIdAndStatusOkAreAcceptedFromHandlers() {
    caller.send(call("echo"));
    ObjectNode dispatched = handler.receive("trigger");

    ObjectNode answer =
        RawClient.message("response")
            .put("correlation_id", dispatched.path("id").asText())
            .put("status", "ok")
            .put("result", 42);
    handler.send(answer);

    assertThat(caller.receive().path("result").asInt()).isEqualTo(42);
  }

  @Test
  void processAndDataAliasesWorkForCallsAndEmits() {
    ObjectNode call = RawClient.message("trigger").put("process", "echo");
    call.putObject("data").put("via", "alias");
    caller.send(call);
    assertThat(handler.receive("trigger").path("payload").path("via").asText()).isEqualTo("alias");

    ObjectNode emit = RawClient.message("emit").put("process", "tick");
    emit.putObject("data").put("n", 1);
    caller.send(emit);
    ObjectNode heard = handler.receive("emit");
    assertThat(heard.path("trigger").asText()).isEqualTo("tick");
    assertThat(heard.path("origin").asText()).isEqualTo("upstream-caller");
    assertThat(heard.path("payload").path("n").asInt()).isEqualTo(1);
  }

  @Test
  void errorMessageFromTheHandlerFailsTheCallWithHandlerError() {
    ObjectNode call = call("echo");
    caller.send(call);
    ObjectNode dispatched = handler.receive("trigger");

    handler.send(
        RawClient.message("error")
            .put("in_reply_to", dispatched.path("id").asText())
            .put("error", "cannot echo"));

    ObjectNode reply = caller.receive();
    assertThat(reply.path("error_code").asText()).isEqualTo("HANDLER_ERROR");
    assertThat(reply.path("error").asText()).isEqualTo("cannot echo");
    assertThat(reply.path("in_reply_to").asText()).isEqualTo(call.path("id").asText());
  }

  @Test
  void legacyActionFieldNamesTheMessageType() {
    ObjectNode ping = RawClient.JSON.createObjectNode().put("action", "ping");
    ping.put("id", UUID.randomUUID().toString());
    caller.send(ping);

    ObjectNode pong = caller.receive();
    assertThat(pong.path("type").asText()).isEqualTo("pong");
    assertThat(pong.path("in_reply_to").asText()).isEqualTo(ping.path("id").asText());
  }

  @Test
  void memoryCreateSentAsTypeSharedWorksAndBlocksCarryBytesOverTheWire() {
    // The test client's create: {type:"memory", ..., type: blockType} — the second key wins.
    ObjectNode create =
        RawClient.message("shared")
            .put("operation", "create")
            .put("block_id", "greeting")
            .put("size", 64)
            .put("pool", "default");
    create.putObject("permissions").putArray("read").add("*");
    ((ObjectNode) create.get("permissions")).putArray("write").add("*");
    caller.send(create);
    ObjectNode created = caller.receive();
    assertThat(created.path("type").asText()).as("%s", created).isEqualTo("response");
    assertThat(created.path("result").path("block_id").asText()).isEqualTo("default:greeting");

    ObjectNode attach =
        RawClient.message("memory")
            .put("operation", "attach")
            .put("block_id", "default:greeting")
            .put("mode", "write");
    caller.send(attach);
    assertThat(caller.receive().path("result").path("size").asInt()).isEqualTo(64);

    String text = "hello, block";
    caller.send(
        RawClient.message("memory")
            .put("operation", "write")
            .put("block_id", "default:greeting")
            .put("offset", 0)
            .put(
                "data", Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8))));
    assertThat(caller.receive().path("result").path("version").asLong()).isEqualTo(1);

    caller.send(
        RawClient.message("memory")
            .put("operation", "read")
            .put("block_id", "default:greeting")
            .put("offset", 0)
            .put("length", text.length()));
    ObjectNode read = caller.receive();
    assertThat(
            new String(
                Base64.getDecoder().decode(read.path("result").path("data").asText()),
                StandardCharsets.UTF_8))
        .isEqualTo(text);
  }
}
