package io.tokenworks.latzero;

import static io.tokenworks.latzero.RecordingDelivery.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenworks.latzero.pool.PoolSpec;
import io.tokenworks.latzero.store.FabricStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FabricFaultTest {

  @TempDir Path dataDir;

  private FabricConfig config(Path dir) {
    return FabricConfig.builder(dir).backupInterval(Duration.ZERO).build();
  }

  @Test
  void corruptDatabaseFailsTheOpenWithStorageFailureNamingTheFile() throws Exception {
    Path file = dataDir.resolve(FabricStore.DATABASE_FILE);
    Files.write(file, "garbage".repeat(1000).getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> LatZeroFabric.open(config(dataDir)))
        .isInstanceOf(FabricException.class)
        .hasMessageContaining(file.toString())
        .extracting(e -> ((FabricException) e).error())
        .isEqualTo(FabricError.STORAGE_FAILURE);
  }

  @Test
  void poolCreationThatCannotBeStoredFailsAndLeavesNoPool() throws Exception {
    try (LatZeroFabric fabric = LatZeroFabric.open(config(dataDir))) {
      try (Connection connection =
              DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("data.db"));
          Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON pool_metadata"
                + " BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
      }

      assertThatThrownBy(() -> fabric.createPool(PoolSpec.builder("p").build()))
          .hasMessageContaining("disk says no")
          .extracting(e -> ((FabricException) e).error())
          .isEqualTo(FabricError.STORAGE_FAILURE);
      assertThat(fabric.listPools()).extracting(p -> p.name()).doesNotContain("p");
      assertThat(fabric.status().storageFailures()).isEqualTo(1);
    }
  }

  @Test
  void backupOnDemandIsRotated() {
    try (LatZeroFabric fabric =
        LatZeroFabric.open(
            FabricConfig.builder(dataDir).backupInterval(Duration.ZERO).backupsKept(2).build())) {
      Path first = fabric.backupNow();
      fabric.backupNow();
      Path third = fabric.backupNow();

      assertThat(fabric.backups()).hasSize(2).contains(third).doesNotContain(first);
      assertThat(fabric.status().backups()).isEqualTo(2);
    }
  }

  @Test
  void fabricsInOneJvmAreIndependent(@TempDir Path otherDir) {
    try (LatZeroFabric one = LatZeroFabric.open(config(dataDir));
        LatZeroFabric two = LatZeroFabric.open(config(otherDir))) {
      RecordingDelivery handler = new RecordingDelivery();
      handler.answerAs(one.handshake(Handshake.builder("h").triggers("t").build(), handler));
      FabricSession callerOnTwo =
          two.handshake(Handshake.builder("c").build(), new RecordingDelivery());

      assertThat(callerOnTwo.call(CallRequest.of("1", "t", text("x"))).error())
          .isEqualTo(FabricError.TRIGGER_ROUTING_ERROR);
      assertThat(two.apps()).extracting(AppInfo::appId).containsExactly("c");
    }
  }

  @Test
  void throwingDeliveriesDoNotStopOtherRecipients() {
    try (LatZeroFabric fabric = LatZeroFabric.open(config(dataDir))) {
      Delivery throwing =
          new RecordingDelivery() {
            @Override
            public void onEmit(String origin, String pool, String name, JsonNode payload) {
              throw new IllegalStateException("socket gone");
            }

            @Override
            public void onResult(String callId, JsonNode result) {
              throw new IllegalStateException("socket gone");
            }
          };
      fabric.handshake(Handshake.builder("bad").triggers("news").build(), throwing);
      RecordingDelivery good = new RecordingDelivery();
      FabricSession goodSession =
          fabric.handshake(Handshake.builder("good").triggers("news").build(), good);
      good.answerAs(goodSession);
      FabricSession badCaller = fabric.handshake(Handshake.builder("bad-caller").build(), throwing);

      assertThat(goodSession.emit(null, "news", text("x")).isOk()).isTrue();
      assertThat(badCaller.call(CallRequest.of("1", "news", text("x")).to("good")).isOk()).isTrue();

      assertThat(good.emits).hasSize(1);
      assertThat(fabric.status().outstandingCalls()).isZero();
      assertThat(fabric.status().deliveryFailures()).isEqualTo(2);
    }
  }

  @Test
  void closedSessionCannotReplyAndClosingTwiceIsHarmless() {
    try (LatZeroFabric fabric = LatZeroFabric.open(config(dataDir))) {
      RecordingDelivery handlerPushes = new RecordingDelivery();
      FabricSession handler =
          fabric.handshake(Handshake.builder("h").triggers("t").build(), handlerPushes);
      FabricSession caller =
          fabric.handshake(Handshake.builder("c").build(), new RecordingDelivery());
      caller.call(CallRequest.of("1", "t", text("x")));

      handler.close();
      handler.close();

      assertThat(handler.reply(handlerPushes.calls.get(0).dispatchId(), text("late")).error())
          .isEqualTo(FabricError.SESSION_CLOSED);
      assertThat(fabric.apps())
          .filteredOn(AppInfo::live)
          .extracting(AppInfo::appId)
          .containsExactly("c");
    }
  }
}
