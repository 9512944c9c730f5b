package io.tokenworks.tau.actor;

import java.util.concurrent.CompletableFuture;

/** A message to a series actor. Each carries the future its sender waits on. */
public sealed interface Command {

  CompletableFuture<Void> done();

  /** Append one point. */
  record Append(long timestamp, double value, CompletableFuture<Void> done) implements Command {}

  /** Append a batch, all or nothing; the arrays belong to the command. */
  record AppendBatch(long[] timestamps, double[] values, int count, CompletableFuture<Void> done)
      implements Command {}

  /**
   * Hand over what a checkpoint must persist (chunks written since the last one, the head's points)
   * to {@code work}; the checkpoint thread does the I/O.
   */
  record Checkpoint(
      CompletableFuture<Void> done,
      java.util.Queue<io.tokenworks.tau.storage.SeriesStore.PendingCheckpoint> work)
      implements Command {}

  /** The series was dropped: refuse everything after this. */
  record Close(CompletableFuture<Void> done) implements Command {}
}
