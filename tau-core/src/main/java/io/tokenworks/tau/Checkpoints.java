package io.tokenworks.tau;

import io.tokenworks.tau.actor.Command;
import io.tokenworks.tau.actor.Health;
import io.tokenworks.tau.actor.SeriesActor;
import io.tokenworks.tau.storage.Pacer;
import io.tokenworks.tau.storage.StoredChunk;
import io.tokenworks.tau.storage.Wal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An engine's checkpoints, run one at a time on its catalog thread: every series' chunks sealed
 * since the last checkpoint go into a pack and its head into a snapshot file, the series then read
 * those chunks from the pack (their blocks' memory is recycled), and the WAL segments that only
 * held what the files now hold are deleted. A failed checkpoint marks the engine unhealthy, which
 * refuses writes until a restart recovers from the WAL.
 */
final class Checkpoints {

  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);

  private final Catalog catalog;
  private final Health health;
  private final ExecutorService catalogThread;
  private final LongAdder completed = new LongAdder();
  private volatile Wal wal;

  Checkpoints(Catalog catalog, Health health, ExecutorService catalogThread) {
    this.catalog = catalog;
    this.health = health;
    this.catalogThread = catalogThread;
  }

  /** The WAL to checkpoint, once recovery has opened it; until then a checkpoint does nothing. */
  void attach(Wal wal) {
    this.wal = wal;
  }

  /** Checkpoints completed since open. */
  long completed() {
    return completed.sum();
  }

  /**
   * Queues a checkpoint on the catalog thread; for the WAL writer when the log has grown enough, so
   * it never throws into that thread.
   */
  void request() {
    try {
      catalogThread.execute(this::runQuietly);
    } catch (RejectedExecutionException e) {
      // Closing: close() runs the last checkpoint itself.
    }
  }

  /** Runs a checkpoint after any already queued and waits for it. */
  void runNow() throws Exception {
    catalogThread.submit(this::runQuietly).get();
  }

  /**
   * Rotates the WAL first, so every record of the old segments is in a series' memory before the
   * series hand over what to write.
   */
  private void runQuietly() {
    Wal log = wal;
    if (log == null || health.failed()) {
      return;
    }
    try {
      log.forceWritten();
      long firstKept = log.rotate();
      Queue<Command.CheckpointShare> work = new ConcurrentLinkedQueue<>();
      List<CompletableFuture<Void>> handedOver = new ArrayList<>();
      for (SeriesActor actor : catalog.allSeries().values()) {
        handedOver.add(
            Catalog.offerPatiently(actor, new Command.Checkpoint(new CompletableFuture<>(), work)));
      }
      CompletableFuture.allOf(handedOver.toArray(CompletableFuture[]::new)).join();
      Pacer pacer = new Pacer();
      for (Command.CheckpointShare share : work) {
        List<StoredChunk> stored = share.pending().persist(pacer);
        if (!stored.isEmpty()) {
          // The series reads these chunks from their pack now and recycles the blocks' memory.
          Catalog.offerPatiently(
              share.actor(),
              new Command.Stored(new CompletableFuture<>(), share.pending().blocks(), stored));
        }
      }
      log.deleteSegmentsBefore(firstKept);
      completed.increment();
    } catch (IOException | CompletionException e) {
      health.fail("checkpoint failed: " + e.getMessage());
      LOG.error("checkpoint failed; writes are refused until restart", e);
    }
  }
}
