package io.tokenworks.latzero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an app sends to join the fabric. Build one with {@link #builder(String)}; the fabric checks
 * it in {@link LatZeroFabric#handshake}.
 *
 * @param appId the app's id (see {@link Names})
 * @param pools the pools to join; empty means not given, which is {@code ["default"]} for a fresh
 *     registration and "the stored pools" for a rehydration
 * @param triggers the trigger names this app handles (calls and emits)
 * @param metadata free-form JSON kept with the app (never {@code null})
 * @param rehydrate ask to restore the app's stored pools and triggers. A handshake with no triggers
 *     from an app the fabric knows is a rehydration too (upstream's rule, kept for its clients)
 * @param protocolVersion the client's protocol version, stored; may be {@code null}
 * @param credentials per pool, the credentials handed to the {@link
 *     io.tokenworks.latzero.pool.PoolAccessPolicy} when joining an encrypted pool (for example
 *     {@code {"secure": {"sigil_key": "<hex>"}}}); never stored
 */
public record Handshake(
    String appId,
    List<String> pools,
    List<String> triggers,
    JsonNode metadata,
    boolean rehydrate,
    String protocolVersion,
    Map<String, Map<String, String>> credentials) {

  /** More pools than this in one handshake is a {@link FabricError#HANDSHAKE_ERROR}. */
  public static final int MAX_POOLS = 256;

  /** More triggers than this in one handshake is a {@link FabricError#HANDSHAKE_ERROR}. */
  public static final int MAX_TRIGGERS = 4096;

  public Handshake {
    // Copied without List.copyOf, which throws on null elements: a null name must reach the
    // fabric's check and come back as a HANDSHAKE_ERROR, not a NullPointerException.
    pools = pools == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(pools));
    triggers =
        triggers == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(triggers));
    metadata =
        metadata == null || metadata.isNull() ? JsonNodeFactory.instance.objectNode() : metadata;
    Map<String, Map<String, String>> copied = new LinkedHashMap<>();
    if (credentials != null) {
      credentials.forEach(
          (pool, values) -> {
            if (pool != null && values != null) {
              copied.put(pool, withoutNulls(values));
            }
          });
    }
    credentials = Map.copyOf(copied);
  }

  /** Credentials parsed from JSON may hold nulls, which {@link Map#copyOf} refuses. */
  private static Map<String, String> withoutNulls(Map<String, String> values) {
    Map<String, String> kept = new LinkedHashMap<>();
    values.forEach(
        (key, value) -> {
          if (key != null && value != null) {
            kept.put(key, value);
          }
        });
    return Map.copyOf(kept);
  }

  public static Builder builder(String appId) {
    return new Builder(appId);
  }

  /** Fluent construction of a {@link Handshake}. */
  public static final class Builder {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final String appId;
    private final List<String> pools = new ArrayList<>();
    private final List<String> triggers = new ArrayList<>();
    private final Map<String, Map<String, String>> credentials = new LinkedHashMap<>();
    private JsonNode metadata;
    private boolean rehydrate;
    private String protocolVersion;

    private Builder(String appId) {
      this.appId = appId;
    }

    public Builder pools(String... names) {
      pools.addAll(List.of(names));
      return this;
    }

    public Builder pools(List<String> names) {
      pools.addAll(names);
      return this;
    }

    public Builder triggers(String... names) {
      triggers.addAll(List.of(names));
      return this;
    }

    public Builder triggers(List<String> names) {
      triggers.addAll(names);
      return this;
    }

    public Builder metadata(JsonNode value) {
      this.metadata = value;
      return this;
    }

    /** Metadata given as a map, converted to JSON. */
    public Builder metadata(Map<String, ?> value) {
      this.metadata = MAPPER.valueToTree(value);
      return this;
    }

    public Builder rehydrate(boolean value) {
      this.rehydrate = value;
      return this;
    }

    public Builder protocolVersion(String value) {
      this.protocolVersion = value;
      return this;
    }

    /** Credentials for joining {@code pool} when it is encrypted. */
    public Builder credentials(String pool, Map<String, String> values) {
      credentials.put(Objects.requireNonNull(pool, "pool"), withoutNulls(values));
      return this;
    }

    public Handshake build() {
      return new Handshake(
          appId, pools, triggers, metadata, rehydrate, protocolVersion, credentials);
    }
  }
}
