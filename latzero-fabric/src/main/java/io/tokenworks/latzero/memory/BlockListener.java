package io.tokenworks.latzero.memory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Told about writes made through a {@link BlockManager} to a block it subscribed to. Called on the
 * writer's thread after the write completed and after the manager released its own locks; keep it
 * short and non-blocking (hand the event to a queue). An exception it throws is logged and does not
 * affect the write or the other listeners. Writes a process makes directly through a mapping of the
 * file are not reported: watch {@code SharedBlock#contentVersion()} for those.
 */
@FunctionalInterface
public interface BlockListener {
  void onWrite(BlockWriteEvent event);

  /**
   * Someone {@linkplain BlockManager#notify notified} the block's subscribers without writing:
   * {@code payload} is theirs to interpret. Same threading rules as {@link #onWrite}.
   */
  default void onNotify(String pool, String block, String originAppId, JsonNode payload) {}
}
