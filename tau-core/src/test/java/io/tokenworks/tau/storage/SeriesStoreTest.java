package io.tokenworks.tau.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chunk files written off the actor's thread: order, checkpoints and drops wait for them. */
class SeriesStoreTest {

  /** Runs the tasks handed to it only when told to. */
  private static final class HeldExecutor implements Executor {
    final Queue<Runnable> tasks = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable task) {
      tasks.add(task);
    }

    synchronized void runAll() {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        task.run();
      }
    }
  }

  private static Block block(long firstTimestamp, int count) {
    long[] timestamps = new long[count];
    double[] values = new double[count];
    for (int i = 0; i < count; i++) {
      timestamps[i] = firstTimestamp + i;
      values[i] = firstTimestamp + i * 0.5;
    }
    return new Block(timestamps, values, count);
  }

  private static Path chunk(Path dataDirectory, int index) {
    return SeriesStore.directoryOf(dataDirectory, 7)
        .resolve(String.format("chunk-%08x.tch", index));
  }

  @Test
  void aDeferredChunkIsWrittenOnlyByTheWriterAndInOrder(@TempDir Path dataDirectory)
      throws Exception {
    SeriesStore store = SeriesStore.create(dataDirectory, 7);
    HeldExecutor writer = new HeldExecutor();

    CompletableFuture<Void> first = store.writeChunkLater(block(1, 100), writer);
    CompletableFuture<Void> second = store.writeChunkLater(block(101, 50), writer);

    assertThat(chunk(dataDirectory, 0)).doesNotExist();
    assertThat(first).isNotDone();
    writer.runAll(); // the first write; the second is handed over once the first completed
    writer.runAll();

    assertThat(first).isCompleted();
    assertThat(second).isCompleted();
    assertThat(ChunkFile.read(chunk(dataDirectory, 0)).timestamps()[0]).isEqualTo(1);
    assertThat(ChunkFile.read(chunk(dataDirectory, 1)).timestamps()[0]).isEqualTo(101);
    assertThat(ChunkFile.read(chunk(dataDirectory, 1)).count()).isEqualTo(50);

    SeriesData reloaded = new SeriesData(4096);
    SeriesStore.load(dataDirectory, 7, reloaded);
    assertThat(reloaded.pointCount()).isEqualTo(150);
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static CompletableFuture<Void> inBackground(IoAction action) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            action.run();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /**
   * Hands one chunk to a writer kept busy until the returned gate opens, then starts {@code waiter}
   * in the background and checks that it is still waiting.
   */
  private static CompletableFuture<Void> writeBehindGate(
      SeriesStore store, ExecutorService writer, CompletableFuture<Void> gate, IoAction waiter)
      throws InterruptedException {
    writer.execute(gate::join);
    store.writeChunkLater(block(1, 10), writer);
    CompletableFuture<Void> waiting = inBackground(waiter);
    Thread.sleep(100);
    assertThat(waiting).isNotDone();
    return waiting;
  }

  @Test
  void aCheckpointWaitsForTheChunksItForces(@TempDir Path dataDirectory) throws Exception {
    SeriesStore store = SeriesStore.create(dataDirectory, 7);
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try {
      CompletableFuture<Void> gate = new CompletableFuture<>();
      CompletableFuture<Void> persisted =
          writeBehindGate(
              store,
              writer,
              gate,
              () -> store.prepareCheckpoint(new long[0], new double[0], 0).persist());

      gate.complete(null);
      persisted.get(10, TimeUnit.SECONDS);
      assertThat(chunk(dataDirectory, 0)).exists();
      assertThat(
              Files.readString(SeriesStore.directoryOf(dataDirectory, 7).resolve("chunks.durable")))
          .isEqualTo("1");
    } finally {
      writer.shutdownNow();
    }
  }

  @Test
  void aFailedChunkWriteFailsItsFutureAndTheCheckpoint(@TempDir Path dataDirectory)
      throws Exception {
    SeriesStore store = SeriesStore.create(dataDirectory, 7);
    // A directory where the chunk file should go: the write cannot replace it.
    Files.createDirectories(chunk(dataDirectory, 0));
    Files.writeString(chunk(dataDirectory, 0).resolve("occupied"), "x");
    HeldExecutor writer = new HeldExecutor();

    CompletableFuture<Void> write = store.writeChunkLater(block(1, 10), writer);
    writer.runAll();

    assertThat(write).isCompletedExceptionally();
    SeriesStore.PendingCheckpoint pending = store.prepareCheckpoint(new long[0], new double[0], 0);
    assertThatThrownBy(pending::persist)
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("a chunk write failed");
  }

  @Test
  void deletingWaitsForWritesHandedOverSoNoFileOutlivesTheSeries(@TempDir Path dataDirectory)
      throws Exception {
    SeriesStore store = SeriesStore.create(dataDirectory, 7);
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try {
      CompletableFuture<Void> gate = new CompletableFuture<>();
      CompletableFuture<Void> deleted = writeBehindGate(store, writer, gate, store::delete);

      gate.complete(null);
      deleted.get(10, TimeUnit.SECONDS);
      assertThat(SeriesStore.directoryOf(dataDirectory, 7)).doesNotExist();
    } finally {
      writer.shutdownNow();
    }
  }
}
