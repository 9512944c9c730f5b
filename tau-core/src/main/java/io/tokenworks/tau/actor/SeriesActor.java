package io.tokenworks.tau.actor;

import io.tokenworks.tau.Label;
import io.tokenworks.tau.TauError;
import io.tokenworks.tau.TauException;
import io.tokenworks.tau.TauObserver;
import io.tokenworks.tau.storage.Block;
import io.tokenworks.tau.storage.SeriesData;
import io.tokenworks.tau.storage.SeriesStore;
import io.tokenworks.tau.storage.Wal;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The single writer of one series. Senders {@link #offer} commands into a bounded mailbox; the
 * first offer into an idle actor starts a turn, which drains a bounded number of commands and ends.
 * With {@code callerRuns} that first sender runs the turn itself, saving the wake-up of a worker
 * (the thread hand-offs, not the work, dominated the latency of a pipelined append on 2 cores), and
 * commands a turn leaves behind go to the next sender, a worker only picking them up if none comes;
 * otherwise turns run on the worker pool. No thread polls: an idle actor costs nothing.
 */
public final class SeriesActor implements Runnable {

  private static final int COMMANDS_PER_TURN = 256;

  private final long id;
  private final Label label;
  private final SeriesData data;
  private final SeriesStore store;
  private final Wal wal;
  private final Executor workers;
  private final boolean callerRuns;
  private final Health health;
  private final TauObserver observer;
  private final LongAdder pointsAppended;
  private final LongAdder chunksSealed;
  private final ManyToOneConcurrentArrayQueue<Command> mailbox;
  private final int mailboxCapacity;
  private final AtomicInteger queuedWrites = new AtomicInteger();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable resume = this::resumeIfIdle;
  private boolean closed;
  private long[] headTimestamps;
  private double[] headValues;

  /** The points of the run being appended that were not refused; the WAL copies them. */
  private long[] runTimestamps = new long[64];

  private double[] runValues = new double[64];

  public SeriesActor(
      long id,
      Label label,
      SeriesData data,
      SeriesStore store,
      Wal wal,
      Executor workers,
      boolean callerRuns,
      int mailboxCapacity,
      Health health,
      TauObserver observer,
      LongAdder pointsAppended,
      LongAdder chunksSealed) {
    this.id = id;
    this.label = label;
    this.data = data;
    this.store = store;
    this.wal = wal;
    this.workers = workers;
    this.callerRuns = callerRuns;
    this.health = health;
    this.observer = observer;
    this.pointsAppended = pointsAppended;
    this.chunksSealed = chunksSealed;
    this.mailboxCapacity = mailboxCapacity;
    // Twice the room: appends stop at mailboxCapacity (BUSY), so checkpoint and close commands, and
    // the few
    // appends that race past the size check, always find a slot.
    this.mailbox = new ManyToOneConcurrentArrayQueue<>(2 * mailboxCapacity);
  }

  public long id() {
    return id;
  }

  public Label label() {
    return label;
  }

  /** The series' points, for lock-free reads. */
  public SeriesData data() {
    return data;
  }

  /** Deletes the series' files; call after a {@link Command.Close} completed. */
  public void deleteFiles() throws IOException {
    if (store != null) {
      store.delete();
    }
  }

  /** Messages waiting now. */
  public int queueDepth() {
    return mailbox.size();
  }

  /**
   * Queues a write; false when {@code mailboxCapacity} commands wait already (the caller answers
   * BUSY).
   */
  public boolean offer(Command command) {
    if (callerRuns && mailbox.isEmpty() && scheduled.compareAndSet(false, true)) {
      // Idle with nothing queued: this sender's command starts the turn without a trip through
      // the mailbox (its count, its slot), then the turn goes on with whatever arrived meanwhile.
      handle(command);
      run();
      return true;
    }
    // An exact count, not mailbox.size(): size() may read a stale head and refuse a sender that is
    // within
    // its limit.
    if (queuedWrites.incrementAndGet() > mailboxCapacity) {
      queuedWrites.decrementAndGet();
      return false;
    }
    if (!offerControl(command)) {
      queuedWrites.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Queues a checkpoint or close, which may use the room above {@code mailboxCapacity}. */
  public boolean offerControl(Command command) {
    if (!mailbox.offer(command)) {
      return false;
    }
    if (scheduled.compareAndSet(false, true)) {
      if (callerRuns) {
        run();
      } else {
        submit();
      }
    }
    return true;
  }

  /** Starts a turn on the worker pool unless one is running or scheduled. */
  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      submit();
    }
  }

  private void submit() {
    try {
      workers.execute(this);
    } catch (RejectedExecutionException e) {
      scheduled.set(false);
      mailbox.drain(command -> command.fail(new TauException(TauError.CLOSED, "engine closed")));
    }
  }

  @Override
  public void run() {
    // poll() one at a time rather than drain(): drain frees the slots only at the end of its batch,
    // so a
    // sender whose earlier request completed inside the batch could find the mailbox full.
    Command command;
    for (int i = 0; i < COMMANDS_PER_TURN && (command = mailbox.poll()) != null; i++) {
      if (command instanceof Command.Write) {
        queuedWrites.decrementAndGet();
      }
      handle(command);
    }
    scheduled.set(false);
    // A sender may have offered after the drain but seen scheduled == true: look again.
    if (!mailbox.isEmpty()) {
      if (callerRuns) {
        resumeLater();
      } else {
        schedule();
      }
    }
  }

  /**
   * Leaves the commands still queued to whichever comes first: the next sender, which runs them in
   * its own turn, or a worker. Taking them to a worker at once would keep the series there: while a
   * pipelined client keeps appending, a worker always finds more, and every append then pays the
   * hand-offs caller-runs avoids (worker, WAL writer, event loop). That happened whenever another
   * thread ran a turn — a checkpoint's command, offered from the checkpoint thread, ran the appends
   * queued behind it there and handed the rest to the pool; at 1.1M appends/s the server then ran
   * at half its rate for a few hundred milliseconds.
   */
  private void resumeLater() {
    try {
      workers.execute(resume);
    } catch (RejectedExecutionException e) {
      schedule(); // closing: the turn fails what is left
    }
  }

  private void resumeIfIdle() {
    if (!mailbox.isEmpty() && scheduled.compareAndSet(false, true)) {
      run();
    }
  }

  private void handle(Command command) {
    try {
      if (closed) {
        command.fail(notFound());
        return;
      }
      if (command instanceof Command.Append append) {
        append(append);
      } else if (command instanceof Command.AppendRun run) {
        appendRun(run);
      } else if (command instanceof Command.AppendBatch batch) {
        appendBatch(batch);
      } else if (command instanceof Command.Checkpoint checkpoint) {
        checkpoint(checkpoint);
      } else if (command instanceof Command.Stored stored) {
        data.stored(stored.blocks(), stored.chunks());
        stored.done().complete(null);
      } else if (command instanceof Command.Close close) {
        closed = true;
        data.release();
        close.done().complete(null);
      }
    } catch (RuntimeException e) {
      command.fail(e);
    }
  }

  private void append(Command.Append append) {
    append.handledBy(this);
    if (!accepts(append, append.timestamp()) || !hasRoom(append, 1)) {
      return;
    }
    if (!log(append, append.timestamp(), append.value(), null, null, 1)) {
      return;
    }
    if (data.append(append.timestamp(), append.value())) {
      seal();
    }
    append.applied();
  }

  private void appendBatch(Command.AppendBatch batch) {
    batch.handledBy(this);
    long[] timestamps = batch.timestamps();
    double[] values = batch.values();
    int count = batch.count();
    if (!accepts(batch, timestamps[0])) {
      return;
    }
    if (!data.acceptsBatch(timestamps, 0, count)) {
      batch.fail(outOfOrder(timestamps[0]));
      return;
    }
    if (!hasRoom(batch, count)) {
      return;
    }
    if (!log(batch, 0, 0, timestamps, values, count)) {
      return;
    }
    for (int i = 0; i < count; i++) {
      if (data.append(timestamps[i], values[i])) {
        seal();
      }
    }
    batch.applied();
  }

  /**
   * Refuses the run's points that are not after the point before them, then appends the others as
   * one write: one room check, one WAL record (a lone point extends the open record, as a single
   * append does), one settlement.
   */
  private void appendRun(Command.AppendRun command) {
    command.handledBy(this);
    if (health.failed()) {
      command.fail(health.exception());
      return;
    }
    io.tokenworks.tau.AppendRun run = command.run();
    int size = run.size();
    if (runTimestamps.length < size) {
      runTimestamps = new long[Math.max(size, 2 * runTimestamps.length)];
      runValues = new double[runTimestamps.length];
    }
    int accepted = 0;
    for (int i = 0; i < size; i++) {
      long timestamp = run.timestamp(i);
      if (accepted == 0
          ? data.acceptsTimestamp(timestamp)
          : timestamp > runTimestamps[accepted - 1]) {
        runTimestamps[accepted] = timestamp;
        runValues[accepted++] = run.value(i);
      } else {
        run.outOfOrder(i);
      }
    }
    command.accepted(accepted);
    if (accepted == 0) {
      command.written();
      command.applied();
      return;
    }
    if (!hasRoom(command, accepted)) {
      return;
    }
    boolean logged =
        accepted == 1
            ? log(command, runTimestamps[0], runValues[0], null, null, 1)
            : log(command, 0, 0, runTimestamps, runValues, accepted);
    if (!logged) {
      return;
    }
    for (int i = 0; i < accepted; i++) {
      if (data.append(runTimestamps[i], runValues[i])) {
        seal();
      }
    }
    command.applied();
  }

  /** Whether an append starting at {@code timestamp} may go ahead; otherwise fails it. */
  private boolean accepts(Command.Write write, long timestamp) {
    if (health.failed()) {
      write.fail(health.exception());
      return false;
    }
    if (!data.acceptsTimestamp(timestamp)) {
      write.fail(outOfOrder(timestamp));
      return false;
    }
    return true;
  }

  /**
   * Whether memory for {@code points} more points could be found; otherwise fails the write before
   * anything was logged, so a refused append leaves no trace.
   */
  private boolean hasRoom(Command.Write write, int points) {
    try {
      data.ensureRoom(points);
      return true;
    } catch (TauException e) {
      write.fail(e);
      return false;
    }
  }

  /**
   * Queues the WAL record of one point ({@code timestamps == null}) or of a batch. Returns false,
   * having failed the write (BUSY or STORAGE_FAILURE), when nothing was queued.
   */
  private boolean log(
      Command.Write write,
      long timestamp,
      double value,
      long[] timestamps,
      double[] values,
      int count) {
    if (wal == null) {
      write.written();
      return true;
    }
    try {
      boolean queued =
          timestamps == null
              ? wal.append(id, timestamp, value, write)
              : wal.append(id, timestamps, values, 0, count, write);
      if (!queued) {
        busy(write);
      }
      return queued;
    } catch (IOException e) {
      storageFailed(write, e);
      return false;
    }
  }

  private void seal() {
    Block sealed = data.sealHead();
    chunksSealed.increment();
    if (store != null) {
      store.addSealed(sealed);
    }
    observer.chunkSealed(sealed.count(), 0);
  }

  private void checkpoint(Command.Checkpoint checkpoint) {
    if (store != null) {
      if (headTimestamps == null) {
        headTimestamps = new long[data.chunkPoints()];
        headValues = new double[data.chunkPoints()];
      }
      int n = data.copyHead(headTimestamps, headValues);
      checkpoint
          .work()
          .add(
              new Command.CheckpointShare(
                  this, store.prepareCheckpoint(headTimestamps, headValues, n)));
    }
    checkpoint.done().complete(null);
  }

  /** A write's points were acknowledged. */
  void appended(int points) {
    pointsAppended.add(points);
  }

  void storageFailed(Command.Write write, IOException e) {
    health.fail("the WAL failed: " + e.getMessage());
    write.fail(health.exception());
  }

  private void busy(Command.Write write) {
    observer.busy();
    write.fail(
        new TauException(TauError.BUSY, "too many WAL bytes waiting for their force; retry"));
  }

  private TauException notFound() {
    return new TauException(TauError.SERIES_NOT_FOUND, "series " + label + " was dropped");
  }

  private TauException outOfOrder(long timestamp) {
    return new TauException(
        TauError.OUT_OF_ORDER,
        "timestamp " + timestamp + " is not after the last point of series " + label);
  }
}
