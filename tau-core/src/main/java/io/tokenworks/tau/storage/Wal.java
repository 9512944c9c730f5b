package io.tokenworks.tau.storage;

import io.tokenworks.tau.FsyncPolicy;
import io.tokenworks.tau.TauObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The write-ahead log: append-only segment files, one writer thread, group commit.
 *
 * <p>Series actors {@link #append} records: each is serialized with its CRC32C into the pending
 * buffer under a short lock. The writer thread swaps the pending buffer for an empty one, copies it
 * into the memory-mapped segment ({@link WalSegmentFile}), forces it once (policy {@link
 * FsyncPolicy#ALWAYS}) and completes every record it held, so all appends that arrived while the
 * previous force ran share the next one. {@link FsyncPolicy#BATCH} completes after the write and
 * forces at least every interval on a thread of its own, so a force never holds up the writes
 * behind it (forcing on the writer's thread made every record that arrived during a force wait for
 * it: a millisecond every ten, which was the latency tail of a batch-policy server); {@link
 * FsyncPolicy#NONE} never forces. See {@link WalFormat} for the bytes.
 *
 * <p>Under the batch and none policies a thread may also write what is queued itself: between
 * {@link #holdWrites()} and {@link #writeHeld()} its appends do not wake the writer thread, and
 * {@link #writeHeld()} writes and completes them on that thread. A server that handles requests in
 * batches on its event loop so saves two thread hand-offs per batch (the wake-up of the writer and
 * the completions' way back). One write runs at a time, whichever thread does it.
 */
public final class Wal implements AutoCloseable {

  /**
   * Told when a record is safe under the policy, or that it never will be. Runs on the writer
   * thread.
   */
  public interface Completion {
    void written();

    void failed(IOException cause);
  }

  /** How much of a window the writer thread faults in before it looks for writes again. */
  private static final int PREPARE_STEP_BYTES = 512 * 1024;

  private final Path directory;
  private final FsyncPolicy policy;
  private final long maxPendingBytes;
  private final TauObserver observer;
  private final Runnable checkpointWanted;
  private final long checkpointBytes;

  private final ReentrantLock lock = new ReentrantLock();

  /** Held by every force and by the segment switch, so no force meets a closed channel. */
  private final Object channelLock = new Object();

  private final Condition work = lock.newCondition();
  private final Condition rotated = lock.newCondition();
  private final Condition writeFinished = lock.newCondition();
  private final WalQueue queue = new WalQueue();

  /**
   * Whether {@code pending} holds a record that no holding thread will write: one queued without
   * {@link #holdWrites()}, or handed over by {@link #writeHeld()}. Only these wake the writer
   * thread.
   */
  private boolean unheldPending;

  private long unfinishedBytes;
  private boolean closing;
  private boolean rotateRequested;

  /**
   * Whether the writer thread has a window of the segment to map and fault in ahead of the writes
   * ({@link WalSegmentFile#prepareAhead}); writes go first.
   */
  private boolean windowWanted;

  /**
   * A thread is writing the swapped-out buffer: the writer thread or a holder's {@link #writeHeld}.
   */
  private boolean writeInProgress;

  /** The thread doing the write under way, if any. */
  private Thread writingThread;

  /** Whether this thread holds its writes (see {@link #holdWrites()}). */
  private final ThreadLocal<boolean[]> holding = ThreadLocal.withInitial(() -> new boolean[1]);

  private IOException failure;

  /** A failed force on the batch forcer's thread, for the writer to act on. */
  private IOException forceFailure;

  private WalSegmentFile file;
  private long segment;
  private long bytesSinceCheckpoint;
  private boolean checkpointSignalled;
  private final Thread writer;
  private final WalBatchForcer forcer;

  // Counters, written under channelLock (forces) or by the one thread writing (bytes, records).
  private volatile long forces;
  private volatile long forceNanosTotal;
  private volatile long recordsForced;
  private volatile long bytesWritten;
  private volatile long recordsWritten;

  /** Bytes a completed force covers (written under channelLock). */
  private volatile long forcedBytes;

  /**
   * Starts a new segment numbered {@code segment} in {@code directory} and the writer thread.
   *
   * @param checkpointWanted run (once, on the writer thread) when more than {@code checkpointBytes}
   *     were written since the last {@link #rotate()}
   */
  public Wal(
      Path directory,
      long segment,
      FsyncPolicy policy,
      long batchIntervalNanos,
      long maxPendingBytes,
      long checkpointBytes,
      TauObserver observer,
      Runnable checkpointWanted)
      throws IOException {
    this.directory = directory;
    this.policy = policy;
    this.maxPendingBytes = maxPendingBytes;
    this.checkpointBytes = checkpointBytes;
    this.observer = observer;
    this.checkpointWanted = checkpointWanted;
    this.segment = segment;
    this.file = openSegment(directory, segment);
    this.writer = new Thread(this::run, "tau-wal-writer");
    this.writer.setDaemon(true);
    this.forcer = policy == FsyncPolicy.BATCH ? new WalBatchForcer(this, batchIntervalNanos) : null;
    this.writer.start();
    if (forcer != null) {
      forcer.start();
    }
  }

  /**
   * Queues one record of {@code count} points for series {@code seriesId}. Returns false, queuing
   * nothing, when more than the configured bytes are already waiting (the caller answers BUSY);
   * throws when the log failed or is closed.
   */
  public boolean append(
      long seriesId,
      long[] timestamps,
      double[] values,
      int offset,
      int count,
      Completion completion)
      throws IOException {
    lock.lock();
    try {
      if (!admits(WalFormat.recordLength(count))) {
        return false;
      }
      queued(queue.addRecord(seriesId, timestamps, values, offset, count, completion));
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * One point: {@link #append(long, long[], double[], int, int, Completion)} without arrays.
   * Consecutive points of one series queued between two writes share a record: a pipelined client
   * appending to one series costs 16 bytes of log per point instead of 32.
   */
  public boolean append(long seriesId, long timestamp, double value, Completion completion)
      throws IOException {
    lock.lock();
    try {
      if (!admits(queue.pointLength(seriesId))) {
        return false;
      }
      queued(queue.addPoint(seriesId, timestamp, value, completion));
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock: whether a record of that length may be queued now. */
  private boolean admits(int recordLength) throws IOException {
    checkUsable();
    return unfinishedBytes + recordLength <= maxPendingBytes;
  }

  /** Under the lock: accounts for bytes just queued, wakes the writer. */
  private void queued(int recordLength) {
    unfinishedBytes += recordLength;
    if (policy == FsyncPolicy.ALWAYS || !holding.get()[0]) {
      unheldPending = true;
      work.signal();
    }
  }

  private void checkUsable() throws IOException {
    if (failure != null) {
      throw new IOException("the WAL failed earlier: " + failure.getMessage(), failure);
    }
    if (closing) {
      throw new IOException("the WAL is closed");
    }
  }

  /**
   * Under {@link FsyncPolicy#NONE}, forces what was written so far on the calling thread while
   * writes go on; under the other policies it does nothing (their forces keep up already). Call it
   * before {@link #rotate()}: the rotation forces the segment it closes while appends wait for it,
   * and under {@code NONE} nothing had forced that segment before, so the rotation wrote all of it
   * back (155-200 ms per 256 MiB, at 1.75M appends/s client p99 140-220 ms against 20 ms under
   * {@code BATCH}).
   */
  public void forceWritten() throws IOException {
    if (policy == FsyncPolicy.NONE && unforced()) {
      force();
    }
  }

  /**
   * Makes every record queued so far durable in the current segment, then starts segment {@code
   * current + 1} for later records; returns the new segment's number. Blocks until done.
   */
  public long rotate() throws IOException {
    lock.lock();
    try {
      checkUsable();
      rotateRequested = true;
      work.signal();
      while (rotateRequested && failure == null) {
        rotated.awaitUninterruptibly();
      }
      if (failure != null) {
        throw new IOException("WAL rotation failed: " + failure.getMessage(), failure);
      }
      return segment;
    } finally {
      lock.unlock();
    }
  }

  /**
   * From now until {@link #writeHeld()}, this thread's appends queue their records without waking
   * the writer thread. Pair every call with {@link #writeHeld()} in a {@code finally}. Has no
   * effect under {@link FsyncPolicy#ALWAYS}, whose force stays on the writer thread.
   */
  public void holdWrites() {
    holding.get()[0] = true;
  }

  /**
   * Ends {@link #holdWrites()} and writes what is queued on this thread, completing those records
   * here (batch and none policies). If another thread is writing, this waits for that write and
   * then writes; only a rotation, a close or a failure hands the records to the writer thread.
   * Returns at once under {@link FsyncPolicy#ALWAYS}.
   *
   * <p>Waiting is the cheaper choice: handing held records to the writer thread whenever it was
   * busy made it the writer for good under a steady stream (each of its writes ended with the next
   * batch already queued), so every append paid a hand-off to it and another back to the event
   * loop, and the server ran at a third of its rate for up to a second after each checkpoint's
   * rotation.
   */
  public void writeHeld() {
    holding.get()[0] = false;
    if (policy == FsyncPolicy.ALWAYS) {
      return;
    }
    int length;
    lock.lock();
    try {
      // Never wait for a write this thread itself is doing: a completion it runs may append and
      // write again (a callback that starts the next request).
      while (writeInProgress
          && writingThread != Thread.currentThread()
          && !(rotateRequested || closing || failure != null)) {
        writeFinished.awaitUninterruptibly();
      }
      if (queue.isEmpty()) {
        return;
      }
      if (writeInProgress || rotateRequested || closing || failure != null) {
        unheldPending = true;
        work.signal();
        return;
      }
      writeInProgress = true;
      writingThread = Thread.currentThread();
      length = swapPending();
    } finally {
      lock.unlock();
    }
    try {
      write(length, queue.writingCount());
      complete(length);
      checkpointIfDue();
    } catch (IOException e) {
      fail(e);
    } finally {
      writeDone();
    }
  }

  /** Under the lock: the pending records become the ones being written; returns their length. */
  private int swapPending() {
    unheldPending = false;
    return queue.swap();
  }

  /** Ends a write: the other writer may start, and records queued meanwhile get their wake-up. */
  private void writeDone() {
    lock.lock();
    try {
      writeInProgress = false;
      writingThread = null;
      writeFinished.signalAll();
      if (unheldPending || closing || rotateRequested || failure != null) {
        work.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  private void checkpointIfDue() {
    if (!checkpointSignalled && bytesSinceCheckpoint > checkpointBytes) {
      checkpointSignalled = true;
      checkpointWanted.run();
    }
  }

  /**
   * Deletes every segment numbered below {@code firstKept}, gradually ({@link WalFormat#retire}):
   * call it from a background thread.
   */
  public void deleteSegmentsBefore(long firstKept) throws IOException {
    for (long number : WalFormat.segments(directory)) {
      if (number < firstKept) {
        WalFormat.retire(directory, number);
      }
    }
  }

  public long forces() {
    return forces;
  }

  public long forceNanosTotal() {
    return forceNanosTotal;
  }

  public long recordsForced() {
    return recordsForced;
  }

  public long bytesWritten() {
    return bytesWritten;
  }

  /** The open segment, for tests: whether its windows are prepared ahead of the writes. */
  WalSegmentFile segmentFile() {
    return file;
  }

  private void run() {
    while (true) {
      int length;
      boolean rotate;
      IOException forceFailed;
      lock.lock();
      try {
        while (failure == null
            && forceFailure == null
            && !windowWanted
            && (writeInProgress || (!unheldPending && !closing && !rotateRequested))) {
          work.awaitUninterruptibly();
        }
        if (failure != null) {
          // A holder's write failed and failed everything queued.
          return;
        }
        forceFailed = forceFailure;
        if (forceFailed == null
            && (writeInProgress || (!unheldPending && !closing && !rotateRequested))) {
          windowWanted = false;
          length = -1;
          rotate = false;
        } else if (forceFailed != null) {
          length = 0;
          rotate = false;
        } else {
          if (queue.isEmpty() && closing && !rotateRequested) {
            break;
          }
          writeInProgress = true;
          writingThread = Thread.currentThread();
          length = swapPending();
          rotate = rotateRequested;
        }
      } finally {
        lock.unlock();
      }
      if (forceFailed != null) {
        fail(forceFailed);
        return;
      }
      if (length < 0) {
        prepareWindow();
        continue;
      }
      try {
        if (length > 0) {
          write(length, queue.writingCount());
        }
        if (unforced() && (policy == FsyncPolicy.ALWAYS || rotate)) {
          force();
        }
        complete(length);
        if (rotate) {
          startNextSegment();
        } else {
          checkpointIfDue();
        }
      } catch (IOException e) {
        fail(e);
        return;
      } finally {
        writeDone();
      }
    }
    try {
      stopForcer();
      if (unforced() && policy != FsyncPolicy.NONE) {
        force();
      }
      file.close();
    } catch (IOException e) {
      fail(e);
    }
  }

  /** The batch forcer's force failed: the writer fails the log. */
  void forceFailed(IOException e) {
    lock.lock();
    try {
      forceFailure = e;
      work.signal();
    } finally {
      lock.unlock();
    }
  }

  private void stopForcer() {
    if (forcer != null) {
      forcer.stop();
    }
  }

  private void write(int length, int records) throws IOException {
    file.write(queue.writingBytes(), length);
    // Records before bytes, and force() reads them the other way round: a force never counts
    // fewer records than the bytes it covers hold.
    recordsWritten += records;
    bytesWritten += length;
    bytesSinceCheckpoint += length;
  }

  /** Whether bytes were written since the last force began. */
  boolean unforced() {
    return bytesWritten > forcedBytes;
  }

  /**
   * Forces the segment: everything written before the force starts is durable once it returns.
   * Counts the records and bytes it covers for the observer; a record whose bytes were written
   * while the force began may count with this force or the next, never with none.
   */
  void force() throws IOException {
    synchronized (channelLock) {
      long upTo = bytesWritten;
      long records = recordsWritten;
      long start = System.nanoTime();
      file.force();
      long nanos = System.nanoTime() - start;
      long bytes = Math.max(0, upTo - forcedBytes);
      int group = (int) Math.min(Integer.MAX_VALUE, Math.max(0, records - recordsForced));
      forcedBytes = Math.max(forcedBytes, upTo);
      recordsForced = Math.max(recordsForced, records);
      forces++;
      forceNanosTotal += nanos;
      observer.walForced(nanos, group, bytes);
    }
  }

  private void complete(int length) {
    queue.completeWriting();
    lock.lock();
    try {
      unfinishedBytes -= length;
    } finally {
      lock.unlock();
    }
  }

  private WalSegmentFile openSegment(Path directory, long segment) throws IOException {
    WalSegmentFile opened =
        new WalSegmentFile(
            WalFormat.createSegment(directory, segment),
            WalFormat.SEGMENT_HEADER_LENGTH,
            this::wantWindow);
    wantWindow();
    return opened;
  }

  /** Asks the writer thread to prepare the segment's next window. */
  private void wantWindow() {
    lock.lock();
    try {
      windowWanted = true;
      work.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writer thread, when it has nothing to write: prepares a step of the next window. A failure is
   * left for the write that needs the window, which maps it itself and fails the records.
   */
  private void prepareWindow() {
    boolean more;
    try {
      more = file.prepareAhead(PREPARE_STEP_BYTES);
    } catch (IOException e) {
      more = false;
    }
    if (more) {
      wantWindow();
    }
  }

  private void startNextSegment() throws IOException {
    synchronized (channelLock) {
      // The old segment is cut to its records and forced before the next one exists: recovery
      // accepts a zero tail in the last segment only.
      file.close();
      file = openSegment(directory, segment + 1);
    }
    lock.lock();
    try {
      segment++;
      bytesSinceCheckpoint = 0;
      checkpointSignalled = false;
      rotateRequested = false;
      rotated.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void fail(IOException e) {
    stopForcer();
    List<Completion> toFail = queue.takeWriting();
    lock.lock();
    try {
      failure = e;
      toFail.addAll(queue.takePending());
      unheldPending = false;
      writeFinished.signalAll();
      rotated.signalAll();
      work.signalAll();
    } finally {
      lock.unlock();
    }
    for (Completion completion : toFail) {
      completion.failed(e);
    }
  }

  /** Writes and forces what is queued, stops the writer thread and closes the segment. */
  @Override
  public void close() {
    lock.lock();
    try {
      closing = true;
      work.signal();
    } finally {
      lock.unlock();
    }
    try {
      writer.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (failure != null) {
      throw new UncheckedIOException("the WAL failed: " + failure.getMessage(), failure);
    }
  }
}
