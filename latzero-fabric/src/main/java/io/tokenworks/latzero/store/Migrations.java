package io.tokenworks.latzero.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The schema as numbered steps. {@code PRAGMA user_version} holds the number of the last step
 * applied; opening runs the missing ones, each in its own transaction together with the version
 * bump, so a crash mid-migration leaves the previous version intact. Steps are never edited once
 * released: a change is a new step.
 */
final class Migrations {

  /**
   * Step 1: upstream's four tables with upstream's columns (JSON as TEXT, times as epoch ms), plus
   * {@code pool_members}, which upstream only kept in memory. Membership rows go when their pool or
   * app row goes. {@code server_config.schema_version} is kept for tools that read upstream's
   * marker.
   */
  private static final List<String> STEP_1 =
      List.of(
          "CREATE TABLE app_registry ("
              + " app_id TEXT PRIMARY KEY,"
              + " pools TEXT NOT NULL DEFAULT '[]',"
              + " triggers TEXT NOT NULL DEFAULT '[]',"
              + " meta TEXT NOT NULL DEFAULT '{}',"
              + " protocol_version TEXT,"
              + " registered INTEGER NOT NULL,"
              + " last_seen INTEGER NOT NULL,"
              + " rehydrated INTEGER NOT NULL DEFAULT 0)",
          "CREATE INDEX idx_app_registry_last_seen ON app_registry(last_seen)",
          "CREATE TABLE pool_metadata ("
              + " name TEXT PRIMARY KEY,"
              + " type TEXT NOT NULL,"
              + " encrypted INTEGER NOT NULL DEFAULT 0,"
              + " owners TEXT NOT NULL DEFAULT '[]',"
              + " policies TEXT NOT NULL DEFAULT '{}',"
              + " description TEXT,"
              + " created INTEGER NOT NULL,"
              + " updated INTEGER NOT NULL,"
              + " config TEXT NOT NULL DEFAULT '{}')",
          "CREATE INDEX idx_pool_metadata_type ON pool_metadata(type)",
          "CREATE TABLE memory_blocks ("
              + " block_id TEXT PRIMARY KEY,"
              + " name TEXT NOT NULL,"
              + " pool TEXT NOT NULL,"
              + " size INTEGER NOT NULL,"
              + " type TEXT NOT NULL,"
              + " permissions TEXT NOT NULL DEFAULT '{}',"
              + " version INTEGER NOT NULL DEFAULT 1,"
              + " created INTEGER NOT NULL,"
              + " updated INTEGER NOT NULL,"
              + " persistent INTEGER NOT NULL DEFAULT 0,"
              + " encrypted INTEGER NOT NULL DEFAULT 0,"
              + " config TEXT NOT NULL DEFAULT '{}')",
          "CREATE INDEX idx_memory_blocks_pool ON memory_blocks(pool)",
          "CREATE INDEX idx_memory_blocks_type ON memory_blocks(type)",
          "CREATE TABLE server_config ("
              + " key TEXT PRIMARY KEY,"
              + " value TEXT NOT NULL,"
              + " updated INTEGER NOT NULL)",
          "CREATE TABLE pool_members ("
              + " pool TEXT NOT NULL REFERENCES pool_metadata(name) ON DELETE CASCADE,"
              + " app_id TEXT NOT NULL REFERENCES app_registry(app_id) ON DELETE CASCADE,"
              + " joined INTEGER NOT NULL,"
              + " PRIMARY KEY (pool, app_id))",
          "CREATE INDEX idx_pool_members_app ON pool_members(app_id)",
          "INSERT INTO server_config(key, value, updated)"
              + " VALUES ('schema_version', '1', CAST(strftime('%s', 'now') AS INTEGER) * 1000)");

  private static final List<List<String>> STEPS = List.of(STEP_1);

  private Migrations() {}

  /** The schema version this code writes. */
  static int latestVersion() {
    return STEPS.size();
  }

  /**
   * Brings the database up to {@link #latestVersion()}.
   *
   * @return the version found before migrating (0 for a new file)
   * @throws StoreException when the file's schema is newer than this code knows
   */
  static int migrate(Connection connection, Path file) throws SQLException {
    int found = userVersion(connection);
    if (found > latestVersion()) {
      throw new StoreException(
          "database file="
              + file
              + " has schema version "
              + found
              + " but this LatZero knows only up to "
              + latestVersion()
              + ": open it with a newer LatZero or restore a backup");
    }
    for (int version = found + 1; version <= latestVersion(); version++) {
      apply(connection, version);
    }
    return found;
  }

  static int userVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("PRAGMA user_version")) {
      return rows.next() ? rows.getInt(1) : 0;
    }
  }

  private static void apply(Connection connection, int version) throws SQLException {
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      for (String sql : STEPS.get(version - 1)) {
        statement.execute(sql);
      }
      // user_version lives in the file header, which the same transaction rewrites.
      statement.execute("PRAGMA user_version = " + version);
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }
}
