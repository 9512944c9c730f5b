package io.tokenworks.tau.storage;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread that forces the {@link Wal} under {@link io.tokenworks.tau.FsyncPolicy#BATCH}: at
 * every interval it forces what was written since the last force. Records were completed when
 * written; this bounds how much a power failure can take. It runs at the lowest priority, so its
 * wake-ups never preempt the threads that answer requests.
 */
final class WalBatchForcer {

  private final Wal wal;
  private final long intervalNanos;
  private final Thread thread;
  private volatile boolean stopping;

  WalBatchForcer(Wal wal, long intervalNanos) {
    this.wal = wal;
    this.intervalNanos = intervalNanos;
    this.thread = new Thread(this::run, "tau-wal-forcer");
    this.thread.setDaemon(true);
    this.thread.setPriority(Thread.MIN_PRIORITY);
  }

  void start() {
    thread.start();
  }

  /**
   * Stops the thread and waits (up to 30 s) for a force under way. Calling it again is harmless.
   */
  void stop() {
    stopping = true;
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    while (!stopping) {
      LockSupport.parkNanos(this, intervalNanos);
      if (!wal.unforced() || stopping) {
        continue;
      }
      try {
        wal.force();
      } catch (IOException e) {
        wal.forceFailed(e);
        return;
      }
    }
  }
}
