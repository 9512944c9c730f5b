package io.tokenworks.tkn.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.tkn.graph.BoltConfig;
import io.tokenworks.tkn.graph.BoltGraphSink;
import io.tokenworks.tkn.graph.EmbeddedNeo4j;
import io.tokenworks.tkn.graph.GraphWriteException;
import io.tokenworks.tkn.graph.TcpGate;
import io.tokenworks.tkn.graph.TokenBatch;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The database going away and coming back: a TCP gate in front of the real Neo4j refuses or cuts
 * connections, which is what the driver sees when the server is down or the network drops.
 */
class DatabaseOutageTest {

  private static final AtomicInteger TENANTS = new AtomicInteger();

  private EmbeddedNeo4j neo4j;
  private TcpGate gate;
  private BoltGraphSink sink;

  @BeforeEach
  void gateTheDatabase() {
    neo4j = EmbeddedNeo4j.shared();
    gate = new TcpGate(Integer.parseInt(neo4j.boltUri().replaceAll(".*:", "")));
  }

  @AfterEach
  void closeAll() {
    if (sink != null) {
      sink.close();
    }
    gate.close();
  }

  private static PipelineConfig config() {
    return PipelineConfig.defaults()
        .withMaxBatchPairs(10)
        .withMaxBatchDelay(Duration.ofHours(1))
        .withRetryBackoff(Duration.ofMillis(10), Duration.ofMillis(100));
  }

  private static String newTenant() {
    return "outage-tenant-" + TENANTS.incrementAndGet();
  }

  @Test
  void aSinkWhoseDatabaseIsDownOpensButIsNotReadyAndFailsTransiently() throws Exception {
    sink = BoltGraphSink.open(new BoltConfig(gate.boltUri(), "", "", ""));

    assertThat(sink.ready()).isFalse();
    assertThat(sink.describe()).contains("not connected yet");
    GraphFixture stream = new GraphFixture(2, 3);
    TokenBatch batch =
        new TokenBatch(newTenant(), "s", stream.symbols, 0, new int[][] {{0}, {0}}, false);
    assertThatThrownBy(() -> sink.write(batch))
        .isInstanceOfSatisfying(
            GraphWriteException.class, e -> assertThat(e.transientFailure()).isTrue());

    gate.open();
    assertThat(sink.ready()).isTrue();
  }

  @Test
  void thePipelineRetriesWhileTheDatabaseIsDownAndWritesEverythingWhenItReturns() throws Exception {
    sink = BoltGraphSink.open(new BoltConfig(gate.boltUri(), "", "", ""));
    String tenant = newTenant();
    GraphFixture stream = new GraphFixture(50, 4);
    RecordingListener listener = new RecordingListener();
    try (TokenPipelines pipelines = new TokenPipelines(sink, config())) {
      TokenPipeline pipeline = pipelines.open(tenant, "s", stream.symbols, listener);
      stream.feed(pipeline, 0, 50);
      CompletableFuture<Void> flushed = pipeline.flush();

      Eventually.await("three retries", () -> listener.retries.size() >= 3);
      assertThat(flushed).isNotDone();
      assertThat(pipeline.pendingTokens()).isEqualTo(50);

      gate.open();
      flushed.get(60, TimeUnit.SECONDS);
    }
    assertThat(listener.failures).isEmpty();
    stream.assertPath(neo4j, tenant, "s");
  }

  @Test
  void connectionsCutMidSessionAreRetriedWithoutLossOrDuplicates() throws Exception {
    gate.open();
    sink = BoltGraphSink.open(new BoltConfig(gate.boltUri(), "", "", ""));
    String tenant = newTenant();
    GraphFixture stream = new GraphFixture(60, 5);
    RecordingListener listener = new RecordingListener();
    try (TokenPipelines pipelines = new TokenPipelines(sink, config())) {
      TokenPipeline pipeline = pipelines.open(tenant, "s", stream.symbols, listener);
      stream.feed(pipeline, 0, 30);
      pipeline.flush().get(60, TimeUnit.SECONDS);

      gate.shut();
      stream.feed(pipeline, 30, 60);
      CompletableFuture<Void> flushed = pipeline.flush();
      Eventually.await("a retry", () -> !listener.retries.isEmpty());
      gate.open();
      flushed.get(60, TimeUnit.SECONDS);
    }
    stream.assertPath(neo4j, tenant, "s");
  }
}
