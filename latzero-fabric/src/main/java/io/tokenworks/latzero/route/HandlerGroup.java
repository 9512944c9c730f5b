package io.tokenworks.latzero.route;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live handlers of one (pool, trigger), in binding order, with the round-robin cursor of that
 * pair (upstream keyed its cursor by the wrong trigger). The array is replaced, never changed, so
 * readers need no lock; only the router's binding lock writes it.
 */
final class HandlerGroup {

  private static final Endpoint[] NONE = new Endpoint[0];

  private final AtomicLong cursor = new AtomicLong();
  private volatile Endpoint[] handlers = NONE;

  Endpoint[] handlers() {
    return handlers;
  }

  /** The next handler in turn, or {@code null} when there is none. */
  Endpoint next() {
    Endpoint[] current = handlers;
    if (current.length == 0) {
      return null;
    }
    long turn = cursor.getAndIncrement() & Long.MAX_VALUE;
    return current[(int) (turn % current.length)];
  }

  void add(Endpoint endpoint) {
    Endpoint[] current = handlers;
    Endpoint[] grown = Arrays.copyOf(current, current.length + 1);
    grown[current.length] = endpoint;
    handlers = grown;
  }

  /**
   * @return whether the group is now empty
   */
  boolean remove(Endpoint endpoint) {
    Endpoint[] current = handlers;
    int at = -1;
    for (int i = 0; i < current.length; i++) {
      if (current[i] == endpoint) {
        at = i;
        break;
      }
    }
    if (at >= 0) {
      Endpoint[] shrunk = new Endpoint[current.length - 1];
      System.arraycopy(current, 0, shrunk, 0, at);
      System.arraycopy(current, at + 1, shrunk, at, current.length - at - 1);
      handlers = shrunk;
    }
    return handlers.length == 0;
  }
}
