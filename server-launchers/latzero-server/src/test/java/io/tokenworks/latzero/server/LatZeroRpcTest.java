package io.tokenworks.latzero.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tokenworks.protocol.latzero.client.Emitted;
import io.tokenworks.protocol.latzero.client.LatZeroClient;
import io.tokenworks.protocol.latzero.client.LatZeroClientException;
import io.tokenworks.protocol.latzero.client.LatZeroClientOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatZeroRpcTest {

  @TempDir Path dir;
  private LatZeroServer server;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void start() {
    server = TestServers.start(dir);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
    server.close();
  }

  private LatZeroClient client(String appId, LatZeroClientOptions options) {
    LatZeroClient client = TestServers.client(server, appId, options);
    closeables.add(client);
    return client;
  }

  private RawClient raw() {
    RawClient raw = new RawClient(server.port());
    closeables.add(raw);
    return raw;
  }

  private static LatZeroClientException failure(CompletableFuture<JsonNode> call) {
    try {
      call.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (LatZeroClientException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError("the call did not fail in time", e);
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  void callReachesTheHandlerAppAndItsResultReachesTheCaller() throws Exception {
    List<String> origins = new CopyOnWriteArrayList<>();
    client(
        "echo-app",
        LatZeroClientOptions.builder()
            .trigger(
                "echo",
                call -> {
                  origins.add(call.origin());
                  return RawClient.JSON.createObjectNode().set("echoed", call.payload());
                })
            .build());
    LatZeroClient caller = client("caller", LatZeroClientOptions.defaults());

    JsonNode result = caller.call("default", "echo", new TextNode("hi")).get(10, TimeUnit.SECONDS);

    assertThat(result.path("echoed").asText()).isEqualTo("hi");
    assertThat(origins).containsExactly("caller");
  }

  @Test
  void callsAlternateBetweenTheHandlersOfOneTrigger() throws Exception {
    for (String app : List.of("worker-a", "worker-b")) {
      client(
          app, LatZeroClientOptions.builder().trigger("work", call -> new TextNode(app)).build());
    }
    LatZeroClient caller = client("caller", LatZeroClientOptions.defaults());

    List<String> servedBy = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      servedBy.add(
          caller.call("default", "work", IntNode.valueOf(i)).get(10, TimeUnit.SECONDS).asText());
    }

    assertThat(servedBy).containsOnly("worker-a", "worker-b");
    assertThat(servedBy.get(0)).isNotEqualTo(servedBy.get(1));
    assertThat(servedBy.get(1)).isNotEqualTo(servedBy.get(2));
    assertThat(servedBy.get(2)).isNotEqualTo(servedBy.get(3));
  }

  @Test
  void emitReachesEveryHandlerInItsPoolAndNoneOutside() {
    List<String> heard = new CopyOnWriteArrayList<>();
    for (String[] app : new String[][] {{"a", "p1"}, {"b", "p1"}, {"c", "p2"}}) {
      LatZeroClient listener =
          client(app[0], LatZeroClientOptions.builder().pools(app[1]).triggers("tick").build());
      listener.onEmit(
          "tick", (Emitted event) -> heard.add(app[0] + ":" + event.payload().asText()));
    }
    LatZeroClient emitter1 = client("emitter1", LatZeroClientOptions.builder().pools("p1").build());
    LatZeroClient emitter2 = client("emitter2", LatZeroClientOptions.builder().pools("p2").build());

    emitter1.emit("p1", "tick", new TextNode("one"));
    emitter2.emit("p2", "tick", new TextNode("two"));

    await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() >= 3);
    assertThat(heard).containsExactlyInAnyOrder("a:one", "b:one", "c:two");
  }

  @Test
  void emitInAPoolTheAppIsNotInIsRefused() {
    LatZeroClient emitter = client("emitter", LatZeroClientOptions.defaults());
    List<LatZeroClientException> errors = new CopyOnWriteArrayList<>();
    emitter.onServerError(errors::add);

    emitter.emit("elsewhere", "tick", new TextNode("x"));

    await().atMost(Duration.ofSeconds(10)).until(() -> !errors.isEmpty());
    assertThat(errors.get(0).code()).isIn("NOT_MEMBER", "POOL_NOT_FOUND");
  }

  @Test
  void handlerThatVanishesMidCallFailsTheCallerAtOnceWithHandlerGone() {
    RawClient handler = raw();
    handler.handshake("fragile", List.of("default"), List.of("slow"));
    LatZeroClient caller = client("caller", LatZeroClientOptions.defaults());

    CompletableFuture<JsonNode> call =
        caller.call("default", "slow", new TextNode("x"), null, Duration.ofMinutes(5));
    assertThat(handler.receive("trigger").path("call_id").asText()).isNotEmpty();
    handler.kill();

    assertThat(failure(call).code()).isEqualTo("HANDLER_GONE");
  }

  @Test
  void callPastItsDeadlineFailsWithTimeout() {
    RawClient handler = raw();
    handler.handshake("sleepy", List.of("default"), List.of("nap"));
    LatZeroClient caller = client("caller", LatZeroClientOptions.defaults());

    CompletableFuture<JsonNode> call =
        caller.call("default", "nap", new TextNode("x"), Duration.ofMillis(50));

    assertThat(failure(call).code()).isEqualTo("TIMEOUT");
  }

  @Test
  void handlerExceptionReachesTheCallerAsHandlerError() {
    client(
        "grumpy",
        LatZeroClientOptions.builder()
            .trigger(
                "fail",
                call -> {
                  throw new IllegalStateException("not today");
                })
            .build());
    LatZeroClient caller = client("caller", LatZeroClientOptions.defaults());

    LatZeroClientException error = failure(caller.call("default", "fail", new TextNode("x")));

    assertThat(error.code()).isEqualTo("HANDLER_ERROR");
    assertThat(error.getMessage()).contains("not today");
  }

  @Test
  void callsBeyondTheSessionLimitAreOverloaded() {
    server.close();
    server = TestServers.start(dir, settings -> settings.maxOutstandingCalls(4));
    RawClient handler = raw();
    handler.handshake("sink", List.of("default"), List.of("hold"));
    LatZeroClient caller = client("caller", LatZeroClientOptions.defaults());

    List<CompletableFuture<JsonNode>> held = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      held.add(caller.call("default", "hold", IntNode.valueOf(i)));
    }
    for (int i = 0; i < 4; i++) {
      handler.receive("trigger");
    }

    assertThat(failure(caller.call("default", "hold", IntNode.valueOf(5))).code())
        .isEqualTo("OVERLOADED");
    assertThat(held).noneMatch(CompletableFuture::isDone);
  }

  @Test
  void clientOutstandingLimitRefusesWithoutSending() {
    RawClient handler = raw();
    handler.handshake("sink", List.of("default"), List.of("hold"));
    LatZeroClient caller =
        client("caller", LatZeroClientOptions.builder().maxOutstanding(1).build());

    CompletableFuture<JsonNode> first = caller.call("default", "hold", IntNode.valueOf(1));
    handler.receive("trigger");
    LatZeroClientException refused = failure(caller.call("default", "hold", IntNode.valueOf(2)));

    assertThat(refused.code()).isEqualTo(LatZeroClientException.OVERLOADED);
    assertThat(refused.getMessage()).contains("maxOutstanding=1");
    assertThat(handler.silentFor(200)).isTrue();
    assertThat(first).isNotDone();
  }

  @Test
  void manyPipelinedCallsOnOneConnectionEachGetTheirOwnResult() throws Exception {
    client(
        "doubler",
        LatZeroClientOptions.builder()
            .trigger("double", call -> IntNode.valueOf(call.payload().asInt() * 2))
            .build());
    LatZeroClient caller = client("caller", LatZeroClientOptions.defaults());

    List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      calls.add(caller.call("default", "double", IntNode.valueOf(i)));
      if (calls.size() % 1_000 == 0) {
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
      }
    }

    for (int i = 0; i < calls.size(); i++) {
      assertThat(calls.get(i).get(10, TimeUnit.SECONDS).asInt()).isEqualTo(2 * i);
    }
  }

  @Test
  void appMayCallItsOwnTrigger() throws Exception {
    LatZeroClient self =
        client(
            "narcissus",
            LatZeroClientOptions.builder().trigger("mirror", c -> c.payload()).build());

    assertThat(
            self.call("default", "mirror", new TextNode("me")).get(10, TimeUnit.SECONDS).asText())
        .isEqualTo("me");
  }

  @Test
  void callToATriggerNobodyHandlesIsARoutingError() {
    LatZeroClient caller = client("caller", LatZeroClientOptions.defaults());

    assertThat(failure(caller.call("default", "nobody", new TextNode("x"))).code())
        .isEqualTo("TRIGGER_ROUTING_ERROR");
  }

  @Test
  void callToANamedDestinationGoesOnlyThere() throws Exception {
    for (String app : List.of("left", "right")) {
      client(app, LatZeroClientOptions.builder().trigger("who", call -> new TextNode(app)).build());
    }
    LatZeroClient caller = client("caller", LatZeroClientOptions.defaults());

    for (int i = 0; i < 3; i++) {
      assertThat(
              caller
                  .call("default", "who", new TextNode("x"), "right", null)
                  .get(10, TimeUnit.SECONDS)
                  .asText())
          .isEqualTo("right");
    }
  }

  @Test
  void handlerThatDoesNotReadGetsNoMoreCallsOnceItsQueueIsFull() {
    server.close();
    server = TestServers.start(dir, settings -> settings.outboundQueueBytes(4096));
    RawClient handler = raw();
    handler.handshake("deaf", List.of("default"), List.of("big"));
    LatZeroClient caller = client("caller", LatZeroClientOptions.defaults());
    ObjectNode payload = RawClient.JSON.createObjectNode().put("blob", "x".repeat(256 * 1024));

    LatZeroClientException refused = null;
    for (int i = 0; i < 400 && refused == null; i++) {
      CompletableFuture<JsonNode> call = caller.call("default", "big", payload);
      try {
        call.get(50, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        refused = (LatZeroClientException) e.getCause();
      } catch (Exception e) {
        // Still pending: the frame is queued for the handler.
      }
    }

    assertThat(refused).isNotNull();
    assertThat(refused.code()).isEqualTo("OVERLOADED");
  }

  @Test
  void callerThatDoesNotReadItsResultsIsClosedWithServerBusy() {
    server.close();
    server =
        TestServers.start(
            dir,
            settings ->
                settings
                    .outboundQueueBytes(4096)
                    .metricsPort(LatZeroServerConfig.EPHEMERAL_METRICS_PORT));
    String big = "y".repeat(256 * 1024);
    client(
        "bigmouth", LatZeroClientOptions.builder().trigger("talk", c -> new TextNode(big)).build());
    RawClient caller = raw();
    caller.handshake("deaf-caller", List.of("default"), List.of());

    for (int i = 0; i < 60; i++) {
      ObjectNode call = RawClient.message("trigger").put("trigger", "talk");
      call.putNull("payload");
      caller.send(call);
    }
    // Reading before the server gives up would drain its queue and keep the connection alive.
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                http.send(
                        HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body()
                    .contains("latzero_errors_total{code=\"SERVER_BUSY\"} 1"));

    ObjectNode busy =
        caller.receiveMatching(m -> m.path("error_code").asText().equals("SERVER_BUSY"));
    assertThat(busy.get("in_reply_to").isNull()).isTrue();
    assertThat(caller.closedByServer()).isTrue();
  }

  @Test
  void newerConnectionWithTheSameAppIdTakesOverAndTheOlderIsToldWhy() throws Exception {
    LatZeroClient older = client("twin", LatZeroClientOptions.defaults());
    List<LatZeroClientException> told = new CopyOnWriteArrayList<>();
    older.onServerError(told::add);

    LatZeroClient newer = client("twin", LatZeroClientOptions.defaults());

    await().atMost(Duration.ofSeconds(10)).until(() -> !told.isEmpty());
    assertThat(told.get(0).code()).isEqualTo("SESSION_REPLACED");
    assertThat(failure(older.ping()).code()).isEqualTo("SESSION_REPLACED");
    assertThat(newer.ping().get(10, TimeUnit.SECONDS).path("type").asText()).isEqualTo("pong");
  }

  @Test
  void portInUseOrDataDirectoryInUseIsAStartupErrorOfOneLine() {
    assertThatThrownBy(() -> TestServers.start(dir.resolve("other"), s -> s.port(server.port())))
        .isInstanceOf(io.tokenworks.server.kit.ServerStartException.class)
        .hasMessageContaining("cannot listen on 127.0.0.1:" + server.port());
    assertThatThrownBy(() -> TestServers.start(dir))
        .isInstanceOf(io.tokenworks.server.kit.ServerStartException.class)
        .hasMessageStartingWith("latzero: cannot open data-dir=");
  }

  @Test
  void unknownTriggerNameOnTheClientIsRefusedLocally() {
    LatZeroClient client = client("plain", LatZeroClientOptions.defaults());

    assertThatThrownBy(() -> client.onTrigger("never-registered", c -> c.payload()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not registered");
  }
}
