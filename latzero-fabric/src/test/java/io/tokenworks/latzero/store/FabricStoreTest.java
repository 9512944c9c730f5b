package io.tokenworks.latzero.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FabricStoreTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-03-01T10:15:30.123Z"), ZoneOffset.UTC);

  @TempDir Path dataDir;

  private FabricStore open(int backupsKept) {
    return FabricStore.open(dataDir, CLOCK, Duration.ZERO, backupsKept);
  }

  private static PoolRow pool(String name) {
    return new PoolRow(
        name, "local", false, List.of("owner"), Map.of("read", List.of("*")), "d", null, 1, 2);
  }

  private static AppRow app(String appId, List<String> pools, long seenMs) {
    return new AppRow(
        appId,
        pools,
        List.of("t1", "t2"),
        NODES.objectNode().put("k", "v"),
        "0.1.0",
        seenMs,
        seenMs,
        false);
  }

  private List<String> query(Path file, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }

  private void execute(String sql) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(
                "jdbc:sqlite:" + dataDir.resolve(FabricStore.DATABASE_FILE));
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  @Test
  void newDatabaseHasUpstreamTablesPlusMembershipInWalMode() throws Exception {
    open(3).close();

    Path file = dataDir.resolve("data.db");
    assertThat(query(file, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
        .containsExactly(
            "app_registry", "memory_blocks", "pool_members", "pool_metadata", "server_config");
    assertThat(query(file, "PRAGMA journal_mode")).containsExactly("wal");
    assertThat(query(file, "PRAGMA user_version")).containsExactly("1");
    assertThat(query(file, "SELECT name FROM pragma_table_info('app_registry')"))
        .containsExactly(
            "app_id",
            "pools",
            "triggers",
            "meta",
            "protocol_version",
            "registered",
            "last_seen",
            "rehydrated");
    assertThat(query(file, "SELECT name FROM pragma_table_info('memory_blocks')"))
        .containsExactly(
            "block_id",
            "name",
            "pool",
            "size",
            "type",
            "permissions",
            "version",
            "created",
            "updated",
            "persistent",
            "encrypted",
            "config");
    assertThat(query(file, "SELECT value FROM server_config WHERE key = 'schema_version'"))
        .containsExactly("1");
  }

  @Test
  void reopeningRunsNoMigrationTwiceAndKeepsTheData() throws Exception {
    try (FabricStore store = open(3)) {
      FabricStore.await(store.savePool(pool("p")));
      FabricStore.await(store.saveApp(app("a", List.of("p"), 10)));
    }
    for (int i = 0; i < 2; i++) {
      try (FabricStore store = open(3)) {
        StoredState state = FabricStore.await(store.loadState());
        assertThat(state.pools()).extracting(PoolRow::name).containsExactly("p");
        assertThat(state.apps()).extracting(AppRow::pools).containsExactly(List.of("p"));
      }
    }
    Path file = dataDir.resolve("data.db");
    assertThat(query(file, "PRAGMA user_version")).containsExactly("1");
    assertThat(query(file, "SELECT count(*) FROM server_config")).containsExactly("1");
  }

  @Test
  void appRowsRoundTripAndKeepTheirFirstRegistrationTime() {
    try (FabricStore store = open(3)) {
      FabricStore.await(store.savePool(pool("p")));
      FabricStore.await(store.savePool(pool("q")));
      FabricStore.await(store.saveApp(app("a", List.of("q", "p"), 10)));
      FabricStore.await(store.saveApp(app("a", List.of("p"), 20)));
      FabricStore.await(store.touchApp("a", 30));

      AppRow loaded = FabricStore.await(store.loadState()).apps().get(0);

      assertThat(loaded.pools()).containsExactly("p");
      assertThat(loaded.triggers()).containsExactly("t1", "t2");
      assertThat(loaded.metadata().get("k").asText()).isEqualTo("v");
      assertThat(loaded.protocolVersion()).isEqualTo("0.1.0");
      assertThat(loaded.registeredMs()).isEqualTo(10);
      assertThat(loaded.lastSeenMs()).isEqualTo(30);
    }
  }

  @Test
  void deletingAPoolRemovesItsMembershipsAndItsNameFromApps() throws Exception {
    try (FabricStore store = open(3)) {
      FabricStore.await(store.savePool(pool("p")));
      FabricStore.await(store.savePool(pool("q")));
      FabricStore.await(store.saveApp(app("a", List.of("p", "q"), 10)));

      FabricStore.await(store.deletePool("p"));

      StoredState state = FabricStore.await(store.loadState());
      assertThat(state.pools()).extracting(PoolRow::name).containsExactly("q");
      assertThat(state.apps().get(0).pools()).containsExactly("q");
    }
    assertThat(query(dataDir.resolve("data.db"), "SELECT pools FROM app_registry"))
        .containsExactly("[\"q\"]");
  }

  @Test
  void membershipOfAnUnknownPoolIsAStorageError() {
    try (FabricStore store = open(3)) {
      assertThatThrownBy(() -> FabricStore.await(store.saveApp(app("a", List.of("ghost"), 1))))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("FOREIGN KEY");
      assertThat(store.failedWrites()).isEqualTo(1);
      assertThat(FabricStore.await(store.loadState()).apps()).isEmpty();
    }
  }

  @Test
  void memoryBlockRecordsAreSavedLoadedAndDeleted() {
    try (FabricStore store = open(3)) {
      JsonNode permissions = NODES.objectNode().set("read", NODES.arrayNode().add("*"));
      BlockRow block =
          new BlockRow(
              "default:frame",
              "frame",
              "default",
              4096,
              "binary",
              permissions,
              1,
              5,
              5,
              true,
              false,
              NODES.objectNode().put("path", "/dev/shm/latzero/default/frame"));
      FabricStore.await(store.saveBlock(block));
      FabricStore.await(
          store.saveBlock(
              new BlockRow(
                  "default:frame",
                  "frame",
                  "default",
                  4096,
                  "binary",
                  permissions,
                  2,
                  5,
                  9,
                  true,
                  false,
                  block.config())));

      Optional<BlockRow> loaded = FabricStore.await(store.loadBlock("default:frame"));

      assertThat(loaded).isPresent();
      assertThat(loaded.get().version()).isEqualTo(2);
      assertThat(loaded.get().updatedMs()).isEqualTo(9);
      assertThat(loaded.get().createdMs()).isEqualTo(5);
      assertThat(loaded.get().permissions()).isEqualTo(permissions);
      assertThat(loaded.get().persistent()).isTrue();
      assertThat(FabricStore.await(store.loadBlocks())).hasSize(1);
      assertThat(FabricStore.await(store.deleteBlock("default:frame"))).isTrue();
      assertThat(FabricStore.await(store.deleteBlock("default:frame"))).isFalse();
      assertThat(FabricStore.await(store.loadBlock("default:frame"))).isEmpty();
    }
  }

  @Test
  void settingsAreSavedAndLoaded() {
    try (FabricStore store = open(3)) {
      FabricStore.await(store.saveSetting("listener", NODES.objectNode().put("port", 45227)));

      assertThat(FabricStore.await(store.loadSetting("listener")).orElseThrow().get("port").asInt())
          .isEqualTo(45227);
      assertThat(FabricStore.await(store.loadSetting("absent"))).isEmpty();
    }
  }

  @Test
  void unreadableJsonColumnsReadAsEmptyInsteadOfFailingTheLoad() throws Exception {
    try (FabricStore store = open(3)) {
      FabricStore.await(store.savePool(pool("p")));
      FabricStore.await(store.saveApp(app("a", List.of("p"), 10)));
    }
    execute("UPDATE app_registry SET triggers = 'not json', meta = '[1'");

    try (FabricStore store = open(3)) {
      AppRow loaded = FabricStore.await(store.loadState()).apps().get(0);
      assertThat(loaded.triggers()).isEmpty();
      assertThat(loaded.metadata().isEmpty()).isTrue();
      assertThat(loaded.pools()).containsExactly("p");
    }
  }

  @Test
  void fileThatIsNotADatabaseFailsWithAnErrorNamingIt() throws Exception {
    Path file = dataDir.resolve(FabricStore.DATABASE_FILE);
    Files.write(
        file,
        "this is not a sqlite database, just text".repeat(200).getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> open(3))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("file=" + file)
        .hasMessageContaining("backups");
    // the failed open released the directory
    Files.delete(file);
    open(3).close();
  }

  @Test
  void schemaNewerThanThisCodeIsRefused() throws Exception {
    open(3).close();
    execute("PRAGMA user_version = 99");

    assertThatThrownBy(() -> open(3))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("schema version 99")
        .hasMessageContaining("data.db");
  }

  @Test
  void backupRotationKeepsTheNewestN() throws Exception {
    List<Path> written = new ArrayList<>();
    try (FabricStore store = open(2)) {
      FabricStore.await(store.savePool(pool("p")));
      for (int i = 0; i < 4; i++) {
        written.add(FabricStore.await(store.backupNow()));
      }
      assertThat(store.backups()).containsExactly(written.get(2), written.get(3));
    }
    assertThat(written.get(0).getFileName().toString()).isEqualTo("backup_20250301T101530123Z.db");
    assertThat(written.get(3).getFileName().toString())
        .isEqualTo("backup_20250301T101530123Z-3.db");
    assertThat(Files.exists(written.get(0))).isFalse();
    assertThat(query(written.get(3), "SELECT name FROM pool_metadata")).containsExactly("p");
    try (var files = Files.list(dataDir.resolve(FabricStore.BACKUP_DIRECTORY))) {
      assertThat(files.count()).isEqualTo(2);
    }
  }

  @Test
  void backupsAreTakenOnTheConfiguredSchedule() throws Exception {
    try (FabricStore store = FabricStore.open(dataDir, CLOCK, Duration.ofMillis(50), 2)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> store.backups().size() == 2);
    }
    try (var files = Files.list(dataDir.resolve(FabricStore.BACKUP_DIRECTORY))) {
      assertThat(files.count()).isEqualTo(2);
    }
  }

  @Test
  void writesAfterCloseFailInsteadOfVanishing() {
    FabricStore store = open(3);
    store.close();

    assertThatThrownBy(() -> FabricStore.await(store.savePool(pool("p"))))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("closed");
  }
}
