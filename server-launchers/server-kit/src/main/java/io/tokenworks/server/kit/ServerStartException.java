package io.tokenworks.server.kit;

/**
 * A server could not start (the port is taken, the address is not local, ...). The message is one
 * line for a human, naming what failed and the setting to change.
 */
public final class ServerStartException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ServerStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
