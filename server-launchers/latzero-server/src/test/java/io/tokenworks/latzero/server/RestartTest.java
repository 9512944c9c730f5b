package io.tokenworks.latzero.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tokenworks.protocol.latzero.client.LatZeroClient;
import io.tokenworks.protocol.latzero.client.LatZeroClientOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What survives a server restart on the same data directory. */
class RestartTest {

  @TempDir Path dir;
  private LatZeroServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  private void restart() {
    server.close();
    server = TestServers.start(dir);
  }

  @Test
  void explicitRehydrationAfterARestartRestoresPoolsAndTriggers() throws Exception {
    server = TestServers.start(dir);
    TestServers.client(
            server,
            "service",
            LatZeroClientOptions.builder().pools("jobs").triggers("work").build())
        .close();
    restart();

    try (LatZeroClient service =
            TestServers.client(
                server, "service", LatZeroClientOptions.builder().rehydrate(true).build());
        LatZeroClient caller =
            TestServers.client(
                server, "caller", LatZeroClientOptions.builder().pools("jobs").build())) {
      assertThat(service.rehydrated()).isTrue();
      assertThat(service.pools()).containsExactly("jobs");
      assertThat(service.triggers()).containsExactly("work");
      service.onTrigger("work", call -> new TextNode("done " + call.payload().asText()));

      JsonNode result =
          caller.call("jobs", "work", new TextNode("job-1")).get(10, TimeUnit.SECONDS);
      assertThat(result.asText()).isEqualTo("done job-1");
    }
  }

  @Test
  void knownAppHandshakingWithoutTriggersIsRehydratedAsUpstreamDid() {
    server = TestServers.start(dir);
    TestServers.client(
            server, "legacy", LatZeroClientOptions.builder().pools("old").triggers("t").build())
        .close();
    restart();

    try (LatZeroClient legacy = TestServers.client(server, "legacy")) {
      assertThat(legacy.rehydrated()).isTrue();
      assertThat(legacy.triggers()).containsExactly("t");
    }
  }

  @Test
  void poolsAndPersistentBlocksSurviveARestart() {
    server = TestServers.start(dir);
    try (LatZeroClient owner = TestServers.client(server, "owner")) {
      owner.createPool("kept", "local");
      owner
          .memory()
          .create("default", "durable", 32, java.util.List.of("*"), java.util.List.of("*"), true);
      owner.memory().attach("default", "durable", true);
      owner.memory().write("default", "durable", 0, "still here".getBytes(StandardCharsets.UTF_8));
    }
    restart();

    try (LatZeroClient owner = TestServers.client(server, "owner")) {
      assertThat(owner.listPools()).extracting(p -> p.path("name").asText()).contains("kept");
      owner.memory().attach("default", "durable", false);
      assertThat(
              new String(
                  owner.memory().read("default", "durable", 0, 10).data(), StandardCharsets.UTF_8))
          .isEqualTo("still here");
      owner.deletePool("kept");
      assertThat(owner.listPools()).extracting(p -> p.path("name").asText()).doesNotContain("kept");
    }
  }

  @Test
  void encryptedPoolKeysStillJoinAfterARestart() {
    server = TestServers.start(dir);
    JsonNode keys;
    try (LatZeroClient owner = TestServers.client(server, "owner")) {
      keys = owner.createPool("sealed", "encrypted").path("keys");
    }
    restart();

    try (LatZeroClient member =
        TestServers.client(
            server,
            "member",
            LatZeroClientOptions.builder()
                .pools("sealed")
                .credentials("sealed", Map.of("sigil_key", keys.path("sigil_key").asText()))
                .build())) {
      assertThat(member.pools()).contains("sealed");
    }
  }
}
