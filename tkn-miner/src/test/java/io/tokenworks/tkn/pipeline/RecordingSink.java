package io.tokenworks.tkn.pipeline;

import io.tokenworks.tkn.graph.GraphSink;
import io.tokenworks.tkn.graph.GraphWriteException;
import io.tokenworks.tkn.graph.TokenBatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A hand-written sink for pipeline-policy tests (the database tests use the real Bolt sink): it
 * records what it is given, can be held shut so writes block, and throws scripted failures.
 */
final class RecordingSink implements GraphSink {

  /** What one successful write carried. */
  record Written(String session, long firstIndex, List<List<Integer>> tokens, boolean carried) {
    long lastIndex() {
      return firstIndex + tokens.size() - 1;
    }
  }

  private final List<Written> written = new ArrayList<>();
  private final Deque<GraphWriteException> failures = new ArrayDeque<>();
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private int attempts;

  /** The next writes throw these, one each, before anything else happens. */
  synchronized RecordingSink failNext(GraphWriteException... next) {
    failures.addAll(Arrays.asList(next));
    return this;
  }

  /** Writes block until {@link #release()}. */
  void hold() {
    gate = new CountDownLatch(1);
  }

  void release() {
    gate.countDown();
  }

  @Override
  public void write(TokenBatch batch) throws GraphWriteException {
    try {
      gate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GraphWriteException("interrupted", e, true);
    }
    synchronized (this) {
      attempts++;
      GraphWriteException failure = failures.poll();
      if (failure != null) {
        throw failure;
      }
      List<List<Integer>> tokens = new ArrayList<>();
      for (int i = 0; i < batch.tokenCount(); i++) {
        tokens.add(Arrays.stream(batch.token(i)).boxed().toList());
      }
      written.add(
          new Written(batch.sessionId(), batch.firstIndex(), tokens, batch.carriesPrevious()));
    }
  }

  synchronized List<Written> written() {
    return List.copyOf(written);
  }

  synchronized List<Written> written(String session) {
    return written.stream().filter(w -> w.session().equals(session)).toList();
  }

  synchronized int attempts() {
    return attempts;
  }

  /** The session's tokens in index order, each once (dropping the carried repeats). */
  synchronized List<List<Integer>> tokens(String session) {
    List<List<Integer>> tokens = new ArrayList<>();
    for (Written w : written(session)) {
      tokens.addAll(w.carried() ? w.tokens().subList(1, w.tokens().size()) : w.tokens());
    }
    return tokens;
  }

  @Override
  public boolean ready() {
    return true;
  }

  @Override
  public String describe() {
    return "recording sink";
  }

  @Override
  public void close() {}
}
