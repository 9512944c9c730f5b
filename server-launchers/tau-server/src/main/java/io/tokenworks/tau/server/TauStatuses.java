package io.tokenworks.tau.server;

import io.tokenworks.protocol.tau.TauOpcode;
import io.tokenworks.protocol.tau.TauStatus;
import io.tokenworks.tau.TauError;
import io.tokenworks.tau.TauException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** How engine failures become TAU status bytes. */
final class TauStatuses {

  private TauStatuses() {}

  /**
   * The status for an engine error answering {@code request}. A label that is taken by the other
   * namespace (if the engine reports it) is "already exists" for whatever was being created.
   */
  static TauStatus of(TauError error, TauOpcode request) {
    return switch (error) {
      case SERIES_NOT_FOUND -> TauStatus.SERIES_NOT_FOUND;
      case SERIES_ALREADY_EXISTS -> TauStatus.SERIES_ALREADY_EXISTS;
      case INVALID_ARGUMENT -> TauStatus.INVALID_PAYLOAD;
      case OUT_OF_ORDER -> TauStatus.OUT_OF_ORDER;
      case LENS_NOT_FOUND -> TauStatus.LENS_NOT_FOUND;
      case LENS_ALREADY_EXISTS -> TauStatus.LENS_ALREADY_EXISTS;
      case BUSY -> TauStatus.BUSY;
      case LIMIT_REACHED, STORAGE_FAILURE, CLOSED -> TauStatus.INTERNAL_ERROR;
      default -> ofNewer(error, request);
    };
  }

  /** Errors added to the engine after this mapping was written, matched by name. */
  private static TauStatus ofNewer(TauError error, TauOpcode request) {
    if (error.name().equals("LABEL_IN_USE")) {
      return request == TauOpcode.CREATE_SERIES
          ? TauStatus.SERIES_ALREADY_EXISTS
          : TauStatus.LENS_ALREADY_EXISTS;
    }
    return TauStatus.INTERNAL_ERROR;
  }

  /** The status for any failure of an engine call; unexpected ones are internal errors. */
  static TauStatus of(Throwable failure, TauOpcode request) {
    Throwable cause = unwrap(failure);
    if (cause instanceof TauException tau) {
      return of(tau.error(), request);
    }
    return TauStatus.INTERNAL_ERROR;
  }

  static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Whether a failure is an expected answer (not found, busy, ...) rather than a server fault. */
  static boolean isExpected(Throwable failure) {
    Throwable cause = unwrap(failure);
    return cause instanceof TauException tau
        && tau.error() != TauError.STORAGE_FAILURE
        && tau.error() != TauError.CLOSED;
  }
}
