package io.tokenworks.tkn.graph;

/**
 * Where a session's tokens go: the graph store behind the pipeline. Implementations: {@link
 * BoltGraphSink} (Neo4j or Memgraph over Bolt) and {@link DiscardingSink} (benchmarks).
 *
 * <p>Thread safety: {@link #write} is called from writer threads, concurrently for different
 * sessions but never concurrently for one session, and a session's batches arrive in order.
 */
public interface GraphSink extends AutoCloseable {

  /**
   * Writes every token of the batch as a node and every consecutive pair as an edge, all or
   * nothing, blocking until the store has committed. Idempotent: writing a batch again (after a
   * failure whose outcome is unknown) creates nothing twice.
   *
   * @throws GraphWriteException if nothing was written; {@link
   *     GraphWriteException#transientFailure()} says whether to retry
   */
  void write(TokenBatch batch) throws GraphWriteException;

  /** Health: whether the store can be reached and written now. May block for a round trip. */
  boolean ready();

  /** A one-line description for logs and startup output (never a password). */
  String describe();

  /** Releases connections; further writes fail. */
  @Override
  void close();
}
