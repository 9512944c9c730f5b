package io.tokenworks.protocol.latzero.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenworks.protocol.latzero.LatZeroMessageResult;

/**
 * Routes what the reader receives: answers to their requests (by {@code in_reply_to}, or upstream's
 * {@code correlation_id}), calls to the trigger handlers, events to their listeners. Runs on the
 * reader thread and hands every user callback to the handler executor.
 */
final class Dispatcher implements ClientConnection.Listener {

  private final LatZeroClient client;

  Dispatcher(LatZeroClient client) {
    this.client = client;
  }

  @Override
  public void onMessage(LatZeroMessageResult.Message message) {
    ObjectNode json = message.json();
    switch (message.type()) {
      case "trigger" ->
          client
              .handlers()
              .onTrigger(
                  new TriggerRequest(
                      text(json, "id"),
                      text(json, "call_id"),
                      text(json, "origin"),
                      text(json, "pool"),
                      text(json, "trigger"),
                      payload(json),
                      json.path("ttl").asLong(0)));
      case "emit" ->
          client
              .handlers()
              .onEmit(
                  new Emitted(
                      text(json, "origin"),
                      text(json, "pool"),
                      first(json, "trigger", "process"),
                      payload(json)));
      case "memory_update" ->
          client
              .remoteMemory()
              .onEvent(
                  new BlockEvent(
                      text(json, "pool"),
                      text(json, "block"),
                      true,
                      json.path("version").asLong(-1),
                      text(json, "writer"),
                      NullNode.getInstance()));
      case "memory_notify" ->
          client
              .remoteMemory()
              .onEvent(
                  new BlockEvent(
                      text(json, "pool"),
                      text(json, "block"),
                      false,
                      -1,
                      text(json, "origin"),
                      payload(json)));
      case "error" -> onError(json);
      default -> {
        String id = first(json, "in_reply_to", "correlation_id");
        if (id != null) {
          client.requests().answer(id, json);
        }
      }
    }
  }

  private void onError(ObjectNode json) {
    LatZeroClientException error = Requests.errorOf(json);
    String id = first(json, "in_reply_to", "correlation_id");
    if (id == null) {
      // A connection-level error (bad frame, overflow, shutdown): the close that follows says so.
      client.requests().serverReason(error);
      client.handlers().onUnmatchedError(error);
    } else if (!client.requests().fail(id, error)) {
      client.handlers().onUnmatchedError(error);
    }
  }

  @Override
  public void onClosed(LatZeroClientException reason) {
    client.requests().closed(reason);
  }

  private static JsonNode payload(ObjectNode json) {
    JsonNode payload = json.get("payload");
    if (payload == null) {
      payload = json.get("data");
    }
    return payload == null ? NullNode.getInstance() : payload;
  }

  private static String text(ObjectNode json, String field) {
    JsonNode node = json.get(field);
    return node == null || node.isNull() ? null : node.asText();
  }

  private static String first(ObjectNode json, String field, String alias) {
    String value = text(json, field);
    return value != null ? value : text(json, alias);
  }
}
