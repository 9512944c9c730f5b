package io.tokenworks.latzero.memory;

import java.util.Objects;

/**
 * Who acts: the app id the block permissions name, and the session (connection) attachments, locks
 * and subscriptions belong to.
 */
public record Caller(String appId, String sessionId) {
  public Caller {
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(sessionId, "sessionId");
  }
}
