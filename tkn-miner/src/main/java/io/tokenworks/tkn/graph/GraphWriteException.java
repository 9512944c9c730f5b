package io.tokenworks.tkn.graph;

/**
 * A {@link GraphSink} could not write a batch. Nothing of the batch is visible when this is thrown
 * (a sink writes a batch in one transaction), so the batch may be written again.
 */
public final class GraphWriteException extends Exception {

  private static final long serialVersionUID = 1L;

  private final boolean transientFailure;

  public GraphWriteException(String message, Throwable cause, boolean transientFailure) {
    super(message, cause);
    this.transientFailure = transientFailure;
  }

  public GraphWriteException(String message, boolean transientFailure) {
    this(message, null, transientFailure);
  }

  /**
   * True when the same write may succeed later without any change (database restarting, network
   * down, deadlock, leader switch): the caller should retry. False when retrying cannot help (bad
   * credentials, bad statement, constraint broken by other data).
   */
  public boolean transientFailure() {
    return transientFailure;
  }
}
