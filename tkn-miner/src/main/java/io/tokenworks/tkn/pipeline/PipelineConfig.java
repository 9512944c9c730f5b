package io.tokenworks.tkn.pipeline;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link TokenPipelines} batch, bound and retry. {@link #defaults()} gives every value; the
 * {@code with...} methods change one. Validated on construction ({@code name=value} messages).
 *
 * @param maxBatchPairs pairs (edges) per write at most. Default 1000: upstream wrote 500 per
 *     transaction; a few thousand UNWIND rows per transaction is where Bolt round trips stop
 *     mattering and transactions are still small enough to retry cheaply.
 * @param maxBatchDelay the longest a token waits for its batch to start when fewer than {@code
 *     maxBatchPairs} are queued. Default 100 ms: a quiet session reaches the graph within a blink,
 *     while a busy one fills batches long before.
 * @param highWatermark tokens queued (waiting or being written) per session at which the session
 *     asks its producer to pause. Default 65,536: 64 full batches, about 1 MiB per session at three
 *     symbols a token, which rides out a second-long commit stall at tens of thousands of tokens/s.
 * @param lowWatermark the producer is resumed when the queue is back at or below this. Default
 *     32,768 (half): far enough from the high mark that pause and resume do not flap per batch.
 * @param retryInitialBackoff the wait before the first retry of a transient failure. Default 50 ms,
 *     longer than a deadlock resolution or a leader switch takes.
 * @param retryMaxBackoff the cap of the doubling backoff. Default 5 s: a restarting database is
 *     noticed within seconds without a thousand sessions hammering it.
 * @param writerThreads threads writing batches, shared by all sessions. Default 2: a graph database
 *     gains little from more concurrent writers to the same nodes, and the sink blocks on I/O.
 * @param closeTimeout how long {@link TokenPipelines#close()} waits for sessions to drain before it
 *     fails them with the count of tokens not written. Default 30 s.
 */
public record PipelineConfig(
    int maxBatchPairs,
    Duration maxBatchDelay,
    int highWatermark,
    int lowWatermark,
    Duration retryInitialBackoff,
    Duration retryMaxBackoff,
    int writerThreads,
    Duration closeTimeout) {

  public PipelineConfig {
    Objects.requireNonNull(maxBatchDelay, "maxBatchDelay");
    Objects.requireNonNull(retryInitialBackoff, "retryInitialBackoff");
    Objects.requireNonNull(retryMaxBackoff, "retryMaxBackoff");
    Objects.requireNonNull(closeTimeout, "closeTimeout");
    require(maxBatchPairs >= 1, "maxBatchPairs", maxBatchPairs, "at least 1");
    require(!maxBatchDelay.isNegative(), "maxBatchDelay", maxBatchDelay, "not negative");
    require(highWatermark >= 1, "highWatermark", highWatermark, "at least 1");
    require(
        lowWatermark >= 0 && lowWatermark < highWatermark,
        "lowWatermark",
        lowWatermark,
        "in [0, highWatermark=" + highWatermark + ")");
    require(
        !retryInitialBackoff.isNegative() && !retryInitialBackoff.isZero(),
        "retryInitialBackoff",
        retryInitialBackoff,
        "positive");
    require(
        retryMaxBackoff.compareTo(retryInitialBackoff) >= 0,
        "retryMaxBackoff",
        retryMaxBackoff,
        "at least retryInitialBackoff=" + retryInitialBackoff);
    require(writerThreads >= 1, "writerThreads", writerThreads, "at least 1");
    require(!closeTimeout.isNegative(), "closeTimeout", closeTimeout, "not negative");
  }

  private static void require(boolean ok, String name, Object value, String expected) {
    if (!ok) {
      throw new IllegalArgumentException(name + "=" + value + " must be " + expected);
    }
  }

  /** The defaults described on each component. */
  public static PipelineConfig defaults() {
    return new PipelineConfig(
        1000,
        Duration.ofMillis(100),
        65_536,
        32_768,
        Duration.ofMillis(50),
        Duration.ofSeconds(5),
        2,
        Duration.ofSeconds(30));
  }

  public PipelineConfig withMaxBatchPairs(int value) {
    return new PipelineConfig(
        value,
        maxBatchDelay,
        highWatermark,
        lowWatermark,
        retryInitialBackoff,
        retryMaxBackoff,
        writerThreads,
        closeTimeout);
  }

  public PipelineConfig withMaxBatchDelay(Duration value) {
    return new PipelineConfig(
        maxBatchPairs,
        value,
        highWatermark,
        lowWatermark,
        retryInitialBackoff,
        retryMaxBackoff,
        writerThreads,
        closeTimeout);
  }

  /** Both watermarks at once, since each bounds the other. */
  public PipelineConfig withWatermarks(int high, int low) {
    return new PipelineConfig(
        maxBatchPairs,
        maxBatchDelay,
        high,
        low,
        retryInitialBackoff,
        retryMaxBackoff,
        writerThreads,
        closeTimeout);
  }

  /** Both backoff bounds at once, since each bounds the other. */
  public PipelineConfig withRetryBackoff(Duration initial, Duration max) {
    return new PipelineConfig(
        maxBatchPairs,
        maxBatchDelay,
        highWatermark,
        lowWatermark,
        initial,
        max,
        writerThreads,
        closeTimeout);
  }

  public PipelineConfig withWriterThreads(int value) {
    return new PipelineConfig(
        maxBatchPairs,
        maxBatchDelay,
        highWatermark,
        lowWatermark,
        retryInitialBackoff,
        retryMaxBackoff,
        value,
        closeTimeout);
  }

  public PipelineConfig withCloseTimeout(Duration value) {
    return new PipelineConfig(
        maxBatchPairs,
        maxBatchDelay,
        highWatermark,
        lowWatermark,
        retryInitialBackoff,
        retryMaxBackoff,
        writerThreads,
        value);
  }

  /**
   * The wait before retry number {@code attempt} (1-based): the initial backoff doubled per
   * attempt, capped, then drawn uniformly from its upper half so sessions failing together retry
   * apart.
   */
  long retryDelayNanos(long attempt, double random) {
    long initial = retryInitialBackoff.toNanos();
    long max = retryMaxBackoff.toNanos();
    int doublings = (int) Math.min(attempt - 1, 62);
    long delay = initial > (max >> doublings) ? max : Math.min(max, initial << doublings);
    return delay / 2 + (long) ((delay - delay / 2) * random);
  }
}
