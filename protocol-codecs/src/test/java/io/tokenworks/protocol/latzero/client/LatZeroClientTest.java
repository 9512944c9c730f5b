package io.tokenworks.protocol.latzero.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a scripted peer: correlation, handlers, and every way a request fails. */
class LatZeroClientTest {

  private FakeLatZeroServer server;
  private LatZeroClient client;

  @BeforeEach
  void start() throws Exception {
    server = new FakeLatZeroServer();
  }

  /** The peer closes first, as the real server does on the client's EOF, so close is quick. */
  @AfterEach
  void stop() throws Exception {
    server.close();
    if (client != null) {
      client.close();
    }
  }

  private CompletableFuture<LatZeroClient> connect(LatZeroClientOptions options) {
    return CompletableFuture.supplyAsync(
        () -> LatZeroClient.connect("latzero://app@127.0.0.1:" + server.port(), options));
  }

  private LatZeroClient connected(String... triggers) throws Exception {
    CompletableFuture<LatZeroClient> connecting =
        connect(LatZeroClientOptions.builder().triggers(triggers).build());
    server.acceptHandshake(triggers);
    client = connecting.get(10, TimeUnit.SECONDS);
    return client;
  }

  private static LatZeroClientException failure(CompletableFuture<?> future) {
    try {
      future.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (LatZeroClientException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("succeeded");
  }

  @Test
  void handshakeCarriesTheOptionsAndTheAckSetsPoolsAndTriggers() throws Exception {
    CompletableFuture<LatZeroClient> connecting =
        connect(
            LatZeroClientOptions.builder()
                .pools("default")
                .triggers("echo")
                .rehydrate(true)
                .credentials("vault", java.util.Map.of("sigil_key", "ab".repeat(32)))
                .build());
    ObjectNode hello = server.acceptHandshake("echo");
    client = connecting.get(10, TimeUnit.SECONDS);

    assertThat(hello.path("app_id").asText()).isEqualTo("app");
    assertThat(hello.path("rehydrate").asBoolean()).isTrue();
    assertThat(hello.path("credentials").path("vault").path("sigil_key").asText()).hasSize(64);
    assertThat(client.triggers()).containsExactly("echo");
    assertThat(client.pools()).containsExactly("default");
  }

  @Test
  void refusedHandshakeThrowsTheServersCode() throws Exception {
    CompletableFuture<LatZeroClient> connecting = connect(LatZeroClientOptions.defaults());
    server.accept();
    ObjectNode hello = server.read();
    server.write(
        FakeLatZeroServer.message("error")
            .put("in_reply_to", hello.path("id").asText())
            .put("status", "error")
            .put("error", "bad app id")
            .put("error_code", "HANDSHAKE_ERROR"));

    assertThat(failure(connecting).code()).isEqualTo("HANDSHAKE_ERROR");
  }

  @Test
  void unansweredHandshakeTimesOut() throws Exception {
    CompletableFuture<LatZeroClient> connecting =
        connect(LatZeroClientOptions.builder().requestTimeout(Duration.ofMillis(200)).build());
    server.accept();

    assertThat(failure(connecting).code()).isEqualTo(LatZeroClientException.CLIENT_TIMEOUT);
  }

  @Test
  void unreachableServerIsConnectionClosed() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }

    assertThatThrownBy(() -> LatZeroClient.connect("latzero://app@127.0.0.1:" + port))
        .isInstanceOfSatisfying(
            LatZeroClientException.class,
            e -> assertThat(e.code()).isEqualTo(LatZeroClientException.CONNECTION_CLOSED));
  }

  @Test
  void malformedUrisAndOptionsAreRefused() {
    assertThatThrownBy(() -> LatZeroClient.connect("tcp://app"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("latzero://");
    assertThatThrownBy(() -> LatZeroClient.connect("latzero://app@host:port"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LatZeroClientOptions.builder().maxOutstanding(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxOutstanding=0 must be >= 1");
  }

  @Test
  void answersAreMatchedByInReplyToWhateverTheirOrder() throws Exception {
    connected();
    CompletableFuture<JsonNode> first = client.call("default", "t", new TextNode("1"));
    CompletableFuture<JsonNode> second = client.call("default", "t", new TextNode("2"));
    ObjectNode call1 = server.read();
    ObjectNode call2 = server.read();
    server.write(
        FakeLatZeroServer.message("response")
            .put("correlation_id", call2.path("id").asText())
            .put("status", "success")
            .put("result", "two"));
    server.write(
        FakeLatZeroServer.message("response")
            .put("in_reply_to", call1.path("id").asText())
            .put("status", "success")
            .put("response", "one"));

    assertThat(first.get(10, TimeUnit.SECONDS).asText()).isEqualTo("one");
    assertThat(second.get(10, TimeUnit.SECONDS).asText()).isEqualTo("two");
    assertThat(call1.path("trigger").asText()).isEqualTo("t");
  }

  @Test
  void handlerResultsAndFailuresAnswerTheDispatchId() throws Exception {
    connected("ok", "boom", "unset");
    client.onTrigger("ok", call -> new TextNode("fine " + call.payload().asText()));
    client.onTrigger(
        "boom",
        call -> {
          throw new IllegalStateException("exploded");
        });

    for (String trigger : new String[] {"ok", "boom", "unset"}) {
      ObjectNode dispatch =
          FakeLatZeroServer.message("trigger")
              .put("id", "77")
              .put("call_id", "c")
              .put("origin", "other")
              .put("pool", "default")
              .put("trigger", trigger)
              .put("payload", "x")
              .put("ttl", 1000);
      server.write(dispatch);
    }
    ObjectNode ok = server.read();
    ObjectNode boom = server.read();
    ObjectNode unset = server.read();

    assertThat(ok.path("in_reply_to").asText()).isEqualTo("77");
    assertThat(ok.path("status").asText()).isEqualTo("success");
    assertThat(ok.path("result").asText()).isEqualTo("fine x");
    assertThat(boom.path("status").asText()).isEqualTo("error");
    assertThat(boom.path("error").asText()).isEqualTo("exploded");
    assertThat(unset.path("status").asText()).isEqualTo("error");
    assertThat(unset.path("error").asText()).contains("no handler");
  }

  @Test
  void connectionLevelErrorIsTheReasonPendingRequestsFail() throws Exception {
    connected();
    CompletableFuture<JsonNode> call = client.call("default", "t", new TextNode("x"));
    server.read();
    ObjectNode shutdown =
        FakeLatZeroServer.message("error")
            .put("status", "error")
            .put("error", "the fabric is shutting down")
            .put("error_code", "SERVICE_UNAVAILABLE");
    shutdown.putNull("in_reply_to");
    server.write(shutdown);
    server.dropConnection();

    assertThat(failure(call).code()).isEqualTo("SERVICE_UNAVAILABLE");
    assertThat(failure(client.call("default", "t", new TextNode("y"))).code())
        .isEqualTo("SERVICE_UNAVAILABLE");
  }

  @Test
  void droppedConnectionFailsPendingRequestsWithConnectionClosed() throws Exception {
    connected();
    CompletableFuture<JsonNode> call = client.call("default", "t", new TextNode("x"));
    server.read();
    server.dropConnection();

    assertThat(failure(call).code()).isEqualTo(LatZeroClientException.CONNECTION_CLOSED);
  }

  @Test
  void invalidFrameFromTheServerIsAProtocolError() throws Exception {
    connected();
    CompletableFuture<JsonNode> call = client.call("default", "t", new TextNode("x"));
    server.read();
    server.writeBody("{not json".getBytes(StandardCharsets.UTF_8));

    assertThat(failure(call).code()).isEqualTo(LatZeroClientException.PROTOCOL_ERROR);
  }

  @Test
  void errorAnswerFailsTheRequestWithItsCode() throws Exception {
    connected();
    CompletableFuture<JsonNode> call = client.call("default", "t", new TextNode("x"));
    ObjectNode sent = server.read();
    server.write(
        FakeLatZeroServer.message("error")
            .put("in_reply_to", sent.path("id").asText())
            .put("status", "error")
            .put("error", "Request timeout")
            .put("error_code", "TIMEOUT"));

    LatZeroClientException error = failure(call);
    assertThat(error.code()).isEqualTo("TIMEOUT");
    assertThat(error.getMessage()).isEqualTo("Request timeout");
  }

  @Test
  void requestsAfterCloseFailAtOnce() throws Exception {
    connected();
    server.dropConnection();
    client.close();

    assertThat(failure(client.call("default", "t", new TextNode("x"))).code())
        .isEqualTo(LatZeroClientException.CONNECTION_CLOSED);
  }
}
