package io.tokenworks.tau.actor;

import io.tokenworks.tau.AppendCallback;
import io.tokenworks.tau.storage.Block;
import io.tokenworks.tau.storage.SeriesStore;
import io.tokenworks.tau.storage.StoredChunk;
import io.tokenworks.tau.storage.Wal;
import java.io.IOException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A message to a series actor. Each tells its sender the outcome once. */
public sealed interface Command {

  /** Settles the command with {@code failure}; later calls do nothing. */
  void fail(Throwable failure);

  /** A command whose sender waits on a future: checkpoints and closes. */
  sealed interface Control extends Command {
    CompletableFuture<Void> done();

    @Override
    default void fail(Throwable failure) {
      done().completeExceptionally(failure);
    }
  }

  /**
   * An append: one point or a batch. It is also its own WAL completion and acknowledgement, one
   * object per append where there were three: it settles once both its WAL record is safe under the
   * fsync policy and its points are visible, whichever happens last (the WAL writer may finish
   * before the actor has applied the points, and an acknowledged write must be readable).
   */
  abstract sealed class Write implements Command, Wal.Completion
      permits Append, AppendBatch, AppendRun {
    private static final AtomicIntegerFieldUpdater<Write> PENDING =
        AtomicIntegerFieldUpdater.newUpdater(Write.class, "pending");
    private static final int SETTLED = -1;
    private static final Logger LOG = LoggerFactory.getLogger(Write.class);

    private final AppendCallback callback;
    private SeriesActor actor;

    /** Steps before success (WAL safe, points applied); {@link #SETTLED} once told. */
    private volatile int pending = 2;

    Write(AppendCallback callback) {
      this.callback = callback;
    }

    /** Points this write appends. */
    abstract int points();

    /** The actor handling it; called before the write is logged. */
    void handledBy(SeriesActor actor) {
      this.actor = actor;
    }

    /** The points are in the series and readable. */
    void applied() {
      arrive();
    }

    /** The WAL record is safe under the policy (runs on the WAL's writing thread). */
    @Override
    public void written() {
      arrive();
    }

    @Override
    public void failed(IOException cause) {
      actor.storageFailed(this, cause);
    }

    private void arrive() {
      int now;
      do {
        now = pending;
        if (now == SETTLED) {
          return;
        }
      } while (!PENDING.compareAndSet(this, now, now - 1));
      if (now == 1 && PENDING.compareAndSet(this, 0, SETTLED)) {
        actor.appended(points());
        tell(null);
      }
    }

    @Override
    public void fail(Throwable failure) {
      if (PENDING.getAndSet(this, SETTLED) != SETTLED) {
        tell(failure);
      }
    }

    /**
     * Calls the callback, which runs inside the WAL's completion loop or an actor's turn: one that
     * throws is logged and must not keep the appends settled after it from being told.
     */
    private void tell(Throwable failure) {
      try {
        callback.appended(failure);
      } catch (RuntimeException e) {
        LOG.error("an append callback threw; the append itself is settled", e);
      }
    }
  }

  /** Append one point. */
  final class Append extends Write {
    private final long timestamp;
    private final double value;

    public Append(long timestamp, double value, AppendCallback callback) {
      super(callback);
      this.timestamp = timestamp;
      this.value = value;
    }

    public long timestamp() {
      return timestamp;
    }

    public double value() {
      return value;
    }

    @Override
    int points() {
      return 1;
    }
  }

  /** Append a batch, all or nothing; the arrays belong to the command. */
  final class AppendBatch extends Write {
    private final long[] timestamps;
    private final double[] values;
    private final int count;

    public AppendBatch(long[] timestamps, double[] values, int count, AppendCallback callback) {
      super(callback);
      this.timestamps = timestamps;
      this.values = values;
      this.count = count;
    }

    public long[] timestamps() {
      return timestamps;
    }

    public double[] values() {
      return values;
    }

    public int count() {
      return count;
    }

    @Override
    int points() {
      return count;
    }
  }

  /**
   * Consecutive single points for one series (see {@link io.tokenworks.tau.AppendRun}): the actor
   * refuses the out-of-order ones and appends the rest as one write.
   */
  final class AppendRun extends Write {
    private final io.tokenworks.tau.AppendRun run;
    private int accepted;

    public AppendRun(io.tokenworks.tau.AppendRun run) {
      super(run);
      this.run = run;
    }

    public io.tokenworks.tau.AppendRun run() {
      return run;
    }

    /** Set by the actor once it has refused the out-of-order points. */
    void accepted(int points) {
      this.accepted = points;
    }

    @Override
    int points() {
      return accepted;
    }
  }

  /**
   * Hand over what a checkpoint must persist (chunks written since the last one, the head's points)
   * to {@code work}; the checkpoint thread does the I/O.
   */
  record Checkpoint(CompletableFuture<Void> done, Queue<CheckpointShare> work) implements Control {}

  /** One series' part of a checkpoint, and the actor to tell once it is stored. */
  record CheckpointShare(SeriesActor actor, SeriesStore.PendingCheckpoint pending) {}

  /**
   * A checkpoint stored {@code blocks} as {@code chunks}: read them from there and recycle the
   * blocks.
   */
  record Stored(CompletableFuture<Void> done, List<Block> blocks, List<StoredChunk> chunks)
      implements Control {}

  /** The series was dropped: refuse everything after this. */
  record Close(CompletableFuture<Void> done) implements Control {}
}
