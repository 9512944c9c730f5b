package io.tokenworks.latzero.memory;

import static io.tokenworks.latzero.memory.BlockManagerTest.ALICE;
import static io.tokenworks.latzero.memory.BlockManagerTest.BOB;
import static io.tokenworks.latzero.memory.BlockManagerTest.ascii;
import static io.tokenworks.latzero.memory.MemoryAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.protocol.latzero.block.BlockAccess;
import io.tokenworks.protocol.latzero.block.SharedBlock;
import io.tokenworks.protocol.latzero.block.SharedBlockDescriptor;
import io.tokenworks.protocol.latzero.block.SharedBlockOptions;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idle collection, delete, restart and close. */
class BlockManagerLifecycleTest {

  private static final Duration IDLE = Duration.ofMinutes(10);

  @TempDir Path dir;

  private final InMemoryBlockCatalog catalog = new InMemoryBlockCatalog();
  private final ManualClock clock = new ManualClock();
  private BlockManager manager;

  @BeforeEach
  void open() {
    manager = BlockManager.open(config());
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void idleNonPersistentBlocksAreCollectedAndTheirFilesUnlinked() {
    Path idle = create("idle", false).file();
    Path kept = create("kept", true).file();
    create("attached", false);
    manager.attach(BOB, "p", "attached", AttachMode.READ);
    create("subscribed", false);
    manager.subscribe(BOB, "p", "subscribed", event -> {});
    create("touched", false);

    clock.advance(IDLE.minusMinutes(1));
    manager.attach(ALICE, "p", "touched", AttachMode.READ);
    manager.detach(ALICE, "p", "touched", AttachMode.READ);
    assertThat(manager.collectIdle()).isZero();

    clock.advance(Duration.ofMinutes(1));
    assertThat(manager.collectIdle()).isEqualTo(1);
    assertThat(idle).doesNotExist();
    assertThat(catalog.get("p", "idle")).isNull();
    assertError(() -> manager.inspect(ALICE, "p", "idle"), MemoryError.BLOCK_NOT_FOUND);
    assertThat(kept).exists();
    assertThat(manager.list(ALICE, "p"))
        .extracting(i -> i.record().block())
        .containsExactly("attached", "kept", "subscribed", "touched");

    clock.advance(IDLE);
    assertThat(manager.collectIdle()).isEqualTo(1);
    assertThat(manager.list(ALICE, "p"))
        .extracting(i -> i.record().block())
        .containsExactly("attached", "kept", "subscribed");
  }

  @Test
  void blockLeasedByAProcessMappingItIsNotIdle() {
    Path file = create("mapped", false).file();
    clock.advance(IDLE);
    try (SharedBlock direct =
        SharedBlock.open(
            file, BlockAccess.READ_WRITE, SharedBlockOptions.DEFAULTS.withClock(clock))) {
      direct.acquireWrite(99, IDLE.toMillis());
      assertThat(manager.collectIdle()).isZero();
      clock.advance(IDLE);
      assertThat(manager.collectIdle()).isEqualTo(1);
    }
  }

  @Test
  void restartKeepsContentsVersionsAndMetadata() throws Exception {
    create("state", true);
    manager.attach(ALICE, "p", "state", AttachMode.WRITE);
    manager.write(ALICE, "p", "state", 2, ascii("survives"));
    Path file = dir.resolve("blocks/p/state");
    byte[] before = Files.readAllBytes(file);
    manager.close();

    manager = BlockManager.open(config());
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    BlockInfo info = manager.inspect(BOB, "p", "state");
    assertThat(info.version()).isEqualTo(1);
    assertThat(info.referenceCount()).isZero();
    assertThat(info.record()).isEqualTo(catalog.get("p", "state"));
    manager.attach(BOB, "p", "state", AttachMode.READ);
    assertThat(manager.read(BOB, "p", "state", 2, 8)).isEqualTo(ascii("survives"));
  }

  @Test
  void restartRecreatesLostPersistentFilesForgetsLostTemporaryOnesAndSkipsForeignOnes()
      throws Exception {
    create("persistent", true);
    create("temporary", false);
    create("clobbered", true);
    manager.close();
    Files.delete(dir.resolve("blocks/p/persistent"));
    Files.delete(dir.resolve("blocks/p/temporary"));
    Path clobbered = dir.resolve("blocks/p/clobbered");
    Files.writeString(clobbered, "overwritten by something else");

    manager = BlockManager.open(config());
    assertThat(manager.inspect(ALICE, "p", "persistent").version()).isZero();
    assertThat(dir.resolve("blocks/p/persistent")).exists();
    assertError(() -> manager.inspect(ALICE, "p", "temporary"), MemoryError.BLOCK_NOT_FOUND);
    assertThat(catalog.get("p", "temporary")).isNull();
    assertError(() -> manager.inspect(ALICE, "p", "clobbered"), MemoryError.BLOCK_NOT_FOUND);
    assertThat(Files.readString(clobbered)).isEqualTo("overwritten by something else");
    assertThat(catalog.get("p", "clobbered")).isNotNull();
  }

  @Test
  void restartSkipsCatalogRecordsWithUnsafeNames() {
    catalog.save(
        new BlockRecord(
            "..", "escape", 8, BlockType.SHARED, BlockPermissions.EVERYONE, true, 0, "x"));
    manager.close();
    manager = BlockManager.open(config());
    assertThat(dir.resolve("escape")).doesNotExist();
    assertThat(manager.list(ALICE, "p")).isEmpty();
  }

  @Test
  void deleteIsRefusedWhileAttachedUnlessForced() {
    Path file = create("b", false).file();
    manager.attach(BOB, "p", "b", AttachMode.READ);
    assertError(() -> manager.delete(ALICE, "p", "b", false), MemoryError.BLOCK_IN_USE);
    assertThat(file).exists();

    manager.delete(ALICE, "p", "b", true);
    assertThat(file).doesNotExist();
    assertThat(catalog.get("p", "b")).isNull();
    assertError(() -> manager.read(BOB, "p", "b", 0, 1), MemoryError.BLOCK_NOT_FOUND);
    assertError(() -> manager.delete(ALICE, "p", "b", true), MemoryError.BLOCK_NOT_FOUND);
    create("b", false);
  }

  @Test
  void deleteNeedsWritePermissionOrBeingTheCreator() {
    BlockPermissions readOnly = new BlockPermissions(List.of("*"), List.of());
    manager.create(ALICE, "p", "mine", 8, BlockType.SHARED, readOnly, false);
    assertError(() -> manager.delete(BOB, "p", "mine", false), MemoryError.ACCESS_DENIED);
    manager.delete(ALICE, "p", "mine", false);
  }

  @Test
  void closedManagerRefusesEverything() {
    create("b", false);
    manager.close();
    manager.close();
    assertError(() -> manager.inspect(ALICE, "p", "b"), MemoryError.CLOSED);
    assertError(
        () ->
            manager.create(ALICE, "p", "c", 8, BlockType.SHARED, BlockPermissions.EVERYONE, false),
        MemoryError.CLOSED);
    assertError(() -> manager.list(ALICE, "p"), MemoryError.CLOSED);
    assertError(manager::collectIdle, MemoryError.CLOSED);
    assertThat(dir.resolve("blocks/p/b")).exists();
  }

  @Test
  void unusableRootIsAStorageFailure() throws Exception {
    Path notADirectory = dir.resolve("file");
    Files.writeString(notADirectory, "x");
    assertError(
        () -> BlockManager.open(config().withRoot(notADirectory.resolve("blocks"))),
        MemoryError.STORAGE_FAILURE);
  }

  @Test
  void fileThatCannotBeCreatedIsAStorageFailureAndLeavesNoRecord() throws Exception {
    Files.writeString(dir.resolve("blocks/blocked"), "a file where the pool directory goes");
    assertError(
        () ->
            manager.create(
                ALICE, "blocked", "b", 8, BlockType.SHARED, BlockPermissions.EVERYONE, false),
        MemoryError.STORAGE_FAILURE);
    assertThat(catalog.get("blocked", "b")).isNull();
    assertError(() -> manager.inspect(ALICE, "blocked", "b"), MemoryError.BLOCK_NOT_FOUND);
  }

  @Test
  void readOfABlockStuckMidWriteIsBusy() throws Exception {
    manager.close();
    manager = BlockManager.open(config().withReadTimeout(Duration.ofMillis(50)));
    Path file = create("stuck", false).file();
    manager.attach(ALICE, "p", "stuck", AttachMode.READ);
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      // What a writer that died mid-write leaves: an odd seqlock.
      new UnsafeBuffer(channel.map(FileChannel.MapMode.READ_WRITE, 0, 256))
          .putLongVolatile(SharedBlockDescriptor.SEQLOCK_OFFSET, 1);
    }
    assertError(() -> manager.read(ALICE, "p", "stuck", 0, 1), MemoryError.BUSY);
  }

  private BlockInfo create(String block, boolean persistent) {
    return manager.create(
        ALICE, "p", block, 16, BlockType.SHARED, BlockPermissions.EVERYONE, persistent);
  }

  private BlockManagerConfig config() {
    return BlockManagerConfig.defaults(dir, catalog)
        .withRoot(dir.resolve("blocks"))
        .withIdleTimeout(IDLE)
        .withClock(clock);
  }
}
