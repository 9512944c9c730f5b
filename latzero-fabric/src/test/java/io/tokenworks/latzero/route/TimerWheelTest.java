package io.tokenworks.latzero.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimerWheelTest {

  private static final class Entry extends WheelEntry {
    boolean pending = true;

    Entry(long deadlineMs) {
      super(deadlineMs);
    }

    @Override
    boolean isPending() {
      return pending;
    }
  }

  private final List<WheelEntry> expired = new ArrayList<>();

  @Test
  void entryExpiresAtItsDeadlineAndNotBefore() {
    TimerWheel wheel = new TimerWheel(16, 1_000);
    Entry entry = new Entry(1_005);
    wheel.add(entry);

    assertThat(wheel.expire(1_004, expired::add)).isZero();
    assertThat(wheel.expire(1_005, expired::add)).isEqualTo(1);

    assertThat(expired).containsExactly(entry);
    assertThat(wheel.size()).isZero();
  }

  @Test
  void removedEntryNeverExpires() {
    TimerWheel wheel = new TimerWheel(16, 0);
    Entry first = new Entry(3);
    Entry second = new Entry(3);
    Entry third = new Entry(3);
    wheel.add(first);
    wheel.add(second);
    wheel.add(third);

    wheel.remove(second); // middle of the slot's list
    wheel.remove(third); // head of the slot's list
    wheel.remove(third); // twice is harmless
    wheel.expire(10, expired::add);

    assertThat(expired).containsExactly(first);
  }

  @Test
  void entryDueInALaterRevolutionStaysUntilThen() {
    TimerWheel wheel = new TimerWheel(16, 0);
    Entry late = new Entry(37); // same slot as 5 and 21
    wheel.add(late);

    wheel.expire(5, expired::add);
    wheel.expire(21, expired::add);
    assertThat(expired).isEmpty();

    wheel.expire(37, expired::add);
    assertThat(expired).containsExactly(late);
  }

  @Test
  void entryAddedAfterItsDeadlineExpiresOnTheNextTick() {
    TimerWheel wheel = new TimerWheel(16, 0);
    wheel.expire(100, expired::add);
    Entry overdue = new Entry(50);
    wheel.add(overdue);

    wheel.remove(overdue);
    wheel.add(overdue);
    wheel.expire(101, expired::add);

    assertThat(expired).containsExactly(overdue);
  }

  @Test
  void entryAddedAfterItsDeadlineExpiresOnTheNextTickEvenWhenTheClockStandsStill() {
    TimerWheel wheel = new TimerWheel(16, 0);
    wheel.expire(100, expired::add);
    Entry overdue = new Entry(60);
    Entry removed = new Entry(70);
    Entry onTime = new Entry(105);
    wheel.add(overdue);
    wheel.add(removed);
    wheel.add(onTime);
    wheel.remove(removed);

    assertThat(wheel.expire(100, expired::add)).isEqualTo(1);
    assertThat(expired).containsExactly(overdue);
    assertThat(wheel.size()).isEqualTo(1);
    wheel.expire(105, expired::add);
    assertThat(expired).containsExactly(overdue, onTime);
  }

  @Test
  void jumpOfSeveralRevolutionsExpiresEverythingDue() {
    TimerWheel wheel = new TimerWheel(16, 0);
    List<Entry> entries = new ArrayList<>();
    for (long deadline = 1; deadline <= 40; deadline++) {
      Entry entry = new Entry(deadline);
      entries.add(entry);
      wheel.add(entry);
    }

    wheel.expire(30, expired::add);

    assertThat(expired).hasSize(30).containsAll(entries.subList(0, 30));
    assertThat(wheel.size()).isEqualTo(10);
    wheel.expire(40, expired::add);
    assertThat(expired).hasSize(40);
  }

  @Test
  void deadlineThreadSkipsFinishedEntriesAndTakesOutCancelledOnes() {
    long[] now = {0};
    List<WheelEntry> fired = new ArrayList<>();
    DeadlineTimer timer = new DeadlineTimer("test-deadlines", () -> now[0], fired::add);
    timer.close(); // drive ticks by hand, on this thread
    Entry finishedBeforeScheduling = new Entry(5);
    Entry cancelledAfterScheduling = new Entry(5);
    Entry due = new Entry(5);
    finishedBeforeScheduling.pending = false;
    timer.schedule(finishedBeforeScheduling);
    timer.schedule(cancelledAfterScheduling);
    timer.schedule(due);
    timer.tick();
    cancelledAfterScheduling.pending = false;
    timer.cancel(cancelledAfterScheduling);
    timer.cancel(finishedBeforeScheduling);

    now[0] = 10;
    timer.tick();

    assertThat(fired).containsExactly(due);
  }
}
