package io.tokenworks.latzero.memory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.EpochClock;

/** A wall clock that moves only when a test says so. */
final class ManualClock implements EpochClock {

  private final AtomicLong nowMs = new AtomicLong(1_700_000_000_000L);

  @Override
  public long time() {
    return nowMs.get();
  }

  void advance(Duration duration) {
    nowMs.addAndGet(duration.toMillis());
  }
}
