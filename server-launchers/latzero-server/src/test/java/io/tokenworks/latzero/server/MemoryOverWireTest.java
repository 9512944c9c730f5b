package io.tokenworks.latzero.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tokenworks.protocol.latzero.block.SharedBlock;
import io.tokenworks.protocol.latzero.client.BlockEvent;
import io.tokenworks.protocol.latzero.client.BlockLock;
import io.tokenworks.protocol.latzero.client.BlockRead;
import io.tokenworks.protocol.latzero.client.LatZeroClient;
import io.tokenworks.protocol.latzero.client.LatZeroClientException;
import io.tokenworks.protocol.latzero.client.RemoteBlock;
import io.tokenworks.protocol.latzero.client.RemoteMemory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryOverWireTest {

  @TempDir Path dir;
  private LatZeroServer server;
  private LatZeroClient writer;
  private LatZeroClient reader;

  @BeforeEach
  void start() {
    server = TestServers.start(dir);
    writer = TestServers.client(server, "writer");
    reader = TestServers.client(server, "reader");
  }

  @AfterEach
  void stop() {
    writer.close();
    reader.close();
    server.close();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void blockCreatedWrittenAndReadOverTheWireKeepsItsBytes() {
    RemoteMemory memory = writer.memory();
    RemoteBlock created = memory.create("default", "data", 1024);
    assertThat(created.blockId()).isEqualTo("default:data");
    assertThat(created.size()).isEqualTo(1024);
    assertThat(created.version()).isZero();

    memory.attach("default", "data", true);
    long version = memory.write("default", "data", 10, utf8("payload"));
    reader.memory().attach("default", "data", false);
    BlockRead read = reader.memory().read("default", "data", 10, 7);

    assertThat(version).isEqualTo(1);
    assertThat(new String(read.data(), StandardCharsets.UTF_8)).isEqualTo("payload");
    assertThat(read.version()).isEqualTo(1);
  }

  @Test
  void sharedMappingSeesAWriteMadeOverTheWire() {
    writer.memory().create("default", "zero-copy", 256);
    writer.memory().attach("default", "zero-copy", true);

    try (SharedBlock mapped = reader.memory().openShared("default:zero-copy", false)) {
      long version = writer.memory().write("default", "zero-copy", 0, utf8("seen without a copy"));

      byte[] bytes = new byte[19];
      long readVersion = mapped.read(0, bytes, 0, bytes.length);
      assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("seen without a copy");
      assertThat(readVersion).isEqualTo(version);
      assertThat(mapped.size()).isEqualTo(256);
    }
  }

  @Test
  void subscriberHearsEveryWriteAndNotify() {
    writer.memory().create("default", "watched", 64);
    writer.memory().attach("default", "watched", true);
    reader.memory().attach("default", "watched", false);
    List<BlockEvent> events = new CopyOnWriteArrayList<>();
    reader.memory().subscribe("default", "watched", events::add);

    long version = writer.memory().write("default", "watched", 0, utf8("x"));
    int told = writer.memory().notify("default", "watched", new TextNode("look"));

    assertThat(told).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() >= 2);
    BlockEvent update = events.stream().filter(BlockEvent::isUpdate).findFirst().orElseThrow();
    assertThat(update.version()).isEqualTo(version);
    assertThat(update.appId()).isEqualTo("writer");
    BlockEvent notice = events.stream().filter(e -> !e.isUpdate()).findFirst().orElseThrow();
    assertThat(notice.payload().asText()).isEqualTo("look");
    assertThat(notice.appId()).isEqualTo("writer");
  }

  @Test
  void lockHeldByOneSessionRefusesAnotherUntilReleased() {
    writer.memory().create("default", "guarded", 64);
    writer.memory().attach("default", "guarded", true);
    reader.memory().attach("default", "guarded", true);

    BlockLock lock = writer.memory().lock("default", "guarded");
    assertThatThrownBy(() -> reader.memory().lock("default", "guarded"))
        .isInstanceOfSatisfying(
            LatZeroClientException.class, e -> assertThat(e.code()).isEqualTo("LOCK_HELD"));
    writer.memory().unlock("default", "guarded", lock.lockId());

    assertThat(reader.memory().lock("default", "guarded").lockId()).isGreaterThan(lock.lockId());
  }

  @Test
  void badBlockRequestsGetTheMemoryLayersCodes() {
    writer.memory().create("default", "small", 16);

    assertThat(code(() -> writer.memory().read("default", "missing", 0, 1)))
        .isEqualTo("BLOCK_NOT_FOUND");
    assertThat(code(() -> writer.memory().write("default", "small", 0, utf8("x"))))
        .isEqualTo("NOT_ATTACHED");
    writer.memory().attach("default", "small", false);
    assertThat(code(() -> writer.memory().read("default", "small", 10, 10)))
        .isEqualTo("OUT_OF_BOUNDS");
    assertThat(code(() -> writer.memory().create("default", "small", 16)))
        .isEqualTo("BLOCK_EXISTS");
  }

  @Test
  void blockPermissionsRefuseAppsNotListed() {
    writer.memory().create("default", "private", 16, List.of("writer"), List.of("writer"), false);

    assertThat(code(() -> reader.memory().attach("default", "private", false)))
        .isEqualTo("ACCESS_DENIED");
    assertThat(code(() -> reader.memory().attach("default", "private", true)))
        .isEqualTo("ACCESS_DENIED");
  }

  @Test
  void inspectListAndDeleteDescribeAndRemoveBlocks() throws Exception {
    writer.memory().create("default", "listed", 32);
    writer.memory().attach("default", "listed", true);

    ObjectNode inspected = writer.memory().inspect("default", "listed");
    assertThat(inspected.path("attachments").get(0).path("app_id").asText()).isEqualTo("writer");
    assertThat(SchemaValidator.protocol().validate(inspected, "#/definitions/results/blockView"))
        .isEmpty();
    assertThat(writer.memory().list("default"))
        .extracting(block -> block.path("block").asText())
        .contains("listed");
    ObjectNode viaAdmin =
        (ObjectNode)
            writer
                .admin(
                    "inspect_block",
                    RawClient.JSON.createObjectNode().put("block_id", "default:listed"))
                .get(10, TimeUnit.SECONDS);
    assertThat(viaAdmin.path("size").asInt()).isEqualTo(32);

    writer.memory().delete("default", "listed", true);
    assertThat(code(() -> writer.memory().inspect("default", "listed")))
        .isEqualTo("BLOCK_NOT_FOUND");
  }

  @Test
  void openSharedFailsClearlyWhenTheBlockIsNotOnThisHost() throws Exception {
    writer.memory().create("default", "elsewhere", 16);
    // Simulates a server on another host: the path it reports does not exist here.
    java.nio.file.Files.delete(
        Path.of(writer.memory().attach("default", "elsewhere", false).path()));

    assertThat(code(() -> reader.memory().openShared("default:elsewhere", false)))
        .isEqualTo(LatZeroClientException.NOT_LOCAL);
    assertThat(reader.ping().get(10, TimeUnit.SECONDS).path("type").asText()).isEqualTo("pong");
  }

  @Test
  void malformedMemoryAndAdminRequestsAreValidationErrors() {
    writer.memory().create("default", "strict", 16);
    List<ObjectNode> requests =
        List.of(
            RawClient.message("memory").put("operation", "create").put("block_id", "nosize"),
            RawClient.message("memory")
                .put("operation", "write")
                .put("block_id", "strict")
                .put("data", "%%% not base64"),
            RawClient.message("memory").put("operation", "unlock").put("block_id", "strict"),
            RawClient.message("memory").put("operation", "melt").put("block_id", "strict"),
            RawClient.message("memory")
                .put("operation", "read")
                .put("block_id", "strict")
                .put("offset", "zero"),
            RawClient.message("admin").put("operation", "reboot"),
            RawClient.message("admin").put("operation", "delete_pool"));
    try (RawClient raw = new RawClient(server.port())) {
      raw.handshake("strict-client", List.of("default"), List.of());
      for (ObjectNode request : requests) {
        raw.send(request);
        ObjectNode error = raw.receive();
        assertThat(error.path("error_code").asText())
            .as("%s", request)
            .isEqualTo("VALIDATION_ERROR");
        assertThat(error.path("in_reply_to").asText()).isEqualTo(request.path("id").asText());
      }
    }
  }

  private static String code(Runnable request) {
    try {
      request.run();
    } catch (LatZeroClientException e) {
      return e.code();
    }
    throw new AssertionError("the request succeeded");
  }
}
