package io.tokenworks.latzero.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenworks.latzero.AppInfo;
import io.tokenworks.latzero.FabricStatus;
import io.tokenworks.latzero.pool.PoolInfo;
import io.tokenworks.latzero.security.TripleKey;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * How fabric objects look on the wire (snake_case, epoch-millisecond times). A pool's security data
 * (its key verifiers) is never sent.
 */
final class Views {

  private Views() {}

  static void pool(JsonGenerator json, PoolInfo pool) throws IOException {
    json.writeStartObject();
    poolFields(json, pool);
    json.writeEndObject();
  }

  /**
   * A pool just created: for an encrypted pool, with {@code keys} ({@code sigil_key}, {@code
   * cipher_shard}, {@code oblivion_seal}), sent this once and never again.
   */
  static void createdPool(JsonGenerator json, PoolInfo pool) throws IOException {
    json.writeStartObject();
    poolFields(json, pool);
    if (pool.issuedKeys().isPresent()) {
      TripleKey keys = pool.issuedKeys().get();
      json.writeObjectFieldStart("keys");
      json.writeStringField("sigil_key", keys.sigil().toHex());
      json.writeStringField("cipher_shard", keys.cipher().toHex());
      json.writeStringField("oblivion_seal", keys.oblivion().toHex());
      json.writeEndObject();
    }
    json.writeEndObject();
  }

  private static void poolFields(JsonGenerator json, PoolInfo pool) throws IOException {
    json.writeStringField("name", pool.name());
    json.writeStringField("type", pool.type().wireName());
    json.writeBooleanField("encrypted", pool.encrypted());
    json.writeObjectFieldStart("policies");
    for (Map.Entry<String, List<String>> policy : pool.policies().toMap().entrySet()) {
      Frames.writeStrings(json, policy.getKey(), policy.getValue());
    }
    json.writeEndObject();
    Frames.writeStrings(json, "owners", pool.owners());
    json.writeStringField("description", pool.description());
    json.writeNumberField("created", pool.createdMs());
    json.writeNumberField("updated", pool.updatedMs());
    Frames.writeStrings(json, "members", pool.members());
    Frames.writeStrings(json, "live_members", pool.liveMembers());
  }

  static void app(JsonGenerator json, AppInfo app, ObjectMapper mapper) throws IOException {
    json.writeStartObject();
    json.writeStringField("app_id", app.appId());
    json.writeBooleanField("live", app.live());
    Frames.writeStrings(json, "pools", app.pools());
    Frames.writeStrings(json, "triggers", app.triggers());
    json.writeFieldName("metadata");
    mapper.writeTree(json, app.metadata());
    json.writeStringField("protocol_version", app.protocolVersion());
    json.writeNumberField("registered", app.registeredMs());
    json.writeNumberField("last_seen", app.lastSeenMs());
    json.writeBooleanField("rehydrated", app.rehydrated());
    json.writeEndObject();
  }

  static void status(JsonGenerator json, FabricStatus status) throws IOException {
    json.writeStartObject();
    json.writeNumberField("pools", status.pools());
    json.writeNumberField("known_apps", status.knownApps());
    json.writeNumberField("live_sessions", status.liveSessions());
    json.writeNumberField("outstanding_calls", status.outstandingCalls());
    json.writeNumberField("calls_accepted", status.callsAccepted());
    json.writeNumberField("calls_rejected", status.callsRejected());
    json.writeNumberField("calls_succeeded", status.callsSucceeded());
    json.writeNumberField("calls_failed_by_handler", status.callsFailedByHandler());
    json.writeNumberField("calls_timed_out", status.callsTimedOut());
    json.writeNumberField("calls_handler_gone", status.callsHandlerGone());
    json.writeNumberField("emits_delivered", status.emitsDelivered());
    json.writeNumberField("delivery_failures", status.deliveryFailures());
    json.writeNumberField("storage_failures", status.storageFailures());
    json.writeNumberField("backups", status.backups());
    json.writeEndObject();
  }
}
