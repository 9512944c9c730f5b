package io.tokenworks.tau;

/**
 * Receives engine events for metrics, on the engine's own threads: implementations must be fast and
 * must not throw or block. Every method has an empty default.
 */
public interface TauObserver {

  /** No-op observer. */
  TauObserver NONE = new TauObserver() {};

  /**
   * One force of the WAL finished: it took {@code nanos} and made {@code records} records durable.
   */
  default void walForced(long nanos, int records, long bytes) {}

  /** A series sealed a chunk of {@code points} points into {@code compressedBytes} bytes. */
  default void chunkSealed(int points, int compressedBytes) {}

  /** A request was refused with {@link TauError#BUSY}. */
  default void busy() {}
}
