package io.tokenworks.tkn.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.protocol.tkn.TknClient;
import io.tokenworks.protocol.tkn.TknClientBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Record;
import org.neo4j.driver.Values;

/**
 * The whole path into the embedded Neo4j: frames in, tokens mined, written through Bolt, read back
 * with Cypher exactly as our miner emits them, with small queues so backpressure really happens.
 */
class TknServerGraphTest {

  @TempDir static Path data;
  private static TknServer server;
  private static Driver driver;

  @BeforeAll
  static void start() {
    server =
        Servers.start(
            data,
            Map.of(
                "graph",
                "embedded",
                "queue-tokens",
                256,
                "batch-pairs",
                64,
                "batch-delay",
                "20ms"));
    driver = GraphDatabase.driver(server.graphUri(), AuthTokens.none());
  }

  @AfterAll
  static void stop() {
    driver.close();
    server.close();
  }

  @Test
  void minedTokensAreReadableWithCypherInOrder() throws Exception {
    String text = "the cat the cat the cat";
    String session;
    try (TknClient client =
        TknClient.connect("127.0.0.1", server.port(), TknClient.Hello.tenant("cats"))) {
      session = client.sessionId();
      TknClientBatch batch = client.batch();
      text.chars().forEach(c -> batch.addString(String.valueOf((char) c)));
      batch.send();
      assertThat(client.flush()).isEqualTo(Servers.expectedTokens(text).size());
    }
    assertThat(tokensOf("cats", session)).isEqualTo(Servers.expectedTokens(text));
    assertThat(healthStatus()).isEqualTo(200);
  }

  @Test
  void closingTheConnectionMinesAndStoresTheLastWindow() throws Exception {
    String text = "abababab";
    String session;
    try (TknClient client =
        TknClient.connect("127.0.0.1", server.port(), TknClient.Hello.tenant("close"))) {
      session = client.sessionId();
      client
          .batch()
          .addString("a")
          .addString("b")
          .addString("a")
          .addString("b")
          .addString("a")
          .addString("b")
          .addString("a")
          .addString("b")
          .send();
      client.awaitAcks();
    }
    List<String> expected = Servers.expectedTokens(text);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (tokensOf("close", session).size() < expected.size() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(tokensOf("close", session)).isEqualTo(expected);
  }

  @Test
  void sustainedLoadThroughSmallQueuesLosesNothing() throws Exception {
    StringBuilder text = new StringBuilder();
    java.util.Random random = new java.util.Random(42);
    String[] words = {"the ", "cat ", "sat ", "on ", "a ", "mat ", "and ", "then ", "ran "};
    while (text.length() < 10_000) {
      text.append(words[random.nextInt(words.length)]);
    }
    String session;
    try (TknClient client =
        TknClient.connect(
            "127.0.0.1",
            server.port(),
            TknClient.Hello.tenant("load"),
            Duration.ofSeconds(5),
            Duration.ofSeconds(120))) {
      session = client.sessionId();
      for (int start = 0; start < text.length(); start += 500) {
        TknClientBatch batch = client.batch();
        text.substring(start, Math.min(text.length(), start + 500))
            .chars()
            .forEach(c -> batch.addString(String.valueOf((char) c)));
        batch.send();
      }
      client.flush();
    }
    assertThat(tokensOf("load", session)).isEqualTo(Servers.expectedTokens(text.toString()));
    assertThat(Servers.metric(server, "tkn_backpressure_pauses_total")).isPositive();
  }

  @Test
  void tenantsAreAPropertyNotALabel() {
    try (var session = driver.session()) {
      List<String> labels =
          session.run("CALL db.labels() YIELD label RETURN label").list(r -> r.get(0).asString());
      assertThat(labels).doesNotContain("cats", "load", "close").contains("Tkn");
    }
  }

  private static int healthStatus() throws Exception {
    return Servers.get(server, "/health").statusCode();
  }

  /** The session's tokens in order, each decoded through HAS_VALUE to its symbols' text. */
  private static List<String> tokensOf(String tenant, String session) {
    try (var db = driver.session()) {
      Map<String, String> decoded = new HashMap<>();
      for (Record r :
          db.run(
                  "MATCH (t:Tkn {tenant: $tenant})-[h:HAS_VALUE]->(v:ValueDictionary)"
                      + " WITH t, v ORDER BY h.order"
                      + " RETURN t.value AS key, collect(v.value) AS symbols",
                  Values.parameters("tenant", tenant))
              .list()) {
        decoded.put(
            r.get("key").asString(), String.join("", r.get("symbols").asList(v -> v.asString())));
      }
      List<Record> edges =
          db.run(
                  "MATCH (a:Tkn {tenant: $tenant})-[d:D1 {session: $session}]->(b:Tkn)"
                      + " RETURN d.idx AS idx, a.value AS a, b.value AS b ORDER BY idx",
                  Values.parameters("tenant", tenant, "session", session))
              .list();
      List<String> tokens = new ArrayList<>();
      for (Record edge : edges) {
        tokens.add(decoded.get(edge.get("a").asString()));
      }
      if (!edges.isEmpty()) {
        tokens.add(decoded.get(edges.get(edges.size() - 1).get("b").asString()));
      }
      return tokens;
    }
  }
}
