package io.tokenworks.latzero.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the server through every message type it sends and checks each frame, and each operation's
 * result, against {@code latzero-protocol.schema.json} ({@link RawClient} checks every frame it
 * receives against {@code serverMessage}).
 */
class ProtocolSchemaTest {

  @TempDir Path dir;

  private static ObjectNode memory(String operation) {
    return RawClient.message("memory").put("operation", operation).put("block_id", "default:doc");
  }

  private static void assertResult(ObjectNode response, String definition) {
    assertThat(response.path("type").asText()).as("%s", response).isEqualTo("response");
    JsonNode result = response.get("result");
    assertThat(SchemaValidator.protocol().validate(result, "#/definitions/results/" + definition))
        .as("%s as %s", result, definition)
        .isEmpty();
  }

  @Test
  void everyServerMessageTypeMatchesTheSchema() {
    Set<String> seen = new TreeSet<>();
    try (LatZeroServer server = TestServers.start(dir);
        RawClient handler = new RawClient(server.port());
        RawClient caller = new RawClient(server.port())) {
      seen.add(
          handler.handshake("handler", List.of("default"), List.of("work")).path("type").asText());
      caller.handshake("caller", List.of("default"), List.of());

      ObjectNode call = RawClient.message("trigger").put("trigger", "work");
      call.putObject("payload").put("n", 1);
      caller.send(call);
      ObjectNode dispatched = handler.receive("trigger");
      seen.add(dispatched.path("type").asText());
      handler.send(
          RawClient.message("response")
              .put("in_reply_to", dispatched.path("id").asText())
              .put("status", "success")
              .put("result", "ok"));
      seen.add(caller.receive("response").path("type").asText());

      ObjectNode emit = RawClient.message("emit").put("trigger", "work");
      emit.putArray("payload").add(1).add("two");
      caller.send(emit);
      seen.add(handler.receive("emit").path("type").asText());

      caller.send(RawClient.message("ping"));
      seen.add(caller.receive("pong").path("type").asText());
      caller.send(RawClient.message("teleport"));
      seen.add(caller.receive("error").path("type").asText());

      caller.send(memory("create").put("size", 8));
      assertResult(caller.receive("response"), "blockCreated");
      caller.send(memory("attach").put("mode", "write"));
      assertResult(caller.receive("response"), "blockAttached");
      handler.send(memory("attach"));
      handler.receive("response");
      handler.send(memory("subscribe"));
      handler.receive("response");
      caller.send(memory("write").put("data", Base64.getEncoder().encodeToString(new byte[] {7})));
      assertResult(caller.receive("response"), "blockWritten");
      seen.add(handler.receive("memory_update").path("type").asText());
      caller.send(memory("notify").put("payload", "hey"));
      caller.receive("response");
      seen.add(handler.receive("memory_notify").path("type").asText());
      caller.send(memory("read").put("offset", 0).put("length", 8));
      assertResult(caller.receive("response"), "blockRead");
      caller.send(memory("lock"));
      assertResult(caller.receive("response"), "blockLocked");
      caller.send(memory("inspect"));
      assertResult(caller.receive("response"), "blockView");
      caller.send(RawClient.message("memory").put("operation", "list").put("pool", "default"));
      assertResult(caller.receive("response"), "blockList");

      caller.send(RawClient.message("admin").put("operation", "list_pools"));
      assertResult(caller.receive("response"), "listPools");
      ObjectNode create = RawClient.message("admin").put("operation", "create_pool");
      create.putObject("params").put("name", "fresh").put("type", "local");
      caller.send(create);
      assertResult(caller.receive("response"), "poolView");
    }

    assertThat(seen)
        .containsExactlyInAnyOrder(
            "handshake_ack",
            "trigger",
            "response",
            "emit",
            "pong",
            "error",
            "memory_update",
            "memory_notify");
  }

  @Test
  void schemaRejectsAFrameThatIsNotCanonical() {
    ObjectNode stray = RawClient.message("pong");
    stray.putNull("in_reply_to");
    stray.put("extra", 1);
    ObjectNode noCode = RawClient.message("error").put("status", "error").put("error", "x");
    noCode.putNull("in_reply_to");

    assertThat(SchemaValidator.protocol().validate(stray, "#/definitions/serverMessage"))
        .isNotEmpty();
    assertThat(SchemaValidator.protocol().validate(noCode, "#/definitions/serverMessage"))
        .isNotEmpty();
  }

  @Test
  void upstreamStyleClientMessagesMatchTheClientSchema() {
    ObjectNode hello = RawClient.message("handshake").put("app_id", "node-app");
    hello.putArray("pools").add("default");
    hello.putArray("triggers").add("echo");
    hello.putObject("metadata");
    ObjectNode call =
        RawClient.message("trigger").put("trigger", "echo").put("origin", "x").put("ttl", 30000);
    call.putObject("payload");

    assertThat(SchemaValidator.protocol().validate(hello, "#/definitions/clientMessage")).isEmpty();
    assertThat(SchemaValidator.protocol().validate(call, "#/definitions/clientMessage")).isEmpty();
  }
}
