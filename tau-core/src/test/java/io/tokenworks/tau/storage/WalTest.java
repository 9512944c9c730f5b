package io.tokenworks.tau.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.tau.FsyncPolicy;
import io.tokenworks.tau.TauObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who writes a held record, and when the writer thread is woken. */
class WalTest {

  private static final long HOUR = TimeUnit.HOURS.toNanos(1);

  @TempDir Path directory;
  private Wal wal;

  @AfterEach
  void close() {
    if (wal != null) {
      wal.close();
    }
  }

  private Wal open() throws IOException {
    return new Wal(
        directory, 0, FsyncPolicy.BATCH, HOUR, 1 << 20, 1L << 40, TauObserver.NONE, () -> {});
  }

  @Test
  void aHolderFindingAnotherWriteUnderWayWaitsForItAndWritesItsRecordsItself() throws Exception {
    wal = open();
    // An append that does not hold is written by the writer thread, which then completes it: the
    // completion blocks, so that write stays under way until the latch opens.
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch writerBusy = new CountDownLatch(1);
    wal.append(
        1,
        10,
        1.0,
        new Wal.Completion() {
          @Override
          public void written() {
            writerBusy.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }

          @Override
          public void failed(IOException cause) {}
        });
    assertThat(writerBusy.await(10, TimeUnit.SECONDS)).isTrue();

    Recorder held = new Recorder();
    CompletableFuture<String> holder =
        CompletableFuture.supplyAsync(
            () -> {
              appendHeld(2, 20, 2.0, held);
              return Thread.currentThread().getName();
            });
    try {
      // Handing the record to the busy writer thread would return at once; waiting does not.
      Thread.sleep(200);
      assertThat(holder).isNotDone();
    } finally {
      release.countDown();
    }
    String holderThread = holder.get(10, TimeUnit.SECONDS);
    assertThat(held.thread).isEqualTo(holderThread);
  }

  @Test
  void aCompletionThatAppendsAndWritesAgainOnTheWritingThreadDoesNotWaitForItself()
      throws Exception {
    wal = open();
    Recorder inner = new Recorder();
    Wal.Completion outer =
        new Wal.Completion() {
          @Override
          public void written() {
            // As a server's callback may: start the next request and write it, all inside the
            // write that completed this one.
            appendHeld(5, 50, 5.0, inner);
          }

          @Override
          public void failed(IOException cause) {}
        };
    CompletableFuture<Void> holder =
        CompletableFuture.runAsync(() -> appendHeld(4, 40, 4.0, outer));
    holder.get(10, TimeUnit.SECONDS);
    // The inner record went to the writer thread instead.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (inner.thread == null && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(inner.thread).isEqualTo("tau-wal-writer");
  }

  @Test
  void recordsQueuedWhileHoldingDoNotWakeTheWriterThread() throws Exception {
    wal = open();
    Recorder held = new Recorder();
    wal.holdWrites();
    try {
      wal.append(3, 30, 3.0, held);
      Thread.sleep(100); // time enough for a woken writer thread to take the record
      assertThat(held.thread).isNull();
    } finally {
      wal.writeHeld();
    }
    assertThat(held.thread).isEqualTo(Thread.currentThread().getName());
  }

  @Test
  void underPolicyNoneForceWrittenForcesWhatWasWrittenAndOnlyThat() throws Exception {
    wal =
        new Wal(
            directory, 0, FsyncPolicy.NONE, HOUR, 1 << 20, 1L << 40, TauObserver.NONE, () -> {});
    wal.forceWritten();
    assertThat(wal.forces()).isZero();
    Recorder first = new Recorder();
    appendHeld(1, 10, 1.0, first);
    appendHeld(1, 11, 1.1, new Recorder());
    wal.forceWritten();
    assertThat(wal.forces()).isEqualTo(1);
    assertThat(wal.recordsForced()).isEqualTo(2);
    // Nothing new: no force.
    wal.forceWritten();
    assertThat(wal.forces()).isEqualTo(1);
    // The rotation after it still forces only what came since (here: nothing).
    wal.rotate();
    assertThat(wal.forces()).isEqualTo(1);
  }

  @Test
  void underTheOtherPoliciesForceWrittenLeavesForcingToThem() throws Exception {
    wal =
        new Wal(
            directory, 0, FsyncPolicy.ALWAYS, HOUR, 1 << 20, 1L << 40, TauObserver.NONE, () -> {});
    Recorder appended = new Recorder();
    wal.append(1, 10, 1.0, appended);
    assertThat(appended.settled.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(appended.thread).isEqualTo("tau-wal-writer");
    long forces = wal.forces();
    assertThat(forces).isEqualTo(1);
    wal.forceWritten();
    assertThat(wal.forces()).isEqualTo(forces);
  }

  @Test
  void underPolicyBatchTheForcerForcesWhatWasWrittenAtItsIntervalAndNothingMore() throws Exception {
    wal =
        new Wal(
            directory,
            0,
            FsyncPolicy.BATCH,
            TimeUnit.MILLISECONDS.toNanos(5),
            1 << 20,
            1L << 40,
            TauObserver.NONE,
            () -> {});
    Recorder first = new Recorder();
    appendHeld(1, 10, 1.0, first);
    appendHeld(1, 11, 1.1, new Recorder());
    // Completed when written, before any force.
    assertThat(first.thread).isEqualTo(Thread.currentThread().getName());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (wal.recordsForced() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(wal.recordsForced()).isEqualTo(2);
    long forces = wal.forces();
    assertThat(forces).isBetween(1L, 2L);
    // Nothing written since: twenty intervals pass without another force.
    Thread.sleep(100);
    assertThat(wal.forces()).isEqualTo(forces);
    appendHeld(1, 12, 1.2, new Recorder());
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (wal.recordsForced() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(wal.recordsForced()).isEqualTo(3);
    assertThat(wal.forces()).isGreaterThan(forces);
  }

  @Test
  void theForcesOfABatchLogCountEveryRecordAndByteOnceWhileWritesRaceThem() throws Exception {
    AtomicLong forcedRecords = new AtomicLong();
    AtomicLong forcedBytes = new AtomicLong();
    TauObserver counting =
        new TauObserver() {
          @Override
          public void walForced(long nanos, int records, long bytes) {
            forcedRecords.addAndGet(records);
            forcedBytes.addAndGet(bytes);
          }
        };
    wal =
        new Wal(
            directory,
            0,
            FsyncPolicy.BATCH,
            TimeUnit.MICROSECONDS.toNanos(200),
            1 << 20,
            1L << 40,
            counting,
            () -> {});
    int perThread = 5_000;
    Thread[] appenders = new Thread[2];
    for (int t = 0; t < appenders.length; t++) {
      long series = t;
      appenders[t] =
          new Thread(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  appendHeld(series, i, i, new Recorder());
                }
              });
      appenders[t].start();
    }
    for (Thread appender : appenders) {
      appender.join();
    }
    long written = wal.bytesWritten();
    wal.close();
    wal = null;
    assertThat(forcedRecords.get()).isEqualTo(2L * perThread);
    assertThat(forcedBytes.get()).isEqualTo(written);
  }

  @Test
  void theWriterThreadPreparesEachNextWindowSoAHolderNeverMapsOne() throws Exception {
    wal = open();
    int points = 4096; // a 64 KiB record
    long[] timestamps = new long[points];
    double[] values = new double[points];
    long next = 0;
    Recorder last = null;
    // Three window boundaries crossed, each after the writer thread had the next window ready.
    for (int window = 0; window < 3; window++) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!wal.segmentFile().nextWindowReady() && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertThat(wal.segmentFile().nextWindowReady()).as("window %d prepared", window).isTrue();
      long target = (window + 1) * WalSegmentFile.WINDOW_BYTES + 1000;
      while (wal.bytesWritten() < target) {
        for (int i = 0; i < points; i++) {
          timestamps[i] = ++next;
          values[i] = next;
        }
        last = new Recorder();
        wal.holdWrites();
        try {
          wal.append(1, timestamps, values, 0, points, last);
        } finally {
          wal.writeHeld();
        }
      }
    }
    assertThat(last.thread).isEqualTo(Thread.currentThread().getName());
    assertThat(wal.segmentFile().windowsMappedByWriter()).isZero();
  }

  /** One point queued while holding, then the held write, as an event loop does per read. */
  private void appendHeld(long seriesId, long timestamp, double value, Wal.Completion completion) {
    wal.holdWrites();
    try {
      wal.append(seriesId, timestamp, value, completion);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      wal.writeHeld();
    }
  }

  /** Remembers the thread that completed a record. */
  private static final class Recorder implements Wal.Completion {
    volatile String thread;
    final CountDownLatch settled = new CountDownLatch(1);

    @Override
    public void written() {
      thread = Thread.currentThread().getName();
      settled.countDown();
    }

    @Override
    public void failed(IOException cause) {
      thread = "failed: " + cause;
      settled.countDown();
    }
  }
}
