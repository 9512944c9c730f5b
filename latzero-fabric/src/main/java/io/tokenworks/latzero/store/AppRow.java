package io.tokenworks.latzero.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * One {@code app_registry} row: an app the fabric has seen, with the pools it belongs to (from
 * {@code pool_members}) and the triggers it handles.
 *
 * @param registeredMs when the app first registered (epoch ms); kept across later registrations
 * @param lastSeenMs when the app last handshook or disconnected (epoch ms)
 * @param rehydrated whether its latest session was a rehydration
 */
public record AppRow(
    String appId,
    List<String> pools,
    List<String> triggers,
    JsonNode metadata,
    String protocolVersion,
    long registeredMs,
    long lastSeenMs,
    boolean rehydrated) {

  public AppRow {
    Objects.requireNonNull(appId, "appId");
    pools = List.copyOf(pools);
    triggers = List.copyOf(triggers);
    Objects.requireNonNull(metadata, "metadata");
  }
}
