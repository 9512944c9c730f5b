package io.tokenworks.latzero.memory;

import static io.tokenworks.latzero.memory.BlockManagerTest.ALICE;
import static io.tokenworks.latzero.memory.MemoryAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Names that could escape the root, and configuration checks. */
class BlockNamesTest {

  @TempDir Path dir;

  private BlockManager manager;

  @BeforeEach
  void open() {
    manager =
        BlockManager.open(
            BlockManagerConfig.defaults(dir, new InMemoryBlockCatalog())
                .withRoot(dir.resolve("root/blocks")));
  }

  @AfterEach
  void close() {
    manager.close();
  }

  static Stream<String> badNames() {
    return Stream.of(
        "",
        ".",
        "..",
        "../x",
        "..\\x",
        "a/b",
        "/abs",
        "a\\b",
        "a b",
        "x\0y",
        "caf\u00e9",
        "new\nline",
        "~",
        "x".repeat(129));
  }

  @ParameterizedTest
  @MethodSource("badNames")
  void blockNamesThatCouldEscapeOrMisleadAreRefused(String name) throws Exception {
    assertError(
        () ->
            manager.create(ALICE, "p", name, 8, BlockType.SHARED, BlockPermissions.EVERYONE, false),
        MemoryError.INVALID_NAME);
    assertError(
        () ->
            manager.create(ALICE, name, "b", 8, BlockType.SHARED, BlockPermissions.EVERYONE, false),
        MemoryError.INVALID_NAME);
    assertError(() -> manager.attach(ALICE, "p", name, AttachMode.READ), MemoryError.INVALID_NAME);
    assertError(() -> manager.read(ALICE, name, "b", 0, 1), MemoryError.INVALID_NAME);
    assertError(() -> manager.list(ALICE, name), MemoryError.INVALID_NAME);
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void nullNamesAreRefused() {
    assertError(() -> manager.attach(ALICE, null, "b", AttachMode.READ), MemoryError.INVALID_NAME);
    assertError(() -> manager.attach(ALICE, "p", null, AttachMode.READ), MemoryError.INVALID_NAME);
  }

  @Test
  void poolNamesStopAtSixtyFourCharactersAndBlockNamesAtOneHundredTwentyEight() {
    String pool = "p".repeat(64);
    String block = "b".repeat(128);
    BlockInfo info =
        manager.create(ALICE, pool, block, 8, BlockType.SHARED, BlockPermissions.EVERYONE, false);
    assertThat(info.file()).isEqualTo(dir.resolve("root/blocks").resolve(pool).resolve(block));
    assertError(
        () ->
            manager.create(
                ALICE, "p".repeat(65), "b", 8, BlockType.SHARED, BlockPermissions.EVERYONE, false),
        MemoryError.INVALID_NAME);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "A-Z_0.9", "...", ".hidden", "-"})
  void namesOfTheAllowedCharactersAreAccepted(String name) {
    BlockInfo info =
        manager.create(ALICE, name, name, 8, BlockType.SHARED, BlockPermissions.EVERYONE, false);
    assertThat(info.file().getParent().getParent()).isEqualTo(dir.resolve("root/blocks"));
  }

  @Test
  void defaultRootIsDevShmOnLinuxAndTheDataDirectoryElsewhere() throws Exception {
    Path shm = Files.createDirectories(dir.resolve("shm"));
    Path data = dir.resolve("data");
    assertThat(BlockManagerConfig.defaultRoot(data, "Linux", shm))
        .isEqualTo(shm.resolve("latzero"));
    assertThat(BlockManagerConfig.defaultRoot(data, "Mac OS X", shm))
        .isEqualTo(data.resolve("memory"));
    assertThat(BlockManagerConfig.defaultRoot(data, "Linux", dir.resolve("no-shm")))
        .isEqualTo(data.resolve("memory"));
  }

  @Test
  void configurationOutOfRangeIsRefused() {
    BlockManagerConfig config = BlockManagerConfig.defaults(dir, new InMemoryBlockCatalog());
    assertThat(config.maxBlockSize()).isEqualTo(16 * 1024 * 1024);
    assertThatThrownBy(() -> config.withMaxBlockSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBlockSize=0");
    assertThatThrownBy(() -> config.withMaxBlockSize(Integer.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> config.withIdleTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> config.withLockLease(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> config.withReadTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
