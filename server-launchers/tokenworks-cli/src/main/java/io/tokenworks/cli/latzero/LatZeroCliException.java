package io.tokenworks.cli.latzero;

/**
 * A {@code latzero status} or {@code stop} that cannot do its job: the message is one line for a
 * human (what failed and, where there is one, how to fix it); the command prints it and exits 1.
 */
final class LatZeroCliException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  LatZeroCliException(String message) {
    super(message, null, false, false);
  }
}
