package io.tokenworks.latzero.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rows to and from SQL. JSON columns that do not parse (upstream had a "sanitize" pass for them)
 * are read as empty and logged once per row, so one damaged value never stops the fabric from
 * starting.
 */
final class Rows {

  private static final Logger LOG = LoggerFactory.getLogger(Rows.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Rows() {}

  static void upsertApp(Connection connection, AppRow app) throws SQLException {
    try (PreparedStatement upsert =
        connection.prepareStatement(
            "INSERT INTO app_registry(app_id, pools, triggers, meta, protocol_version,"
                + " registered, last_seen, rehydrated) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT(app_id) DO UPDATE SET pools = excluded.pools,"
                + " triggers = excluded.triggers, meta = excluded.meta,"
                + " protocol_version = excluded.protocol_version,"
                + " last_seen = excluded.last_seen, rehydrated = excluded.rehydrated")) {
      upsert.setString(1, app.appId());
      upsert.setString(2, write(strings(app.pools())));
      upsert.setString(3, write(strings(app.triggers())));
      upsert.setString(4, write(app.metadata()));
      upsert.setString(5, app.protocolVersion());
      upsert.setLong(6, app.registeredMs());
      upsert.setLong(7, app.lastSeenMs());
      upsert.setInt(8, app.rehydrated() ? 1 : 0);
      upsert.executeUpdate();
    }
    String pools = write(strings(app.pools()));
    try (PreparedStatement leave =
        connection.prepareStatement(
            "DELETE FROM pool_members WHERE app_id = ?"
                + " AND pool NOT IN (SELECT value FROM json_each(?))")) {
      leave.setString(1, app.appId());
      leave.setString(2, pools);
      leave.executeUpdate();
    }
    try (PreparedStatement join =
        connection.prepareStatement(
            "INSERT OR IGNORE INTO pool_members(pool, app_id, joined) VALUES (?, ?, ?)")) {
      for (String pool : app.pools()) {
        join.setString(1, pool);
        join.setString(2, app.appId());
        join.setLong(3, app.lastSeenMs());
        join.addBatch();
      }
      join.executeBatch();
    }
  }

  static List<AppRow> readApps(Connection connection) throws SQLException {
    Map<String, List<String>> membership = new LinkedHashMap<>();
    try (PreparedStatement select =
            connection.prepareStatement(
                "SELECT app_id, pool FROM pool_members ORDER BY joined, pool");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        membership
            .computeIfAbsent(rows.getString(1), id -> new ArrayList<>())
            .add(rows.getString(2));
      }
    }
    List<AppRow> apps = new ArrayList<>();
    try (PreparedStatement select =
            connection.prepareStatement(
                "SELECT app_id, triggers, meta, protocol_version, registered, last_seen,"
                    + " rehydrated, pools FROM app_registry ORDER BY app_id");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        String appId = rows.getString(1);
        String where = "app_registry row app_id=" + appId;
        apps.add(
            new AppRow(
                appId,
                ordered(
                    membership.getOrDefault(appId, List.of()),
                    stringList(rows.getString(8), where + " column pools")),
                stringList(rows.getString(2), where + " column triggers"),
                object(rows.getString(3), where + " column meta"),
                rows.getString(4),
                rows.getLong(5),
                rows.getLong(6),
                rows.getInt(7) != 0));
      }
    }
    return apps;
  }

  /**
   * The pools of {@code pool_members}, which decides membership, in the order of the app's {@code
   * pools} column, which keeps the order the app named them in.
   */
  private static List<String> ordered(List<String> members, List<String> named) {
    List<String> pools = new ArrayList<>(members.size());
    for (String pool : named) {
      if (members.contains(pool) && !pools.contains(pool)) {
        pools.add(pool);
      }
    }
    for (String pool : members) {
      if (!pools.contains(pool)) {
        pools.add(pool);
      }
    }
    return pools;
  }

  static void upsertPool(Connection connection, PoolRow pool) throws SQLException {
    try (PreparedStatement upsert =
        connection.prepareStatement(
            "INSERT INTO pool_metadata(name, type, encrypted, owners, policies, description,"
                + " created, updated, config) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT(name) DO UPDATE SET type = excluded.type,"
                + " encrypted = excluded.encrypted, owners = excluded.owners,"
                + " policies = excluded.policies, description = excluded.description,"
                + " updated = excluded.updated, config = excluded.config")) {
      ObjectNode policies = NODES.objectNode();
      pool.policies().forEach((name, apps) -> policies.set(name, strings(apps)));
      ObjectNode config = NODES.objectNode();
      config.put("name", pool.name());
      config.put("type", pool.type());
      config.put("encrypted", pool.encrypted());
      config.set("owners", strings(pool.owners()));
      config.set("policies", policies);
      config.put("description", pool.description());
      config.put("security", pool.securityBlob());
      upsert.setString(1, pool.name());
      upsert.setString(2, pool.type());
      upsert.setInt(3, pool.encrypted() ? 1 : 0);
      upsert.setString(4, write(strings(pool.owners())));
      upsert.setString(5, write(policies));
      upsert.setString(6, pool.description());
      upsert.setLong(7, pool.createdMs());
      upsert.setLong(8, pool.updatedMs());
      upsert.setString(9, write(config));
      upsert.executeUpdate();
    }
  }

  static List<PoolRow> readPools(Connection connection) throws SQLException {
    List<PoolRow> pools = new ArrayList<>();
    try (PreparedStatement select =
            connection.prepareStatement(
                "SELECT name, type, encrypted, owners, policies, description, created, updated,"
                    + " config FROM pool_metadata ORDER BY name");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        String where = "pool_metadata row name=" + rows.getString(1);
        JsonNode policiesNode = object(rows.getString(5), where + " column policies");
        Map<String, List<String>> policies = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> policy : policiesNode.properties()) {
          policies.put(policy.getKey(), stringList(policy.getValue()));
        }
        JsonNode security = object(rows.getString(9), where + " column config").get("security");
        pools.add(
            new PoolRow(
                rows.getString(1),
                rows.getString(2),
                rows.getInt(3) != 0,
                stringList(rows.getString(4), where + " column owners"),
                policies,
                rows.getString(6),
                security == null || !security.isTextual() ? null : security.asText(),
                rows.getLong(7),
                rows.getLong(8)));
      }
    }
    return pools;
  }

  static void upsertBlock(Connection connection, BlockRow block) throws SQLException {
    try (PreparedStatement upsert =
        connection.prepareStatement(
            "INSERT INTO memory_blocks(block_id, name, pool, size, type, permissions, version,"
                + " created, updated, persistent, encrypted, config)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT(block_id) DO UPDATE SET name = excluded.name,"
                + " pool = excluded.pool, size = excluded.size, type = excluded.type,"
                + " permissions = excluded.permissions, version = excluded.version,"
                + " updated = excluded.updated, persistent = excluded.persistent,"
                + " encrypted = excluded.encrypted, config = excluded.config")) {
      upsert.setString(1, block.blockId());
      upsert.setString(2, block.name());
      upsert.setString(3, block.pool());
      upsert.setLong(4, block.size());
      upsert.setString(5, block.type());
      upsert.setString(6, write(block.permissions()));
      upsert.setLong(7, block.version());
      upsert.setLong(8, block.createdMs());
      upsert.setLong(9, block.updatedMs());
      upsert.setInt(10, block.persistent() ? 1 : 0);
      upsert.setInt(11, block.encrypted() ? 1 : 0);
      upsert.setString(12, write(block.config()));
      upsert.executeUpdate();
    }
  }

  /** Blocks whose id is {@code blockId}, or every block when it is {@code null}. */
  static List<BlockRow> readBlocks(Connection connection, String blockId) throws SQLException {
    String sql =
        "SELECT block_id, name, pool, size, type, permissions, version, created, updated,"
            + " persistent, encrypted, config FROM memory_blocks"
            + (blockId == null ? " ORDER BY block_id" : " WHERE block_id = ?");
    List<BlockRow> blocks = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      if (blockId != null) {
        select.setString(1, blockId);
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String where = "memory_blocks row block_id=" + rows.getString(1);
          blocks.add(
              new BlockRow(
                  rows.getString(1),
                  rows.getString(2),
                  rows.getString(3),
                  rows.getLong(4),
                  rows.getString(5),
                  object(rows.getString(6), where + " column permissions"),
                  rows.getLong(7),
                  rows.getLong(8),
                  rows.getLong(9),
                  rows.getInt(10) != 0,
                  rows.getInt(11) != 0,
                  object(rows.getString(12), where + " column config")));
        }
      }
    }
    return blocks;
  }

  static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("value cannot be written as JSON: " + e.getMessage(), e);
    }
  }

  /** Parses a stored JSON value; text that does not parse reads as {@code null}, logged. */
  static JsonNode read(String text, String where) {
    if (text == null) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      LOG.warn("ignoring unreadable JSON in {}: {}", where, e.getOriginalMessage());
      return null;
    }
  }

  private static JsonNode object(String text, String where) {
    JsonNode node = read(text, where);
    if (node != null && node.isObject()) {
      return node;
    }
    if (node != null) {
      LOG.warn("ignoring {}: expected a JSON object", where);
    }
    return NODES.objectNode();
  }

  private static List<String> stringList(String text, String where) {
    JsonNode node = read(text, where);
    if (node != null && !node.isArray()) {
      LOG.warn("ignoring {}: expected a JSON array", where);
    }
    return stringList(node);
  }

  private static List<String> stringList(JsonNode node) {
    List<String> values = new ArrayList<>();
    if (node != null && node.isArray()) {
      for (JsonNode element : node) {
        if (element.isTextual()) {
          values.add(element.asText());
        }
      }
    }
    return values;
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode array = NODES.arrayNode(values.size());
    values.forEach(array::add);
    return array;
  }
}
