package io.tokenworks.tau;

/**
 * Learns the outcome of an append made with {@link TauEngine#append(Label, long, double,
 * AppendCallback)}: called exactly once, with {@code null} when the point is durable under the
 * fsync policy and visible to readers, or with the failure (a {@link TauException} naming a {@link
 * TauError}). It runs on whichever engine or caller thread settles the append, so it must be quick
 * and must not block.
 */
@FunctionalInterface
public interface AppendCallback {

  void appended(Throwable failure);
}
