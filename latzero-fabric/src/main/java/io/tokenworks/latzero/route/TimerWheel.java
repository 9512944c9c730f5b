package io.tokenworks.latzero.route;

import java.util.function.Consumer;

/**
 * A hashed timer wheel with 1 ms ticks: slot {@code deadline & mask} holds, as an intrusive doubly
 * linked list, every entry due in that millisecond of any revolution. Adding and removing are O(1);
 * each tick walks one slot and expires the entries whose deadline has come, leaving those of later
 * revolutions. Single-threaded: only the deadline thread uses it.
 *
 * <p>An entry added after the tick of its deadline was walked waits in a list of its own that the
 * next {@link #expire} empties whatever time it is given: put into the slot walked next, it waited
 * for the clock to reach that slot, which a clock that stands still (a test's) never did.
 */
final class TimerWheel {

  /** The {@code slot} of an entry in the overdue list. */
  private static final int OVERDUE = -1;

  private final WheelEntry[] slots;
  private final int mask;
  private long cursorMs;
  private int size;
  private WheelEntry overdue;

  /**
   * @param slotCount a power of two; one revolution lasts that many milliseconds
   * @param nowMs the time of the first tick
   */
  TimerWheel(int slotCount, long nowMs) {
    if (Integer.bitCount(slotCount) != 1) {
      throw new IllegalArgumentException("slotCount=" + slotCount + " must be a power of two");
    }
    this.slots = new WheelEntry[slotCount];
    this.mask = slotCount - 1;
    this.cursorMs = nowMs;
  }

  /** Adds an entry; one whose deadline was walked already expires at the next {@link #expire}. */
  void add(WheelEntry entry) {
    int slot = entry.deadlineMs < cursorMs ? OVERDUE : (int) (entry.deadlineMs & mask);
    WheelEntry head = slot == OVERDUE ? overdue : slots[slot];
    entry.previous = null;
    entry.next = head;
    if (head != null) {
      head.previous = entry;
    }
    if (slot == OVERDUE) {
      overdue = entry;
    } else {
      slots[slot] = entry;
    }
    entry.slot = slot;
    entry.inWheel = true;
    size++;
  }

  /** Takes an entry out; does nothing when it is not in the wheel. */
  void remove(WheelEntry entry) {
    if (!entry.inWheel) {
      return;
    }
    if (entry.previous != null) {
      entry.previous.next = entry.next;
    } else if (entry.slot == OVERDUE) {
      overdue = entry.next;
    } else {
      slots[entry.slot] = entry.next;
    }
    if (entry.next != null) {
      entry.next.previous = entry.previous;
    }
    entry.previous = null;
    entry.next = null;
    entry.inWheel = false;
    size--;
  }

  /**
   * Walks the slots from the last tick up to {@code nowMs}, removing every entry due by then and
   * handing it to {@code onExpired}, after every overdue entry. When more than a revolution has
   * passed, each slot is walked once.
   *
   * @return how many entries expired
   */
  int expire(long nowMs, Consumer<WheelEntry> onExpired) {
    int expired = 0;
    while (overdue != null) {
      WheelEntry entry = overdue;
      remove(entry);
      onExpired.accept(entry);
      expired++;
    }
    if (nowMs < cursorMs) {
      return expired;
    }
    long lastMs = Math.min(nowMs, cursorMs + slots.length - 1);
    for (long tickMs = cursorMs; tickMs <= lastMs; tickMs++) {
      WheelEntry entry = slots[(int) (tickMs & mask)];
      while (entry != null) {
        WheelEntry following = entry.next;
        if (entry.deadlineMs - nowMs <= 0) {
          remove(entry);
          onExpired.accept(entry);
          expired++;
        }
        entry = following;
      }
    }
    cursorMs = nowMs + 1;
    return expired;
  }

  int size() {
    return size;
  }
}
