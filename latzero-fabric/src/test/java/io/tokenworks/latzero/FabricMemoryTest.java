package io.tokenworks.latzero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.latzero.memory.AttachMode;
import io.tokenworks.latzero.memory.BlockInfo;
import io.tokenworks.latzero.memory.BlockPermissions;
import io.tokenworks.latzero.memory.BlockType;
import io.tokenworks.latzero.memory.LockGrant;
import io.tokenworks.latzero.memory.MemoryError;
import io.tokenworks.latzero.memory.MemoryException;
import io.tokenworks.protocol.latzero.block.BlockAccess;
import io.tokenworks.protocol.latzero.block.SharedBlock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shared-memory blocks through fabric sessions: membership, subscriptions, session ends. */
class FabricMemoryTest {

  @TempDir Path dataDir;
  @TempDir Path memoryRoot;
  private LatZeroFabric fabric;

  @AfterEach
  void close() {
    if (fabric != null) {
      fabric.close();
    }
  }

  private LatZeroFabric open() {
    fabric = LatZeroFabric.open(FabricConfig.builder(dataDir).memoryRoot(memoryRoot).build());
    return fabric;
  }

  private FabricSession join(String appId, RecordingDelivery delivery, String... pools) {
    return fabric.handshake(Handshake.builder(appId).pools(pools).triggers("t").build(), delivery);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void twoSessionsShareABlockAndTheReaderHearsOfEveryWrite() {
    open();
    RecordingDelivery readerDelivery = new RecordingDelivery();
    FabricSession writer = join("writer", new RecordingDelivery(), "lab");
    FabricSession reader = join("reader", readerDelivery, "lab");

    BlockInfo created =
        writer
            .memory()
            .create("lab", "frame", 16, BlockType.SHARED, BlockPermissions.EVERYONE, false);
    assertThat(created.file()).startsWith(memoryRoot);
    writer.memory().attach("lab", "frame", AttachMode.WRITE);
    reader.memory().attach("lab", "frame", AttachMode.READ);
    reader.memory().subscribe("lab", "frame");

    long version = writer.memory().write("lab", "frame", 4, ascii("tick"));

    BlockData read = reader.memory().read("lab", "frame", 4, 4);
    assertThat(new String(read.data(), StandardCharsets.US_ASCII)).isEqualTo("tick");
    assertThat(read.version()).isEqualTo(version);
    assertThat(readerDelivery.blockWrites)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.pool()).isEqualTo("lab");
              assertThat(event.block()).isEqualTo("frame");
              assertThat(event.version()).isEqualTo(version);
              assertThat(event.app()).isEqualTo("writer");
            });

    assertThat(writer.memory().notify("lab", "frame", RecordingDelivery.text("frame ready")))
        .isEqualTo(1);
    assertThat(readerDelivery.blockNotes)
        .singleElement()
        .satisfies(event -> assertThat(event.payload().asText()).isEqualTo("frame ready"));
  }

  @Test
  void aProcessMappingTheFileSeesWhatASessionWrote() throws Exception {
    open();
    FabricSession writer = join("writer", new RecordingDelivery(), "lab");
    BlockInfo info =
        writer.memory().create("lab", "b", 8, BlockType.SHARED, BlockPermissions.EVERYONE, false);
    writer.memory().attach("lab", "b", AttachMode.WRITE);
    writer.memory().write("lab", "b", 0, ascii("zerocopy"));
    try (SharedBlock mapped = SharedBlock.open(info.file(), BlockAccess.READ_ONLY)) {
      byte[] seen = new byte[8];
      mapped.read(0, seen, 0, 8);
      assertThat(new String(seen, StandardCharsets.US_ASCII)).isEqualTo("zerocopy");
    }
  }

  @Test
  void blocksAreOnlyReachableInsidePoolsTheSessionBelongsTo() {
    open();
    FabricSession inLab = join("a", new RecordingDelivery(), "lab");
    FabricSession outside = join("b", new RecordingDelivery(), "other");
    inLab.memory().create("lab", "b", 8, BlockType.SHARED, BlockPermissions.EVERYONE, false);

    assertThatThrownBy(() -> outside.memory().attach("lab", "b", AttachMode.READ))
        .isInstanceOfSatisfying(
            FabricException.class, e -> assertThat(e.error()).isEqualTo(FabricError.NOT_MEMBER));
    assertThatThrownBy(() -> outside.memory().list("nowhere"))
        .isInstanceOfSatisfying(
            FabricException.class,
            e -> assertThat(e.error()).isEqualTo(FabricError.POOL_NOT_FOUND));
  }

  @Test
  void aClosedSessionReleasesItsLockAndAttachmentsAtOnce() {
    open();
    FabricSession first = join("first", new RecordingDelivery(), "lab");
    FabricSession second = join("second", new RecordingDelivery(), "lab");
    first.memory().create("lab", "b", 8, BlockType.SHARED, BlockPermissions.EVERYONE, false);
    first.memory().attach("lab", "b", AttachMode.WRITE);
    second.memory().attach("lab", "b", AttachMode.WRITE);
    LockGrant held = first.memory().lock("lab", "b");
    assertThatThrownBy(() -> second.memory().lock("lab", "b"))
        .isInstanceOfSatisfying(
            MemoryException.class, e -> assertThat(e.error()).isEqualTo(MemoryError.LOCK_HELD));

    first.close();

    LockGrant next = second.memory().lock("lab", "b");
    assertThat(next.lockId()).isGreaterThan(held.lockId());
    assertThat(second.memory().inspect("lab", "b").attachments())
        .extracting(attachment -> attachment.appId())
        .containsExactly("second");
    assertThatThrownBy(() -> first.memory().read("lab", "b", 0, 1))
        .isInstanceOfSatisfying(
            FabricException.class,
            e -> assertThat(e.error()).isEqualTo(FabricError.SESSION_CLOSED));
  }

  @Test
  void aPersistentBlockKeepsItsMetadataAndBytesAcrossARestart() {
    open();
    FabricSession app = join("app", new RecordingDelivery(), "lab");
    app.memory()
        .create(
            "lab",
            "kept",
            8,
            BlockType.BINARY,
            new BlockPermissions(List.of("app"), List.of("app")),
            true);
    app.memory().attach("lab", "kept", AttachMode.WRITE);
    app.memory().write("lab", "kept", 0, ascii("survives"));
    fabric.close();

    open();
    FabricSession again = join("app", new RecordingDelivery(), "lab");
    BlockInfo info = again.memory().attach("lab", "kept", AttachMode.READ);
    assertThat(info.record().type()).isEqualTo(BlockType.BINARY);
    assertThat(info.record().permissions().read()).containsExactly("app");
    assertThat(
            new String(again.memory().read("lab", "kept", 0, 8).data(), StandardCharsets.US_ASCII))
        .isEqualTo("survives");
    FabricSession stranger = join("stranger", new RecordingDelivery(), "lab");
    assertThatThrownBy(() -> stranger.memory().attach("lab", "kept", AttachMode.READ))
        .isInstanceOfSatisfying(
            MemoryException.class, e -> assertThat(e.error()).isEqualTo(MemoryError.ACCESS_DENIED));
  }

  @Test
  void theBlockSizeLimitComesFromTheFabricConfig() {
    fabric =
        LatZeroFabric.open(
            FabricConfig.builder(dataDir).memoryRoot(memoryRoot).maxBlockSize(64).build());
    FabricSession app = join("app", new RecordingDelivery(), "lab");
    assertThatThrownBy(
            () ->
                app.memory()
                    .create("lab", "big", 65, BlockType.SHARED, BlockPermissions.EVERYONE, false))
        .isInstanceOfSatisfying(
            MemoryException.class, e -> assertThat(e.error()).isEqualTo(MemoryError.SIZE_LIMIT));
    assertThat(memoryRoot.resolve("lab").resolve("big")).doesNotExist();
  }
}
