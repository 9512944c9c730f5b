package io.tokenworks.tkn.graph;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what it is given and stores nothing: for benchmarks of everything before the database, and
 * for running the miner without a graph. Always ready.
 */
public final class DiscardingSink implements GraphSink {

  private final LongAdder batches = new LongAdder();
  private final LongAdder tokens = new LongAdder();
  private final LongAdder pairs = new LongAdder();

  @Override
  public void write(TokenBatch batch) {
    batches.increment();
    tokens.add(batch.newTokenCount());
    pairs.add(batch.pairCount());
  }

  @Override
  public boolean ready() {
    return true;
  }

  @Override
  public String describe() {
    return "discarding sink (tokens are counted, not stored)";
  }

  /** Batches written. */
  public long batches() {
    return batches.sum();
  }

  /** Tokens written, each counted once although a batch repeats the previous batch's last. */
  public long tokens() {
    return tokens.sum();
  }

  /** Pairs (edges) written. */
  public long pairs() {
    return pairs.sum();
  }

  @Override
  public void close() {}
}
