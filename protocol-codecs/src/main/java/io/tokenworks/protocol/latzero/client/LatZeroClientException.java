package io.tokenworks.protocol.latzero.client;

import java.util.Objects;

/**
 * A {@link LatZeroClient} request failed. {@link #code()} is the server's {@code error_code} when
 * the server answered with an error frame (e.g. {@code TIMEOUT}, {@code HANDLER_GONE}, {@code
 * HANDLER_ERROR}, {@code OVERLOADED}, {@code ACCESS_DENIED}, {@code BLOCK_NOT_FOUND}), or one of
 * the client's own codes below.
 */
public final class LatZeroClientException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The connection closed (or never opened) before the answer came. */
  public static final String CONNECTION_CLOSED = "CONNECTION_CLOSED";

  /** A blocking request waited longer than the client's request timeout. */
  public static final String CLIENT_TIMEOUT = "CLIENT_TIMEOUT";

  /**
   * The client already has its maximum of requests awaiting an answer ({@link
   * LatZeroClientOptions.Builder#maxOutstanding}); nothing was sent.
   */
  public static final String OVERLOADED = "OVERLOADED";

  /** The server sent something that breaks the protocol; the client closed. */
  public static final String PROTOCOL_ERROR = "PROTOCOL_ERROR";

  /** {@link RemoteMemory#openShared} found no block file at the server's path on this host. */
  public static final String NOT_LOCAL = "NOT_LOCAL";

  private final String code;

  public LatZeroClientException(String code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  public LatZeroClientException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** The stable error code: the server's {@code error_code} or a client code of this class. */
  public String code() {
    return code;
  }

  @Override
  public String toString() {
    return "LatZeroClientException[" + code + "]: " + getMessage();
  }
}
