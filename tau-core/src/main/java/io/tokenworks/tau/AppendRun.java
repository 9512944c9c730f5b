package io.tokenworks.tau;

/**
 * Consecutive single-point appends to one series, handed over together with {@link
 * TauEngine#append(Label, AppendRun)}: the outcome is the one appending each point in turn would
 * have, at the cost of one command, one WAL record and one settlement for the lot. A server reading
 * a pipelined client's APPEND frames submits each read's run of frames for one series this way.
 *
 * <p>Each point is accepted or refused on its own: a point whose timestamp is not after the series'
 * last point (counting the run's points accepted before it) is refused with {@link
 * #outOfOrder(int)}, and the others go on. Then {@link #appended(Throwable)} is called exactly
 * once: with {@code null} when every point not refused is durable under the fsync policy and
 * visible to readers, or with the failure (BUSY, LIMIT_REACHED, SERIES_NOT_FOUND, STORAGE_FAILURE,
 * CLOSED) when none of them was appended. Points refused as out of order keep that outcome either
 * way.
 *
 * <p>The engine reads the points on the series' actor thread, before it settles the run, and never
 * after; {@link #outOfOrder(int)} is called there too, and happens-before {@link
 * #appended(Throwable)} wherever that runs.
 */
public interface AppendRun extends AppendCallback {

  /** How many points the run holds. */
  int size();

  long timestamp(int index);

  /** Bit-exact, as for a single append. */
  double value(int index);

  /** Point {@code index} was refused: its timestamp was not after the series' last point. */
  void outOfOrder(int index);
}
