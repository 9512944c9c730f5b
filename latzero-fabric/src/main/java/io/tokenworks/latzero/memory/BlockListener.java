package io.tokenworks.latzero.memory;

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
}
