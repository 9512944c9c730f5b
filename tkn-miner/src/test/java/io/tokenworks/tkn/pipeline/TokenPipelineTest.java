package io.tokenworks.tkn.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.tkn.SymbolTable;
import io.tokenworks.tkn.graph.GraphWriteException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenPipelineTest {

  private static final Duration NEVER = Duration.ofHours(1);

  private final RecordingSink sink = new RecordingSink();
  private final RecordingListener listener = new RecordingListener();
  private final SymbolTable symbols = new SymbolTable();
  private TokenPipelines pipelines;

  @BeforeEach
  void internSymbols() {
    for (int i = 0; i < 8; i++) {
      symbols.intern("s" + i);
    }
  }

  @AfterEach
  void closePipelines() {
    if (pipelines != null) {
      sink.release();
      pipelines.close(Duration.ofSeconds(10));
    }
  }

  private TokenPipeline open(PipelineConfig config, String session) {
    if (pipelines == null) {
      pipelines = new TokenPipelines(sink, config);
    }
    return pipelines.open("tenant", session, symbols, listener);
  }

  private static PipelineConfig config() {
    return PipelineConfig.defaults()
        .withMaxBatchDelay(NEVER)
        .withRetryBackoff(Duration.ofMillis(1), Duration.ofMillis(5));
  }

  /** Token i of the test streams: one or two symbols, deterministic. */
  private static List<Integer> expectedToken(long i) {
    int first = (int) (i % 8);
    return i % 3 == 0 ? List.of(first, (first + 1) % 8) : List.of(first);
  }

  /** Feeds tokens {@code from .. to-1} through one reused array, as the miner does. */
  private static void feed(TokenPipeline pipeline, long from, long to) {
    int[] reused = new int[4];
    for (long i = from; i < to; i++) {
      List<Integer> token = expectedToken(i);
      for (int j = 0; j < token.size(); j++) {
        reused[j] = token.get(j);
      }
      pipeline.onToken(i, reused, token.size());
      reused[0] = 7; // the miner overwrites its array after the call
      reused[1] = 7;
    }
  }

  private static List<List<Integer>> expectedTokens(long from, long to) {
    List<List<Integer>> tokens = new ArrayList<>();
    for (long i = from; i < to; i++) {
      tokens.add(expectedToken(i));
    }
    return tokens;
  }

  private static void await(CompletableFuture<Void> future) throws Exception {
    future.get(30, TimeUnit.SECONDS);
  }

  @Test
  void batchesAreContiguousInOrderAndNoLargerThanMaxPairs() throws Exception {
    TokenPipeline pipeline = open(config().withMaxBatchPairs(4), "s");
    feed(pipeline, 0, 25);
    await(pipeline.flush());

    List<RecordingSink.Written> batches = sink.written("s");
    assertThat(batches.size()).isGreaterThanOrEqualTo(6);
    assertThat(batches.get(0).firstIndex()).isZero();
    assertThat(batches.get(0).carried()).isFalse();
    for (int k = 0; k < batches.size(); k++) {
      assertThat(batches.get(k).tokens().size() - 1).isBetween(0, 4);
      if (k > 0) {
        RecordingSink.Written previous = batches.get(k - 1);
        assertThat(batches.get(k).carried()).isTrue();
        assertThat(batches.get(k).firstIndex()).isEqualTo(previous.lastIndex());
        assertThat(batches.get(k).tokens().get(0))
            .isEqualTo(previous.tokens().get(previous.tokens().size() - 1));
      }
    }
    assertThat(sink.tokens("s")).isEqualTo(expectedTokens(0, 25));
    assertThat(listener.tokensWritten()).isEqualTo(25);
  }

  @Test
  void packedTokensOfAWholeFrameAreQueuedAtOnceAfterCheckingEveryRecord() throws Exception {
    TokenPipeline pipeline = open(config(), "s");
    int[] packed = new int[64];
    int length = 0;
    for (long i = 0; i < 5; i++) {
      List<Integer> token = expectedToken(i);
      packed[length++] = token.size();
      for (int id : token) {
        packed[length++] = id;
      }
    }
    int[] broken = packed.clone();
    broken[0] = 0;
    int total = length;
    assertThatThrownBy(() -> pipeline.onTokens(0, 5, broken, total))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed record");
    assertThatThrownBy(() -> pipeline.onTokens(0, 5, packed, total + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(pipeline.pendingTokens()).isZero();

    pipeline.onTokens(0, 5, packed, length);
    feed(pipeline, 5, 7);
    await(pipeline.flush());
    assertThat(sink.tokens("s")).isEqualTo(expectedTokens(0, 7));
  }

  @Test
  void flushWritesAtOnceInsteadOfWaitingForTheBatchDelay() throws Exception {
    TokenPipeline pipeline = open(config().withMaxBatchDelay(Duration.ofSeconds(30)), "s");
    TokenPipeline other = open(config().withMaxBatchDelay(Duration.ofSeconds(30)), "t");
    feed(pipeline, 0, 3);
    feed(other, 0, 2);
    assertThat(pipelines.pendingTokens()).isEqualTo(5);
    await(pipeline.flush());
    assertThat(pipelines.pendingTokens()).isEqualTo(2);
    assertThat(sink.tokens("s")).isEqualTo(expectedTokens(0, 3));
    assertThat(pipeline.pendingTokens()).isZero();
  }

  @Test
  void aQuietSessionIsWrittenAfterTheBatchDelayWithoutAFlush() {
    TokenPipeline pipeline = open(config().withMaxBatchDelay(Duration.ofMillis(20)), "s");
    feed(pipeline, 0, 3);
    Eventually.await("the delayed batch", () -> sink.tokens("s").size() == 3);
    assertThat(sink.tokens("s")).isEqualTo(expectedTokens(0, 3));

    feed(pipeline, 3, 5);
    Eventually.await("the second delayed batch", () -> sink.tokens("s").size() == 5);
    assertThat(sink.tokens("s")).isEqualTo(expectedTokens(0, 5));
    List<RecordingSink.Written> batches = sink.written("s");
    assertThat(batches.get(batches.size() - 1).carried()).isTrue();
  }

  @Test
  void aFullBatchIsWrittenWithoutAFlushOrTheDelay() {
    TokenPipeline pipeline = open(config().withMaxBatchPairs(10), "s");
    feed(pipeline, 0, 10);
    Eventually.await("the full batch", () -> sink.tokens("s").size() == 10);
    assertThat(sink.tokens("s")).isEqualTo(expectedTokens(0, 10));
  }

  @Test
  void backpressureTurnsOnAtTheHighWatermarkAndOffAtTheLow() throws Exception {
    TokenPipeline pipeline = open(config().withMaxBatchPairs(3).withWatermarks(10, 4), "s");
    sink.hold();
    feed(pipeline, 0, 9);
    assertThat(listener.backpressure).isEmpty();
    feed(pipeline, 9, 10);
    assertThat(listener.backpressure).containsExactly(true);
    assertThat(pipeline.paused()).isTrue();

    feed(pipeline, 10, 15); // the rest of the producer's frame is still accepted
    assertThat(listener.backpressure).containsExactly(true);
    assertThat(pipeline.pendingTokens()).isEqualTo(15);

    sink.release();
    await(pipeline.flush());
    assertThat(listener.backpressure).containsExactly(true, false);
    assertThat(pipeline.paused()).isFalse();
    assertThat(sink.tokens("s")).isEqualTo(expectedTokens(0, 15));

    sink.hold();
    feed(pipeline, 15, 25);
    assertThat(listener.backpressure).containsExactly(true, false, true);
    sink.release();
    await(pipeline.flush());
    assertThat(listener.backpressure).containsExactly(true, false, true, false);
  }

  @Test
  void transientFailuresAreRetriedUntilTheWriteSucceedsAndNothingIsLost() throws Exception {
    sink.failNext(
        new GraphWriteException("down", true),
        new GraphWriteException("still down", true),
        new GraphWriteException("restarting", true));
    TokenPipeline pipeline = open(config().withMaxBatchPairs(5), "s");
    feed(pipeline, 0, 12);
    await(pipeline.flush());

    assertThat(listener.retries).containsExactly(1L, 2L, 3L);
    assertThat(listener.failures).isEmpty();
    assertThat(sink.tokens("s")).isEqualTo(expectedTokens(0, 12));
  }

  @Test
  void aPermanentFailureFailsTheSessionAndCountsWhatWasNotWritten() {
    sink.failNext(new GraphWriteException("bad credentials", false));
    TokenPipeline pipeline = open(config(), "s");
    feed(pipeline, 0, 5);
    CompletableFuture<Void> flushed = pipeline.flush();

    assertThatThrownBy(() -> flushed.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(PipelineFailedException.class)
        .hasMessageContaining("5 tokens not written")
        .hasMessageContaining("bad credentials");
    assertThat(listener.failures).hasSize(1);
    assertThat(((PipelineFailedException) listener.failures.get(0)).tokensNotWritten())
        .isEqualTo(5);
    assertThatThrownBy(() -> feed(pipeline, 5, 6))
        .isInstanceOf(PipelineFailedException.class)
        .isInstanceOf(IllegalStateException.class);
    assertThat(pipeline.flush()).isCompletedExceptionally();
    assertThat(pipelines.openSessions()).isZero();
  }

  @Test
  void anExceptionEscapingTheSinkFailsTheSessionVisibly() {
    TokenPipelines own =
        new TokenPipelines(
            new io.tokenworks.tkn.graph.GraphSink() {
              @Override
              public void write(io.tokenworks.tkn.graph.TokenBatch batch) {
                throw new IllegalStateException("driver closed");
              }

              @Override
              public boolean ready() {
                return false;
              }

              @Override
              public String describe() {
                return "broken";
              }

              @Override
              public void close() {}
            },
            config());
    try {
      TokenPipeline pipeline = own.open("tenant", "s", symbols, listener);
      feed(pipeline, 0, 2);
      assertThatThrownBy(() -> pipeline.flush().get(30, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(PipelineFailedException.class)
          .hasMessageContaining("2 tokens not written");
    } finally {
      own.close(Duration.ofSeconds(5));
    }
  }

  @Test
  void closingThePipelinesDrainsEverySession() {
    List<TokenPipeline> sessions = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      TokenPipeline pipeline = open(config(), "s" + s);
      feed(pipeline, 0, 7 + s);
      sessions.add(pipeline);
    }
    assertThat(pipelines.openSessions()).isEqualTo(3);

    assertThat(pipelines.close(Duration.ofSeconds(30))).isTrue();

    for (int s = 0; s < 3; s++) {
      assertThat(sink.tokens("s" + s)).isEqualTo(expectedTokens(0, 7 + s));
    }
    assertThat(pipelines.openSessions()).isZero();
    assertThatThrownBy(() -> feed(sessions.get(0), 7, 8)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> pipelines.open("tenant", "late", symbols, listener))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closeGivesUpAfterItsTimeoutAndCountsTheTokensNotWritten() {
    GraphWriteException[] forever = new GraphWriteException[10_000];
    java.util.Arrays.fill(forever, new GraphWriteException("down", true));
    sink.failNext(forever);
    TokenPipeline pipeline = open(config(), "s");
    feed(pipeline, 0, 4);

    assertThat(pipelines.close(Duration.ofMillis(200))).isFalse();

    assertThat(listener.failures).hasSize(1);
    assertThat(((PipelineFailedException) listener.failures.get(0)).tokensNotWritten())
        .isEqualTo(4);
    assertThat(pipeline.closeAsync()).isCompletedExceptionally();
  }

  @Test
  void aSingleTokenSessionIsWrittenOnClose() {
    TokenPipeline pipeline = open(config(), "s");
    feed(pipeline, 0, 1);
    pipeline.close();
    assertThat(sink.written("s")).hasSize(1);
    assertThat(sink.written("s").get(0).tokens()).containsExactly(expectedToken(0));
  }

  @Test
  void badTokensAreRejectedAndLoseNothingQueued() throws Exception {
    TokenPipeline pipeline = open(config(), "s");
    feed(pipeline, 0, 3);

    assertThatThrownBy(() -> pipeline.onToken(3, new int[] {1}, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("length=0");
    assertThatThrownBy(() -> pipeline.onToken(3, new int[] {1}, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> pipeline.onToken(3, new int[] {99}, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("id=99");
    assertThatThrownBy(() -> pipeline.onToken(3, new int[] {-1}, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> pipeline.onToken(5, new int[] {1}, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("index=5")
        .hasMessageContaining("expected 3");
    assertThatThrownBy(() -> pipeline.onToken(2, new int[] {1}, 1))
        .isInstanceOf(IllegalArgumentException.class);

    feed(pipeline, 3, 5);
    await(pipeline.flush());
    assertThat(sink.tokens("s")).isEqualTo(expectedTokens(0, 5));
    assertThat(listener.failures).isEmpty();
  }

  @Test
  void aSessionMayStartAtAnyIndexToResume() throws Exception {
    TokenPipeline pipeline = open(config(), "s");
    feed(pipeline, 40, 43);
    await(pipeline.flush());
    assertThat(sink.written("s").get(0).firstIndex()).isEqualTo(40);
    assertThat(sink.tokens("s")).isEqualTo(expectedTokens(40, 43));
  }

  @Test
  void theSameSessionCannotBeOpenedTwice() {
    open(config(), "s");
    assertThatThrownBy(() -> pipelines.open("tenant", "s", symbols, listener))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already open");
    assertThat(pipelines.open("other-tenant", "s", symbols, listener)).isNotNull();
  }

  @Test
  void flushOnAnEmptySessionCompletesAtOnce() {
    TokenPipeline pipeline = open(config(), "s");
    assertThat(pipeline.flush()).isCompleted();
    pipeline.close();
    assertThat(sink.written()).isEmpty();
  }
}
