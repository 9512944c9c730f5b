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

  /** Persist the head's points so older WAL segments can go. */
  record Checkpoint(CompletableFuture<Void> done) implements Command {}

  /** The series was dropped: refuse everything after this. */
  record Close(CompletableFuture<Void> done) implements Command {}
}
