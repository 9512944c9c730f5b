package io.tokenworks.server.kit;

import io.netty.channel.Channel;

/**
 * Hears about connections as {@link NettyServer} accepts, refuses, times out and closes them, for
 * metrics and logs. Called on the connection's event loop: implementations must be fast and must
 * not block or throw. Every method has an empty default.
 */
public interface ConnectionListener {

  ConnectionListener NONE = new ConnectionListener() {};

  /** A connection was accepted and its pipeline built. */
  default void accepted(Channel channel) {}

  /** A connection was refused (closed at once) because the server holds its maximum. */
  default void refused(Channel channel) {}

  /** An accepted connection sent nothing for the idle timeout and is being closed. */
  default void idleTimedOut(Channel channel) {}

  /** An accepted connection closed, for whatever reason. */
  default void closed(Channel channel) {}
}
