package io.tokenworks.protocol.latzero.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A push about a block this client subscribed to: a write ({@link #isUpdate()}: {@code version} and
 * {@code appId} = the writer) or a notify ({@code payload} and {@code appId} = the notifier, {@code
 * version} -1).
 */
public record BlockEvent(
    String pool, String block, boolean isUpdate, long version, String appId, JsonNode payload) {

  /** {@code "<pool>:<block>"}. */
  public String blockId() {
    return pool + ":" + block;
  }
}
