package io.tokenworks.latzero.route;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that owns a {@link TimerWheel}. Other threads never touch the wheel: they push entries
 * onto one of two lock-free stacks (to schedule, to cancel), which the thread drains every tick
 * before expiring what is due. Both stacks are intrusive, so neither costs an allocation.
 *
 * <p>An entry may be cancelled before the thread has seen it scheduled, or finish before it is put
 * into the wheel; both are harmless: the wheel skips entries that are no longer pending, and
 * removing an entry that is not in the wheel does nothing. Since a cancel is pushed only after the
 * entry stopped being pending, and the thread drains schedules before cancels, an entry the thread
 * put into the wheel is always taken out by the cancel that follows.
 */
final class DeadlineTimer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DeadlineTimer.class);
  private static final int SLOTS = 4096;
  private static final long BUSY_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(10);

  private final AtomicReference<WheelEntry> scheduled = new AtomicReference<>();
  private final AtomicReference<WheelEntry> cancelled = new AtomicReference<>();
  private final LongSupplier clockMs;
  private final Consumer<WheelEntry> onExpired;
  private final TimerWheel wheel;
  private final Thread thread;
  private volatile boolean running = true;

  DeadlineTimer(String threadName, LongSupplier clockMs, Consumer<WheelEntry> onExpired) {
    this.clockMs = clockMs;
    this.onExpired = onExpired;
    this.wheel = new TimerWheel(SLOTS, clockMs.getAsLong());
    this.thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  void schedule(WheelEntry entry) {
    WheelEntry head;
    do {
      head = scheduled.get();
      entry.nextScheduled = head;
    } while (!scheduled.compareAndSet(head, entry));
  }

  void cancel(WheelEntry entry) {
    WheelEntry head;
    do {
      head = cancelled.get();
      entry.nextCancelled = head;
    } while (!cancelled.compareAndSet(head, entry));
  }

  private void run() {
    while (running) {
      try {
        tick();
      } catch (RuntimeException e) {
        LOG.error("deadline thread {} failed a tick", thread.getName(), e);
      }
      LockSupport.parkNanos(wheel.size() == 0 ? IDLE_PARK_NS : BUSY_PARK_NS);
    }
  }

  /** One round: schedules, cancels, then expiry. Runs on the deadline thread only. */
  void tick() {
    for (WheelEntry entry = scheduled.getAndSet(null); entry != null; ) {
      WheelEntry following = entry.nextScheduled;
      entry.nextScheduled = null;
      if (entry.isPending()) {
        wheel.add(entry);
      }
      entry = following;
    }
    for (WheelEntry entry = cancelled.getAndSet(null); entry != null; ) {
      WheelEntry following = entry.nextCancelled;
      entry.nextCancelled = null;
      wheel.remove(entry);
      entry = following;
    }
    wheel.expire(clockMs.getAsLong(), onExpired);
  }

  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
