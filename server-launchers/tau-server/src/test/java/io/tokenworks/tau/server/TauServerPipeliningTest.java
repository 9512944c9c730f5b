package io.tokenworks.tau.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.protocol.tau.TauClient;
import io.tokenworks.protocol.tau.TauClientException;
import io.tokenworks.protocol.tau.TauFrame;
import io.tokenworks.protocol.tau.TauLabel;
import io.tokenworks.protocol.tau.TauOpcode;
import io.tokenworks.protocol.tau.TauPipeline;
import io.tokenworks.protocol.tau.TauStatus;
import io.tokenworks.tau.FsyncPolicy;
import io.tokenworks.tau.Label;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Replies come back in request order although the engine completes them out of order. */
class TauServerPipeliningTest {

  @TempDir Path dataDirectory;
  private TauTestServer tau;
  private TauClient client;

  @AfterEach
  void stop() throws Exception {
    if (tau != null) {
      tau.close();
    }
  }

  /** What one pipelined request must get back. */
  private record Expected(TauOpcode request, TauStatus status, double value) {}

  @Test
  void athousandMixedRequestsInFlightAreAnsweredInOrder() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    tau = TauTestServer.start(dataDirectory, b -> b.fsyncPolicy(FsyncPolicy.ALWAYS));
    TauClient client = tau.client();
    TauLabel[] series = new TauLabel[4];
    long[] last = new long[series.length];
    for (int s = 0; s < series.length; s++) {
      series[s] = TauLabel.of("s" + s);
      client.createSeries(series[s]);
      last[s] = -1;
    }
    TauPipeline pipeline = client.pipeline();
    List<Expected> expected = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      int s = random.nextInt(series.length);
      int kind = random.nextInt(10);
      if (kind < 6) {
        long ts = last[s] + 1 + random.nextInt(3);
        last[s] = ts;
        pipeline.append(series[s], ts, ts * 0.5);
        expected.add(new Expected(TauOpcode.APPEND, TauStatus.SUCCESS, 0));
      } else if (kind < 7) {
        pipeline.append(series[s], Math.max(last[s], 0), 0); // duplicate or before the first
        expected.add(
            new Expected(
                TauOpcode.APPEND, last[s] < 0 ? TauStatus.SUCCESS : TauStatus.OUT_OF_ORDER, 0));
        if (last[s] < 0) {
          last[s] = 0;
        }
      } else if (kind < 9) {
        // Reads see every earlier write of this connection.
        pipeline.queryPoint(series[s], last[s]);
        expected.add(
            new Expected(
                TauOpcode.QUERY_POINT,
                TauStatus.SUCCESS,
                last[s] < 0 ? Double.NaN : last[s] * 0.5));
      } else {
        pipeline.ping();
        expected.add(new Expected(TauOpcode.PING, TauStatus.SUCCESS, 0));
      }
    }
    CompletableFuture<Void> sent = CompletableFuture.runAsync(pipeline::flush);
    for (int i = 0; i < expected.size(); i++) {
      Expected want = expected.get(i);
      TauFrame reply = pipeline.nextReply();
      String what = "reply " + i + " to " + want.request + " (seed " + seed + ")";
      if (want.status != TauStatus.SUCCESS) {
        assertThat(reply.opcode()).as(what).isEqualTo(TauOpcode.ERR);
        assertThat(reply.status()).as(what).isEqualTo(want.status);
      } else if (want.request == TauOpcode.PING) {
        assertThat(reply.opcode()).as(what).isEqualTo(TauOpcode.PONG);
      } else if (want.request == TauOpcode.QUERY_POINT && !Double.isNaN(want.value)) {
        assertThat(reply.queryFound()).as(what).isTrue();
        assertThat(reply.queryValue()).as(what).isEqualTo(want.value);
      } else {
        assertThat(reply.opcode()).as(what).isEqualTo(TauOpcode.OK);
      }
    }
    sent.get(10, TimeUnit.SECONDS);
    assertThat(pipeline.pending()).isZero();
    client.ping();
  }

  /**
   * Consecutive APPENDs to one series in one read go to the engine as one run: each still gets its
   * own reply, a refused point among them OUT_OF_ORDER, and what was acknowledged is what is there.
   */
  @ParameterizedTest
  @EnumSource(FsyncPolicy.class)
  void runsOfAppendsAnswerEachPointOnItsOwn(FsyncPolicy policy) throws Exception {
    tau = TauTestServer.start(dataDirectory, b -> b.fsyncPolicy(policy));
    TauClient client = tau.client();
    TauLabel[] series = {TauLabel.of("a"), TauLabel.of("b")};
    for (TauLabel label : series) {
      client.createSeries(label);
    }
    TauPipeline pipeline = client.pipeline();
    List<TauStatus> expected = new ArrayList<>();
    long[] last = {0, 0};
    int[] kept = {0, 0};
    for (int i = 0; i < 3_000; i++) {
      int s = (i / 500) % 2; // runs of 500 frames per series, longer than one read may hold
      long ts = i % 97 == 13 ? last[s] : last[s] + 1; // every 97th frame repeats a timestamp
      boolean refused = ts == last[s];
      pipeline.append(series[s], ts, ts * 0.25);
      expected.add(refused ? TauStatus.OUT_OF_ORDER : TauStatus.SUCCESS);
      if (!refused) {
        last[s] = ts;
        kept[s]++;
      }
    }
    pipeline.queryLatest(series[0], Long.MAX_VALUE);
    CompletableFuture<Void> sent = CompletableFuture.runAsync(pipeline::flush);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(pipeline.nextStatus()).as("reply %d", i).isEqualTo(expected.get(i));
    }
    TauFrame latest = pipeline.nextReply();
    assertThat(latest.latestTimestamp()).isEqualTo(last[0]);
    sent.get(10, TimeUnit.SECONDS);
    for (int s = 0; s < series.length; s++) {
      Label label = Label.of(series[s].name());
      assertThat(tau.server().engine().aggregate(label, 0, Long.MAX_VALUE).count())
          .isEqualTo(kept[s]);
    }
  }

  @Test
  void createAppendAndQueryPipelinedInOneWriteSeeEachOther() throws Exception {
    tau = TauTestServer.start(dataDirectory);
    pipelineSeesItsOwnWrites();
  }

  /**
   * The same under fsync=batch, where an append is acknowledged once its WAL record is written (by
   * the event loop itself, which holds the WAL writes of each read batch) and its point applied:
   * the acknowledgement must never overtake the point's visibility.
   */
  @Test
  void pipelinedReadsSeeEarlierWritesUnderBatchFsync() throws Exception {
    tau = TauTestServer.start(dataDirectory, b -> b.fsyncPolicy(FsyncPolicy.BATCH));
    for (int i = 0; i < 200; i++) {
      pipelineSeesItsOwnWrites();
    }
  }

  private int round;

  private void pipelineSeesItsOwnWrites() throws Exception {
    TauClient client = round == 0 ? tau.client() : this.client;
    this.client = client;
    TauLabel label = TauLabel.of("fresh" + round++);
    TauPipeline pipeline =
        client
            .pipeline()
            .createSeries(label)
            .append(label, 1, 1.5)
            .append(label, 2, 2.5)
            .queryPoint(label, 2)
            .queryLatest(label, 10)
            .dropSeries(label)
            .queryPoint(label, 1)
            .flush();
    assertThat(pipeline.nextStatus()).isEqualTo(TauStatus.SUCCESS);
    assertThat(pipeline.nextStatus()).isEqualTo(TauStatus.SUCCESS);
    assertThat(pipeline.nextStatus()).isEqualTo(TauStatus.SUCCESS);
    assertThat(pipeline.nextReply().queryValue()).isEqualTo(2.5);
    TauFrame latest = pipeline.nextReply();
    assertThat(latest.latestFound()).isTrue();
    assertThat(latest.latestTimestamp()).isEqualTo(2);
    assertThat(pipeline.nextStatus()).isEqualTo(TauStatus.SUCCESS);
    assertThat(pipeline.nextStatus()).isEqualTo(TauStatus.SERIES_NOT_FOUND);
  }

  @Test
  void manyAppendsBeyondTheInFlightBoundPauseReadingInsteadOfFailing() throws Exception {
    tau = TauTestServer.start(dataDirectory, b -> b.maxInFlight(16));
    TauClient client = tau.client();
    TauLabel label = TauLabel.of("bulk");
    client.createSeries(label);
    TauPipeline pipeline = client.pipeline();
    int n = 20_000;
    CompletableFuture<Void> sender =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < n; i++) {
                pipeline.append(label, i, i);
              }
              pipeline.flush();
            });
    for (int i = 0; i < n; i++) {
      assertThat(pipeline.nextStatus()).as("reply %d", i).isEqualTo(TauStatus.SUCCESS);
    }
    sender.get(30, TimeUnit.SECONDS);
    assertThat(tau.server().engine().aggregate(Label.of("bulk"), 0, n).count()).isEqualTo(n);
  }

  @Test
  void everyAcknowledgedAppendSurvivesAShutdownWithRequestsInFlight() throws Exception {
    tau = TauTestServer.start(dataDirectory, b -> b.fsyncPolicy(FsyncPolicy.ALWAYS));
    TauClient client = tau.client();
    TauLabel label = TauLabel.of("durable");
    client.createSeries(label);
    TauPipeline pipeline = client.pipeline();
    for (int i = 0; i < 2_000; i++) {
      pipeline.append(label, i, i);
    }
    pipeline.flush();
    int acknowledged = 0;
    for (int i = 0; i < 100; i++) {
      assertThat(pipeline.nextStatus()).isEqualTo(TauStatus.SUCCESS);
      acknowledged++;
    }
    CompletableFuture<Void> closing = CompletableFuture.runAsync(tau.server()::close);
    try {
      while (acknowledged < 2_000) {
        assertThat(pipeline.nextStatus()).isEqualTo(TauStatus.SUCCESS);
        acknowledged++;
      }
    } catch (TauClientException e) {
      // The server closed the connection after finishing what it had read.
    }
    closing.get(30, TimeUnit.SECONDS);
    tau.close();
    tau = TauTestServer.start(dataDirectory);
    long stored = tau.server().engine().aggregate(Label.of("durable"), 0, 10_000).count();
    assertThat(stored).isGreaterThanOrEqualTo(acknowledged);
  }
}
