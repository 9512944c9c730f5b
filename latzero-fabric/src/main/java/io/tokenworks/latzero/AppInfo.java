package io.tokenworks.latzero;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An app the fabric knows, live or not: the admin view.
 *
 * @param live whether it has a session now
 * @param registeredMs when it first registered (epoch ms)
 * @param lastSeenMs when it last handshook or disconnected (epoch ms)
 * @param rehydrated whether its latest session was a rehydration
 */
public record AppInfo(
    String appId,
    boolean live,
    List<String> pools,
    List<String> triggers,
    JsonNode metadata,
    String protocolVersion,
    long registeredMs,
    long lastSeenMs,
    boolean rehydrated) {

  public AppInfo {
    pools = List.copyOf(pools);
    triggers = List.copyOf(triggers);
  }
}
