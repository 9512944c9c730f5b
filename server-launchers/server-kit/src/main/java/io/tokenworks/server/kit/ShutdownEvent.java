package io.tokenworks.server.kit;

/**
 * Fired down every connection's pipeline when {@link NettyServer#close()} starts a graceful
 * shutdown. A protocol handler that has replies in flight consumes it, stops reading, and closes
 * the channel once those replies are written; if no handler consumes it, the server's last handler
 * closes the channel after flushing.
 */
public final class ShutdownEvent {

  public static final ShutdownEvent INSTANCE = new ShutdownEvent();

  private ShutdownEvent() {}

  @Override
  public String toString() {
    return "ShutdownEvent";
  }
}
