package io.tokenworks.latzero.server;

/**
 * A request the server refuses before or instead of asking the fabric, answered with one error
 * frame carrying {@link #code()}. An answer, not a fault: no stack trace.
 */
final class WireException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A field is missing or has the wrong type or range. */
  static final String VALIDATION_ERROR = "VALIDATION_ERROR";

  /** A body that is not a message: bad UTF-8, bad JSON, not an object, no string type. */
  static final String MESSAGE_PARSING_ERROR = "MESSAGE_PARSING_ERROR";

  /** A length prefix over max-frame. */
  static final String FRAME_TOO_LARGE = "FRAME_TOO_LARGE";

  static final String UNKNOWN_MESSAGE_TYPE = "UNKNOWN_MESSAGE_TYPE";
  static final String HANDSHAKE_REQUIRED = "HANDSHAKE_REQUIRED";

  /** The connection did not read what the server had for it and was closed. */
  static final String SERVER_BUSY = "SERVER_BUSY";

  /** A bug in the server: logged, and answered so the client does not wait forever. */
  static final String INTERNAL_ERROR = "INTERNAL_ERROR";

  private final String code;

  WireException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  static WireException invalid(String message) {
    return new WireException(VALIDATION_ERROR, message);
  }

  String code() {
    return code;
  }
}
