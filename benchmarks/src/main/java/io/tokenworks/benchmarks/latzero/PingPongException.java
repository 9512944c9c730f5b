package io.tokenworks.benchmarks.latzero;

/** Why a ping-pong run, or its echo process, stopped before it was done. */
final class PingPongException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The kinds of failure, each with its own exit code. */
  enum Failure {
    /** A missing, unknown or out-of-range command-line option. */
    USAGE(2),
    /** The other process exited, or was never there. */
    PEER_GONE(3),
    /** The other process stayed alive but did not answer within the timeout. */
    TIMEOUT(4),
    /** The echo returned another sequence number than the one sent. */
    WRONG_ECHO(5),
    /** The echo process could not be started. */
    SPAWN_FAILED(6);

    private final int exitCode;

    Failure(int exitCode) {
      this.exitCode = exitCode;
    }

    /** The process exit code that reports this failure. */
    int exitCode() {
      return exitCode;
    }
  }

  private final Failure failure;

  PingPongException(Failure failure, String message) {
    super(message);
    this.failure = failure;
  }

  PingPongException(Failure failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = failure;
  }

  Failure failure() {
    return failure;
  }
}
