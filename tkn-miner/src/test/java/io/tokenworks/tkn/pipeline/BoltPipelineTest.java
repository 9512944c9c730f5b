package io.tokenworks.tkn.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.tkn.graph.BoltGraphSink;
import io.tokenworks.tkn.graph.EmbeddedNeo4j;
import io.tokenworks.tkn.graph.GraphSink;
import io.tokenworks.tkn.graph.GraphWriteException;
import io.tokenworks.tkn.graph.TokenBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pipeline in front of the real Bolt sink and a real Neo4j. */
class BoltPipelineTest {

  private static final AtomicInteger TENANTS = new AtomicInteger();
  private static EmbeddedNeo4j neo4j;
  private static BoltGraphSink sink;

  @BeforeAll
  static void connect() throws GraphWriteException {
    neo4j = EmbeddedNeo4j.shared();
    sink = BoltGraphSink.open(neo4j.boltConfig());
  }

  @AfterAll
  static void disconnect() {
    if (sink != null) {
      sink.close();
    }
  }

  private static String newTenant() {
    return "pipeline-tenant-" + TENANTS.incrementAndGet();
  }

  private static PipelineConfig config() {
    return PipelineConfig.defaults()
        .withMaxBatchPairs(100)
        .withMaxBatchDelay(Duration.ofHours(1))
        .withRetryBackoff(Duration.ofMillis(5), Duration.ofMillis(50));
  }

  private static long count(String cypher, String tenant) {
    return neo4j.count(cypher, Map.of("tenant", tenant));
  }

  @Test
  void flushMakesEveryTokenVisibleInOrder() throws Exception {
    String tenant = newTenant();
    GraphFixture stream = new GraphFixture(1000, 1);
    try (TokenPipelines pipelines = new TokenPipelines(sink, config())) {
      TokenPipeline pipeline = pipelines.open(tenant, "s", stream.symbols, PipelineListener.NONE);
      stream.feed(pipeline, 0, 1000);
      pipeline.flush().get(60, TimeUnit.SECONDS);

      stream.assertPath(neo4j, tenant, "s");
      assertThat(count("MATCH (t:Tkn {tenant: $tenant}) RETURN count(t)", tenant))
          .isEqualTo(stream.distinctValues());
    }
  }

  @Test
  void batchesRetriedAfterAnUnknownOutcomeCreateNothingTwice() throws Exception {
    String tenant = newTenant();
    GraphFixture stream = new GraphFixture(600, 2);
    GraphSink lostAcks = new LostAckSink(sink);
    RecordingListener listener = new RecordingListener();
    try (TokenPipelines pipelines = new TokenPipelines(lostAcks, config())) {
      TokenPipeline pipeline = pipelines.open(tenant, "s", stream.symbols, listener);
      stream.feed(pipeline, 0, 600);
      pipeline.flush().get(60, TimeUnit.SECONDS);
    }

    assertThat(listener.retries).isNotEmpty();
    stream.assertPath(neo4j, tenant, "s");
    assertThat(count("MATCH (t:Tkn {tenant: $tenant}) RETURN count(t)", tenant))
        .isEqualTo(stream.distinctValues());
    assertThat(
            count(
                "MATCH (t:Tkn {tenant: $tenant})-[h:HAS_VALUE]->()"
                    + " WITH t, count(h) AS edges"
                    + " WHERE edges <> size(split(t.lookupKeys, '|')) RETURN count(t)",
                tenant))
        .isZero();
  }

  @Test
  void closingThePipelinesDrainsConcurrentSessionsOfOneTenant() throws Exception {
    String tenant = newTenant();
    List<GraphFixture> streams = new ArrayList<>();
    List<Thread> producers = new ArrayList<>();
    TokenPipelines pipelines = new TokenPipelines(sink, config());
    for (int s = 0; s < 3; s++) {
      GraphFixture stream = new GraphFixture(400, 10 + s);
      streams.add(stream);
      TokenPipeline pipeline =
          pipelines.open(tenant, "s" + s, stream.symbols, PipelineListener.NONE);
      producers.add(new Thread(() -> stream.feed(pipeline, 0, stream.size())));
    }
    producers.forEach(Thread::start);
    for (Thread producer : producers) {
      producer.join();
    }

    assertThat(pipelines.close(Duration.ofSeconds(60))).isTrue();

    for (int s = 0; s < 3; s++) {
      streams.get(s).assertPath(neo4j, tenant, "s" + s);
    }
    assertThat(
            count(
                "MATCH (t:Tkn {tenant: $tenant}) WITH t.value AS value, count(*) AS copies"
                    + " WHERE copies > 1 RETURN count(value)",
                tenant))
        .isZero();
  }

  /**
   * Commits every other batch and then reports a transient failure, as when the connection drops
   * after the commit but before its acknowledgement: the pipeline must retry, and the retry must
   * find everything already there.
   */
  private static final class LostAckSink implements GraphSink {
    private final GraphSink delegate;
    private int writes;

    LostAckSink(GraphSink delegate) {
      this.delegate = delegate;
    }

    @Override
    public void write(TokenBatch batch) throws GraphWriteException {
      delegate.write(batch);
      if (writes++ % 2 == 0) {
        throw new GraphWriteException("connection lost before the commit was acknowledged", true);
      }
    }

    @Override
    public boolean ready() {
      return delegate.ready();
    }

    @Override
    public String describe() {
      return "lost-ack " + delegate.describe();
    }

    @Override
    public void close() {}
  }
}
