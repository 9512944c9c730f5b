package io.tokenworks.tkn.pipeline;

import io.tokenworks.tkn.graph.GraphWriteException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every pipeline event, thread-safely. */
final class RecordingListener implements PipelineListener {

  final List<Boolean> backpressure = new CopyOnWriteArrayList<>();
  final List<Long> retries = new CopyOnWriteArrayList<>();
  final List<Throwable> failures = new CopyOnWriteArrayList<>();
  final List<Integer> writtenTokens = new CopyOnWriteArrayList<>();

  @Override
  public void onBackpressure(boolean paused) {
    backpressure.add(paused);
  }

  @Override
  public void onBatchWritten(int tokens, int pairs, long nanos) {
    writtenTokens.add(tokens);
  }

  @Override
  public void onRetry(GraphWriteException failure, long attempt) {
    retries.add(attempt);
  }

  @Override
  public void onFailed(Throwable failure) {
    failures.add(failure);
  }

  int tokensWritten() {
    return writtenTokens.stream().mapToInt(Integer::intValue).sum();
  }
}
