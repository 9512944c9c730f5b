package io.tokenworks.tkn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.protocol.tkn.TknClient;
import io.tokenworks.protocol.tkn.TknClientBatch;
import io.tokenworks.protocol.tkn.TknClientException;
import io.tokenworks.protocol.tkn.TknErrorCode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Values;

/** Stopping the server mines each session's last window and writes everything before it exits. */
class TknServerShutdownTest {

  @Test
  void shutdownDrainsOpenSessionsIntoTheGraph(@TempDir Path data) throws Exception {
    String text = "abcabcabcabcabc the end";
    Map<String, Object> settings = Map.of("graph", "embedded", "batch-delay", "10s");
    TknServer server = Servers.start(data, settings);
    String session;
    TknClient client =
        TknClient.connect("127.0.0.1", server.port(), TknClient.Hello.tenant("stop"));
    try {
      session = client.sessionId();
      TknClientBatch batch = client.batch();
      text.chars().forEach(c -> batch.addString(String.valueOf((char) c)));
      batch.send();
      client.awaitAcks(); // mined, but queued for the graph behind a 10 s batch delay
      server.close();
      assertThatThrownBy(() -> client.sendString("late"))
          .isInstanceOfSatisfying(
              TknClientException.class,
              e -> assertThat(e.errorCode()).isEqualTo(TknErrorCode.SHUTTING_DOWN));
    } finally {
      client.close();
    }

    TknServer restarted = Servers.start(data, settings);
    try (Driver driver = GraphDatabase.driver(restarted.graphUri(), AuthTokens.none());
        var db = driver.session()) {
      long pairs =
          db.run(
                  "MATCH (:Tkn {tenant: 'stop'})-[d:D1 {session: $session}]->(:Tkn)"
                      + " RETURN count(d) AS n",
                  Values.parameters("session", session))
              .single()
              .get("n")
              .asLong();
      assertThat(pairs).isEqualTo(Servers.expectedTokens(text).size() - 1);
    } finally {
      restarted.close();
    }
  }
}
