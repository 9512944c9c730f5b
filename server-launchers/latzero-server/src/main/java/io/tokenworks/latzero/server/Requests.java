package io.tokenworks.latzero.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenworks.latzero.CallRequest;
import io.tokenworks.latzero.FabricError;
import io.tokenworks.latzero.FabricException;
import io.tokenworks.latzero.FabricResult;
import io.tokenworks.latzero.FabricSession;
import io.tokenworks.latzero.Handshake;
import io.tokenworks.latzero.server.LatZeroMetrics.Outcome;
import io.tokenworks.protocol.latzero.LatZeroMessageResult.Message;

/**
 * Maps the messages of one connection to its fabric session: handshake, trigger (a call), response
 * and error (a handler's answer), emit and ping here; admin and memory operations through {@link
 * AdminRequests} and {@link MemoryRequests}, off the event loop. Every request that fails gets
 * exactly one error frame. Event loop only.
 */
final class Requests {

  private final LatZeroConnection connection;
  private final ServerContext server;
  private final AdminRequests admin;
  private final MemoryRequests memory;
  private FabricSession session;
  private SessionDelivery delivery;

  Requests(LatZeroConnection connection, ServerContext server) {
    this.connection = connection;
    this.server = server;
    this.memory = new MemoryRequests(connection, server);
    this.admin = new AdminRequests(connection, server, memory);
  }

  void handle(Message message) {
    ObjectNode json = message.json();
    String type = message.type();
    String id = Wire.requestId(json);
    if (!"admin".equals(type) && json.has("operation") && json.has("block_id")) {
      // Upstream's test client sends memory creates as type "shared" (a duplicate key).
      type = "memory";
    }
    server.metrics().message(type);
    try {
      dispatch(type, json, id);
    } catch (WireException e) {
      error(id, e.code(), e.getMessage());
    } catch (FabricException e) {
      error(id, e.error().wireName(), e.getMessage());
    }
  }

  private void dispatch(String type, ObjectNode json, String id) {
    if (!isKnown(type)) {
      throw new WireException(
          WireException.UNKNOWN_MESSAGE_TYPE, "unknown message type: " + clip(type));
    }
    if (type.equals("handshake")) {
      handshake(json, id);
      return;
    }
    if (session == null) {
      throw new WireException(
          WireException.HANDSHAKE_REQUIRED, "send a handshake before a " + type + " message");
    }
    switch (type) {
      case "trigger" -> call(json, id);
      case "response" -> answer(json, false);
      case "error" -> answer(json, true);
      case "emit" -> emit(json, id);
      case "ping" -> connection.reply(server.frames().pong(connection.alloc(), id));
      case "admin" -> {
        FabricSession current = session;
        connection.offload(() -> admin.handle(current, json, id), id);
      }
      case "memory" -> {
        FabricSession current = session;
        connection.offload(() -> memory.handle(current, json, id), id);
      }
      default -> throw new IllegalStateException("type " + type);
    }
  }

  private static boolean isKnown(String type) {
    return switch (type) {
      case "handshake", "trigger", "response", "error", "emit", "ping", "admin", "memory" -> true;
      default -> false;
    };
  }

  private void handshake(ObjectNode json, String id) {
    String appId = Wire.text(json, "app_id");
    Handshake handshake =
        new Handshake(
            appId,
            Wire.strings(json, "pools"),
            Wire.strings(json, "triggers"),
            Wire.field(json, "metadata"),
            Wire.bool(json, "rehydrate", false),
            Wire.text(json, "protocol_version"),
            Wire.credentials(json));
    checkAdminToken(appId, Wire.text(json, "admin_token"));
    SessionDelivery previous = delivery;
    FabricSession old = session;
    if (previous != null) {
      // The fabric replaces a session of the same app id and says so to the old delivery.
      previous.retiring(true);
    }
    SessionDelivery next = new SessionDelivery(connection, server.frames(), server.metrics());
    FabricSession opened;
    try {
      opened = server.fabric().handshake(handshake, next);
    } catch (RuntimeException e) {
      if (previous != null) {
        previous.retiring(false);
      }
      throw e;
    }
    session = opened;
    delivery = next;
    if (old != null) {
      old.close();
      abandon(previous);
    }
    connection.reply(
        server
            .frames()
            .handshakeAck(
                connection.alloc(),
                id,
                opened.appId(),
                opened.pools(),
                opened.triggers(),
                opened.rehydrated()));
  }

  /** The reserved admin app id needs this run's token, presented from this host. */
  private void checkAdminToken(String appId, String token) {
    boolean adminId = LatZeroServer.ADMIN_APP_ID.equals(appId);
    if (token == null && !adminId) {
      return;
    }
    if (!adminId) {
      throw WireException.invalid(
          "admin_token is only for app_id " + LatZeroServer.ADMIN_APP_ID + ", not " + appId);
    }
    if (!connection.fromThisHost() || !server.adminToken().matches(token)) {
      throw new FabricException(
          FabricError.ACCESS_DENIED,
          "app_id "
              + appId
              + " needs the token in <data-dir>/"
              + AdminToken.FILE_NAME
              + ", presented from this host");
    }
  }

  /** Calls a replaced session made will never get an outcome from the fabric: answer them. */
  private void abandon(SessionDelivery replaced) {
    for (String callId : replaced.endAll()) {
      server.metrics().call(Outcome.REJECTED, 0);
      replaced.pushOrClose(
          connection.errorFrame(
              callId,
              FabricError.SESSION_CLOSED.wireName(),
              "the connection handshook again before the call had an outcome"));
    }
  }

  private void call(ObjectNode json, String id) {
    JsonNode idNode = json.get("id");
    if (idNode == null
        || !idNode.isTextual()
        || id.isEmpty()
        || id.length() > Wire.MAX_CALL_ID_LENGTH) {
      throw WireException.invalid(
          "a trigger needs an id: a string of 1-" + Wire.MAX_CALL_ID_LENGTH + " characters");
    }
    String trigger = Wire.requiredText(json, "trigger", "process");
    JsonNode payload = Wire.payload(json, true);
    String pool = Wire.textOr(json, "pool", CallRequest.DEFAULT_POOL);
    String destination = Wire.text(json, "destination");
    long ttlMs = Wire.integer(json, "ttl", CallRequest.DEFAULT_TTL, 1, Long.MAX_VALUE);
    if (!delivery.begin(id, System.nanoTime())) {
      server.metrics().call(Outcome.REJECTED, 0);
      error(
          id,
          FabricError.DUPLICATE_CALL_ID.wireName(),
          "a call with id " + id + " is outstanding already");
      return;
    }
    FabricResult result =
        session.call(new CallRequest(id, pool, trigger, destination, payload, ttlMs));
    if (!result.isOk() && delivery.end(id) >= 0) {
      server.metrics().call(Outcome.REJECTED, 0);
      error(id, result.error().wireName(), result.message());
    }
  }

  /** A handler's answer: {@code response} (status success/ok or error) or {@code error}. */
  private void answer(ObjectNode json, boolean errorType) {
    JsonNode reference = Wire.field(json, "in_reply_to", "correlation_id");
    String inReplyTo = Wire.scalarText(reference);
    if (inReplyTo == null) {
      throw WireException.invalid(
          "a " + (errorType ? "error" : "response") + " needs in_reply_to: the trigger's id");
    }
    long dispatchId;
    try {
      dispatchId = Long.parseLong(inReplyTo);
    } catch (NumberFormatException e) {
      error(
          inReplyTo,
          FabricError.UNKNOWN_CALL.wireName(),
          "in_reply_to=" + clip(inReplyTo) + " names no call dispatched to this connection");
      return;
    }
    FabricResult result;
    if (errorType || isFailure(json)) {
      result = session.replyError(dispatchId, Wire.errorText(json.get("error")));
    } else {
      JsonNode value = Wire.field(json, "result", "response");
      result = session.reply(dispatchId, value == null ? NullNode.getInstance() : value);
    }
    if (!result.isOk()) {
      error(inReplyTo, result.error().wireName(), result.message());
    }
  }

  private static boolean isFailure(ObjectNode json) {
    JsonNode status = json.get("status");
    if (status == null || status.isNull()) {
      return json.hasNonNull("error") && !json.has("result") && !json.has("response");
    }
    String text = status.isTextual() ? status.textValue() : "";
    return switch (text) {
      case "success", "ok" -> false;
      case "error" -> true;
      default -> throw WireException.invalid("status must be success, ok or error");
    };
  }

  private void emit(ObjectNode json, String id) {
    String trigger = Wire.requiredText(json, "trigger", "process");
    JsonNode payload = Wire.payload(json, false);
    String pool = Wire.textOr(json, "pool", CallRequest.DEFAULT_POOL);
    FabricResult result = session.emit(pool, trigger, payload);
    if (!result.isOk()) {
      error(id, result.error().wireName(), result.message());
    }
  }

  private void error(String inReplyTo, String code, String message) {
    connection.reply(connection.errorFrame(inReplyTo, code, message));
  }

  /** The connection closed: unbind the session, so calls dispatched to it fail at once. */
  void connectionClosed() {
    if (session != null) {
      delivery.endAll();
      session.close();
    }
  }

  boolean isCurrent(SessionDelivery candidate) {
    return candidate == delivery;
  }

  String appId() {
    return session == null ? "(no handshake)" : session.appId();
  }

  /** Peer-chosen text in a message, cut short so a hostile value cannot bloat the reply. */
  static String clip(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "...";
  }
}
