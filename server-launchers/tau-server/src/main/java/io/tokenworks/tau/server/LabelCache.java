package io.tokenworks.tau.server;

import io.tokenworks.tau.Label;
import org.agrona.DirectBuffer;

/**
 * A small direct-mapped cache from the 32 label bytes of a frame to the engine's {@link Label}, one
 * per connection, so a client that keeps writing to the same few series does not allocate a label
 * per request.
 */
final class LabelCache {

  private static final int SLOTS = 16;

  private final Label[] slots = new Label[SLOTS];
  private final byte[] scratch = new byte[Label.LENGTH];

  Label get(DirectBuffer buffer, int offset) {
    long hash = 0;
    for (int i = 0; i < Label.LENGTH; i += 8) {
      hash = hash * 0x9E3779B97F4A7C15L + buffer.getLong(offset + i);
    }
    int slot = (int) (hash ^ (hash >>> 32) ^ (hash >>> 47)) & (SLOTS - 1);
    Label cached = slots[slot];
    if (cached != null && matches(cached, buffer, offset)) {
      return cached;
    }
    buffer.getBytes(offset, scratch);
    Label label = Label.ofBytes(scratch);
    slots[slot] = label;
    return label;
  }

  private static boolean matches(Label label, DirectBuffer buffer, int offset) {
    for (int i = 0; i < Label.LENGTH; i++) {
      if (label.byteAt(i) != buffer.getByte(offset + i)) {
        return false;
      }
    }
    return true;
  }
}
