package io.tokenworks.latzero.memory;

import static io.tokenworks.latzero.memory.MemoryAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.protocol.latzero.block.SharedBlockDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Create, attach, read, write, permissions, limits, bounds and reference counts. */
class BlockManagerTest {

  static final Caller ALICE = new Caller("alice", "s-alice");
  static final Caller BOB = new Caller("bob", "s-bob");
  static final Caller CAROL = new Caller("carol", "s-carol");

  @TempDir Path dir;

  private final InMemoryBlockCatalog catalog = new InMemoryBlockCatalog();
  private final ManualClock clock = new ManualClock();
  private BlockManager manager;

  @BeforeEach
  void open() {
    manager =
        BlockManager.open(
            BlockManagerConfig.defaults(dir, catalog)
                .withRoot(dir.resolve("blocks"))
                .withClock(clock));
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void createdBlockIsAFileOfHeaderPlusSizeUnderPoolAndName() throws Exception {
    BlockInfo info =
        manager.create(ALICE, "default", "frame", 100, BlockType.SHARED, everyone(), false);
    Path file = dir.resolve("blocks/default/frame");
    assertThat(info.file()).isEqualTo(file);
    assertThat(Files.size(file)).isEqualTo(SharedBlockDescriptor.HEADER_LENGTH + 100L);
    assertThat(info.version()).isZero();
    assertThat(info.referenceCount()).isZero();
    assertThat(info.lock()).isEmpty();
    assertThat(catalog.get("default", "frame"))
        .isEqualTo(
            new BlockRecord(
                "default",
                "frame",
                100,
                BlockType.SHARED,
                everyone(),
                false,
                clock.time(),
                "alice"));
  }

  @Test
  void attachedSessionsWriteAndReadBytesWithVersions() {
    manager.create(ALICE, "default", "frame", 16, BlockType.BINARY, everyone(), false);
    manager.attach(ALICE, "default", "frame", AttachMode.WRITE);
    manager.attach(BOB, "default", "frame", AttachMode.READ);
    assertThat(manager.write(ALICE, "default", "frame", 4, ascii("abcd"))).isEqualTo(1);
    assertThat(manager.write(ALICE, "default", "frame", 6, ascii("XY"))).isEqualTo(2);
    assertThat(manager.read(BOB, "default", "frame", 3, 6)).isEqualTo(ascii("\0abXY\0"));
    assertThat(manager.read(ALICE, "default", "frame", 0, 0)).isEmpty();
    assertThat(manager.inspect(BOB, "default", "frame").version()).isEqualTo(2);
  }

  @Test
  void duplicateNameOrAFileAlreadyAtThePathIsRefused() throws Exception {
    manager.create(ALICE, "p", "b", 8, BlockType.SHARED, everyone(), false);
    assertError(
        () -> manager.create(BOB, "p", "b", 8, BlockType.SHARED, everyone(), false),
        MemoryError.BLOCK_EXISTS);

    Path stray = dir.resolve("blocks/p/stray");
    Files.writeString(stray, "someone else's file");
    assertError(
        () -> manager.create(BOB, "p", "stray", 8, BlockType.SHARED, everyone(), false),
        MemoryError.BLOCK_EXISTS);
    assertThat(Files.readString(stray)).isEqualTo("someone else's file");
    assertThat(catalog.get("p", "stray")).isNull();
  }

  @Test
  void sizeLimitIsEnforcedBeforeAnyFileExists() {
    assertError(
        () ->
            manager.create(
                ALICE,
                "p",
                "huge",
                BlockManagerConfig.DEFAULT_MAX_BLOCK_SIZE + 1,
                BlockType.SHARED,
                everyone(),
                false),
        MemoryError.SIZE_LIMIT);
    assertError(
        () -> manager.create(ALICE, "p", "empty", 0, BlockType.SHARED, everyone(), false),
        MemoryError.INVALID_SIZE);
    assertThat(dir.resolve("blocks/p/huge")).doesNotExist();
    assertThat(catalog.loadAll()).isEmpty();

    manager.close();
    manager =
        BlockManager.open(
            BlockManagerConfig.defaults(dir, catalog)
                .withRoot(dir.resolve("blocks"))
                .withMaxBlockSize(1024));
    manager.create(ALICE, "p", "max", 1024, BlockType.SHARED, everyone(), false);
    assertError(
        () -> manager.create(ALICE, "p", "over", 1025, BlockType.SHARED, everyone(), false),
        MemoryError.SIZE_LIMIT);
  }

  @Test
  void readAndWriteListsAreEnforced() {
    BlockPermissions permissions = new BlockPermissions(List.of("bob"), List.of("carol"));
    manager.create(ALICE, "p", "acl", 8, BlockType.SHARED, permissions, false);

    assertError(
        () -> manager.attach(ALICE, "p", "acl", AttachMode.READ), MemoryError.ACCESS_DENIED);
    assertError(() -> manager.attach(BOB, "p", "acl", AttachMode.WRITE), MemoryError.ACCESS_DENIED);
    assertError(
        () -> manager.attach(CAROL, "p", "acl", AttachMode.READ), MemoryError.ACCESS_DENIED);
    manager.attach(BOB, "p", "acl", AttachMode.READ);
    manager.attach(CAROL, "p", "acl", AttachMode.WRITE);

    manager.write(CAROL, "p", "acl", 0, ascii("c"));
    assertThat(manager.read(BOB, "p", "acl", 0, 1)).isEqualTo(ascii("c"));
    assertError(() -> manager.read(CAROL, "p", "acl", 0, 1), MemoryError.ACCESS_DENIED);
    assertError(() -> manager.write(BOB, "p", "acl", 0, ascii("b")), MemoryError.ACCESS_DENIED);
    assertError(() -> manager.lock(BOB, "p", "acl"), MemoryError.ACCESS_DENIED);
    assertError(() -> manager.inspect(ALICE, "p", "acl"), MemoryError.ACCESS_DENIED);
    assertError(() -> manager.subscribe(CAROL, "p", "acl", event -> {}), MemoryError.ACCESS_DENIED);
    assertThat(manager.list(ALICE, "p")).isEmpty();
    assertThat(manager.list(BOB, "p")).extracting(i -> i.record().block()).containsExactly("acl");
  }

  @Test
  void readsAndWritesNeedAnAttachmentOfTheRightMode() {
    manager.create(ALICE, "p", "b", 8, BlockType.SHARED, everyone(), false);
    assertError(() -> manager.read(BOB, "p", "b", 0, 1), MemoryError.NOT_ATTACHED);
    assertError(() -> manager.write(BOB, "p", "b", 0, ascii("x")), MemoryError.NOT_ATTACHED);
    manager.attach(BOB, "p", "b", AttachMode.READ);
    assertThat(manager.read(BOB, "p", "b", 0, 1)).hasSize(1);
    assertError(() -> manager.write(BOB, "p", "b", 0, ascii("x")), MemoryError.NOT_ATTACHED);
    assertError(() -> manager.lock(BOB, "p", "b"), MemoryError.NOT_ATTACHED);
    // Another session of the same app holds nothing.
    assertError(
        () -> manager.read(new Caller("bob", "s-other"), "p", "b", 0, 1), MemoryError.NOT_ATTACHED);
  }

  @Test
  void offsetsAndLengthsOutsideTheBlockAreRefusedAndChangeNothing() {
    manager.create(ALICE, "p", "b", 8, BlockType.SHARED, everyone(), false);
    manager.attach(ALICE, "p", "b", AttachMode.WRITE);
    assertError(() -> manager.read(ALICE, "p", "b", -1, 1), MemoryError.OUT_OF_BOUNDS);
    assertError(() -> manager.read(ALICE, "p", "b", 0, 9), MemoryError.OUT_OF_BOUNDS);
    assertError(() -> manager.read(ALICE, "p", "b", 8, 1), MemoryError.OUT_OF_BOUNDS);
    assertError(() -> manager.read(ALICE, "p", "b", 0, -1), MemoryError.OUT_OF_BOUNDS);
    assertError(
        () -> manager.read(ALICE, "p", "b", 1, Integer.MAX_VALUE), MemoryError.OUT_OF_BOUNDS);
    assertError(() -> manager.write(ALICE, "p", "b", 7, ascii("xy")), MemoryError.OUT_OF_BOUNDS);
    assertError(() -> manager.write(ALICE, "p", "b", -1, ascii("x")), MemoryError.OUT_OF_BOUNDS);
    assertThat(manager.inspect(ALICE, "p", "b").version()).isZero();
  }

  @Test
  void attachmentsAreCountedPerSessionAndMode() {
    manager.create(ALICE, "p", "b", 8, BlockType.SHARED, everyone(), false);
    manager.attach(ALICE, "p", "b", AttachMode.READ);
    manager.attach(ALICE, "p", "b", AttachMode.READ);
    manager.attach(ALICE, "p", "b", AttachMode.WRITE);
    BlockInfo info = manager.attach(BOB, "p", "b", AttachMode.READ);
    assertThat(info.attachments())
        .containsExactly(
            new Attachment("s-alice", "alice", 2, 1), new Attachment("s-bob", "bob", 1, 0));
    assertThat(info.referenceCount()).isEqualTo(4);

    manager.detach(ALICE, "p", "b", AttachMode.WRITE);
    assertError(() -> manager.detach(ALICE, "p", "b", AttachMode.WRITE), MemoryError.NOT_ATTACHED);
    assertError(() -> manager.detach(CAROL, "p", "b", AttachMode.READ), MemoryError.NOT_ATTACHED);
    manager.detach(BOB, "p", "b", AttachMode.READ);
    assertThat(manager.inspect(ALICE, "p", "b").attachments())
        .containsExactly(new Attachment("s-alice", "alice", 2, 0));
  }

  @Test
  void unknownBlocksAndBadArgumentsGetTypedErrors() {
    assertError(
        () -> manager.attach(ALICE, "p", "nope", AttachMode.READ), MemoryError.BLOCK_NOT_FOUND);
    assertError(() -> manager.read(ALICE, "p", "nope", 0, 1), MemoryError.BLOCK_NOT_FOUND);
    assertError(() -> BlockType.fromWire("weird"), MemoryError.INVALID_ARGUMENT);
    assertError(() -> BlockType.fromWire(null), MemoryError.INVALID_ARGUMENT);
    assertThat(BlockType.fromWire("shared")).isEqualTo(BlockType.SHARED);
    assertThat(BlockType.STREAM.wireName()).isEqualTo("stream");
    assertError(() -> AttachMode.fromWire("exclusive"), MemoryError.INVALID_ARGUMENT);
    assertThat(AttachMode.fromWire("write")).isEqualTo(AttachMode.WRITE);
    assertError(
        () -> new BlockPermissions(List.of(" "), List.of("*")), MemoryError.INVALID_ARGUMENT);
    List<String> withNull = new ArrayList<>();
    withNull.add(null);
    assertError(() -> new BlockPermissions(List.of("*"), withNull), MemoryError.INVALID_ARGUMENT);
  }

  @Test
  void concurrentUnlockedWritersQueueInsteadOfFailing() throws Exception {
    manager.create(ALICE, "p", "busy", 256, BlockType.SHARED, everyone(), false);
    List<Caller> writers = List.of(ALICE, BOB, CAROL);
    for (Caller writer : writers) {
      manager.attach(writer, "p", "busy", AttachMode.WRITE);
    }
    int writesEach = 300;
    ExecutorService pool = Executors.newFixedThreadPool(writers.size());
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Caller writer : writers) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < writesEach; i++) {
                    manager.write(writer, "p", "busy", 0, new byte[256]);
                  }
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(manager.inspect(ALICE, "p", "busy").version())
        .isEqualTo((long) writesEach * writers.size());
  }

  static BlockPermissions everyone() {
    return BlockPermissions.EVERYONE;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
