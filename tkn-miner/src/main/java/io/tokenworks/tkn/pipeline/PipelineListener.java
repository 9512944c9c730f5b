package io.tokenworks.tkn.pipeline;

import io.tokenworks.tkn.graph.GraphWriteException;

/**
 * What a {@link TokenPipeline} tells its owner (the server wires flow control, metrics and health
 * through it). Every method has a no-op default. Exceptions thrown here are logged and ignored.
 */
public interface PipelineListener {

  /** A listener that ignores everything. */
  PipelineListener NONE = new PipelineListener() {};

  /**
   * The session's queue reached the high watermark ({@code paused = true}: stop reading the
   * producer's input) or drained to the low watermark ({@code false}: resume). Signals alternate,
   * starting with {@code true}. Called while the pipeline's lock is held, on the thread that
   * crossed the mark (the producer's for pause, a writer's for resume), so calls are ordered:
   * return quickly (e.g. flip Netty's auto-read) and do not call back into the pipeline.
   */
  default void onBackpressure(boolean paused) {}

  /**
   * A batch was committed: {@code tokens} new tokens (not counting the one repeated from the
   * previous batch), {@code pairs} edges, in {@code nanos} of sink time. On a writer thread.
   */
  default void onBatchWritten(int tokens, int pairs, long nanos) {}

  /**
   * The sink failed transiently; the batch will be written again after a backoff, and its tokens
   * stay queued (so backpressure still applies). {@code attempt} counts from 1 and is reset by the
   * next success. On a writer thread.
   */
  default void onRetry(GraphWriteException failure, long attempt) {}

  /**
   * The session failed for good (a permanent sink error, or shutdown before its tokens could be
   * written): {@code failure} is a {@link PipelineFailedException} naming how many tokens were not
   * written. Called once. A paused producer is not resumed: the session is over, and the owner
   * should close its connection.
   */
  default void onFailed(Throwable failure) {}
}
