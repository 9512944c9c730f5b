package io.tokenworks.protocol.latzero.block;

import java.time.Duration;
import java.util.Objects;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;

/**
 * Tuning of one {@link SharedBlock}.
 *
 * @param clock the wall clock lease expiries are measured against; every process sharing a block
 *     must use the same host clock, so only tests replace it
 * @param readTimeout how long a read waits for a stable seqlock before failing with {@link
 *     SharedBlockError#TIMEOUT}
 */
public record SharedBlockOptions(EpochClock clock, Duration readTimeout) {

  /** The system clock and a 5 s read timeout. */
  public static final SharedBlockOptions DEFAULTS =
      new SharedBlockOptions(SystemEpochClock.INSTANCE, Duration.ofSeconds(5));

  /**
   * @throws IllegalArgumentException when the read timeout is not positive
   */
  public SharedBlockOptions {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(readTimeout, "readTimeout");
    if (readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("readTimeout=" + readTimeout + " must be positive");
    }
  }

  public SharedBlockOptions withClock(EpochClock clock) {
    return new SharedBlockOptions(clock, readTimeout);
  }

  public SharedBlockOptions withReadTimeout(Duration readTimeout) {
    return new SharedBlockOptions(clock, readTimeout);
  }
}
