package io.tokenworks.latzero;

import static io.tokenworks.latzero.RecordingDelivery.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.NullNode;
import io.tokenworks.latzero.pool.PoolAccessPolicy;
import io.tokenworks.latzero.pool.PoolInfo;
import io.tokenworks.latzero.pool.PoolPolicies;
import io.tokenworks.latzero.pool.PoolSpec;
import io.tokenworks.latzero.pool.PoolType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandshakeTest {

  @TempDir Path dataDir;

  private LatZeroFabric fabric;

  private LatZeroFabric open(FabricConfig.Builder builder) {
    if (fabric != null) {
      fabric.close();
    }
    fabric = LatZeroFabric.open(builder.backupInterval(Duration.ZERO).build());
    return fabric;
  }

  private LatZeroFabric open() {
    return open(FabricConfig.builder(dataDir));
  }

  @AfterEach
  void close() {
    if (fabric != null) {
      fabric.close();
    }
  }

  private static AppInfo app(LatZeroFabric fabric, String appId) {
    return fabric.apps().stream().filter(a -> a.appId().equals(appId)).findFirst().orElseThrow();
  }

  @Test
  void handshakeWithoutPoolsJoinsDefault() {
    open();

    FabricSession session =
        fabric.handshake(Handshake.builder("app").triggers("t").build(), new RecordingDelivery());

    assertThat(session.pools()).containsExactly("default");
    assertThat(session.triggers()).containsExactly("t");
    assertThat(session.rehydrated()).isFalse();
    assertThat(fabric.inspectPool("default").liveMembers()).containsExactly("app");
  }

  @Test
  void explicitRehydrationAfterReopeningRestoresPoolsAndTriggers() {
    open();
    fabric
        .handshake(
            Handshake.builder("worker")
                .pools("jobs", "default")
                .triggers("resize", "crop")
                .metadata(Map.of("version", 3))
                .build(),
            new RecordingDelivery())
        .close();
    open();

    RecordingDelivery pushes = new RecordingDelivery();
    FabricSession restored =
        fabric.handshake(
            Handshake.builder("worker").triggers("extra").rehydrate(true).build(), pushes);
    pushes.answerAs(restored);

    assertThat(restored.rehydrated()).isTrue();
    assertThat(restored.pools()).containsExactly("jobs", "default");
    assertThat(restored.triggers()).containsExactly("resize", "crop", "extra");
    assertThat(app(fabric, "worker").metadata().get("version").asInt()).isEqualTo(3);
    assertThat(app(fabric, "worker").rehydrated()).isTrue();
    RecordingDelivery callerPushes = new RecordingDelivery();
    FabricSession caller =
        fabric.handshake(Handshake.builder("client").pools("jobs").build(), callerPushes);
    assertThat(caller.call(CallRequest.of("1", "crop", text("x")).inPool("jobs")).isOk()).isTrue();
    assertThat(callerPushes.results.get("1").get("by").asText()).isEqualTo("worker");
  }

  @Test
  void knownAppWithNoTriggersIsRehydratedByInference() {
    open();
    fabric
        .handshake(
            Handshake.builder("legacy").pools("jobs").triggers("work").build(),
            new RecordingDelivery())
        .close();
    open();

    FabricSession session =
        fabric.handshake(Handshake.builder("legacy").build(), new RecordingDelivery());

    assertThat(session.rehydrated()).isTrue();
    assertThat(session.pools()).containsExactly("jobs");
    assertThat(session.triggers()).containsExactly("work");
  }

  @Test
  void rehydrationRequestedByAnUnknownAppIsAFreshRegistration() {
    open();

    FabricSession session =
        fabric.handshake(
            Handshake.builder("newcomer").triggers("t").rehydrate(true).build(),
            new RecordingDelivery());

    assertThat(session.rehydrated()).isFalse();
    assertThat(session.pools()).containsExactly("default");
  }

  @Test
  void fullRegistrationReplacesTheStoredPoolsAndTriggers() {
    open();
    fabric
        .handshake(
            Handshake.builder("app").pools("a", "b").triggers("x").build(), new RecordingDelivery())
        .close();

    FabricSession session =
        fabric.handshake(
            Handshake.builder("app").pools("b").triggers("y").build(), new RecordingDelivery());

    assertThat(session.rehydrated()).isFalse();
    assertThat(session.pools()).containsExactly("b");
    assertThat(session.triggers()).containsExactly("y");
    assertThat(fabric.inspectPool("a").members()).doesNotContain("app");
  }

  @Test
  void newerSessionTakesOverALiveAppIdAndTheOldOnesCallsFail() {
    open();
    RecordingDelivery oldPushes = new RecordingDelivery();
    FabricSession old =
        fabric.handshake(Handshake.builder("svc").triggers("work").build(), oldPushes);
    RecordingDelivery callerPushes = new RecordingDelivery();
    FabricSession caller = fabric.handshake(Handshake.builder("client").build(), callerPushes);
    caller.call(CallRequest.of("pending", "work", text("x")));
    old.call(CallRequest.of("own", "work", text("x"))); // the old session calls itself

    RecordingDelivery newPushes = new RecordingDelivery();
    FabricSession fresh =
        fabric.handshake(Handshake.builder("svc").triggers("work").build(), newPushes);
    newPushes.answerAs(fresh);

    assertThat(old.isOpen()).isFalse();
    assertThat(oldPushes.closes).containsExactly(FabricError.SESSION_REPLACED);
    assertThat(callerPushes.failures.get("pending").error()).isEqualTo(FabricError.HANDLER_GONE);
    assertThat(oldPushes.failures).isEmpty(); // its own calls are dropped, not delivered
    assertThat(fabric.status().outstandingCalls()).isZero();
    // A reconnect that sends triggers is bound (upstream left it unbound).
    assertThat(fresh.isOpen()).isTrue();
    assertThat(caller.call(CallRequest.of("next", "work", text("x"))).isOk()).isTrue();
    assertThat(callerPushes.results.get("next").get("by").asText()).isEqualTo("svc");
    assertThat(fresh.call(CallRequest.of("own", "work", text("x"))).isOk()).isTrue();
    assertThat(fabric.status().liveSessions()).isEqualTo(2);
    // Closing the replaced session again does not unbind the newer one.
    old.close();
    assertThat(fabric.apps().stream().filter(AppInfo::live).map(AppInfo::appId)).contains("svc");
  }

  @Test
  void unknownPoolIsCreatedWhenTheFabricAutoCreates() {
    open();

    FabricSession session =
        fabric.handshake(Handshake.builder("app").pools("fresh").build(), new RecordingDelivery());

    PoolInfo created = fabric.inspectPool("fresh");
    assertThat(session.pools()).containsExactly("fresh");
    assertThat(created.type()).isEqualTo(PoolType.LOCAL);
    assertThat(created.owners()).containsExactly("app");
    assertThat(created.liveMembers()).containsExactly("app");
  }

  @Test
  void unknownPoolFailsTheHandshakeAndChangesNothingWhenAutoCreateIsOff() {
    open(FabricConfig.builder(dataDir).autoCreatePools(false));
    fabric
        .handshake(Handshake.builder("app").triggers("old").build(), new RecordingDelivery())
        .close();
    List<PoolInfo> poolsBefore = fabric.listPools();

    assertThatThrownBy(
            () ->
                fabric.handshake(
                    Handshake.builder("app").pools("default", "ghost").triggers("new").build(),
                    new RecordingDelivery()))
        .isInstanceOf(FabricException.class)
        .extracting(e -> ((FabricException) e).error())
        .isEqualTo(FabricError.POOL_NOT_FOUND);

    assertThat(fabric.listPools()).isEqualTo(poolsBefore);
    AppInfo app = app(fabric, "app");
    assertThat(app.live()).isFalse();
    assertThat(app.triggers()).containsExactly("old");
  }

  @Test
  void malformedHandshakesAreHandshakeErrors() {
    open();
    List<Handshake> bad =
        List.of(
            Handshake.builder("").build(),
            Handshake.builder("has space").build(),
            Handshake.builder("x".repeat(129)).build(),
            Handshake.builder("app").pools("bad/pool").build(),
            Handshake.builder("app").pools("p".repeat(65)).build(),
            Handshake.builder("app").triggers("bad trigger").build(),
            Handshake.builder("app").triggers(Arrays.asList("ok", null)).build(),
            Handshake.builder("app").triggers(manyTriggers(Handshake.MAX_TRIGGERS + 1)).build());

    for (Handshake handshake : bad) {
      assertThatThrownBy(() -> fabric.handshake(handshake, new RecordingDelivery()))
          .as(handshake.toString())
          .isInstanceOf(FabricException.class)
          .extracting(e -> ((FabricException) e).error())
          .isEqualTo(FabricError.HANDSHAKE_ERROR);
    }
    assertThat(fabric.apps()).isEmpty();
    assertThat(
            fabric
                .handshake(
                    Handshake.builder("a.b_c-1").triggers("ns:event.v2").build(),
                    new RecordingDelivery())
                .isOpen())
        .isTrue();
  }

  @Test
  void handshakeBuiltFromParsedJsonToleratesNulls() {
    open();
    Map<String, String> keys = new HashMap<>();
    keys.put("sigil_key", null);
    keys.put("cipher_shard", "ab");
    Map<String, Map<String, String>> credentials = new HashMap<>();
    credentials.put("vault", keys);
    credentials.put(null, Map.of());

    Handshake handshake =
        new Handshake("app", null, null, NullNode.getInstance(), false, null, credentials);

    assertThat(handshake.pools()).isEmpty();
    assertThat(handshake.metadata().isObject()).isTrue();
    assertThat(handshake.credentials()).containsOnlyKeys("vault");
    assertThat(handshake.credentials().get("vault")).containsOnly(Map.entry("cipher_shard", "ab"));
    assertThat(fabric.handshake(handshake, new RecordingDelivery()).pools())
        .containsExactly("default");
  }

  private static List<String> manyTriggers(int count) {
    List<String> triggers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      triggers.add("t" + i);
    }
    return triggers;
  }

  @Test
  void readPolicyThatExcludesTheAppDeniesTheHandshake() {
    open();
    fabric.createPool(
        PoolSpec.builder("private")
            .policies(new PoolPolicies(List.of("friend"), List.of("*"), List.of("*"), List.of()))
            .build());

    assertThatThrownBy(
            () ->
                fabric.handshake(
                    Handshake.builder("stranger").pools("private").build(),
                    new RecordingDelivery()))
        .extracting(e -> ((FabricException) e).error())
        .isEqualTo(FabricError.ACCESS_DENIED);

    assertThat(fabric.apps()).isEmpty();
    assertThat(
            fabric
                .handshake(
                    Handshake.builder("friend").pools("private").build(), new RecordingDelivery())
                .pools())
        .containsExactly("private");
  }

  @Test
  void encryptedPoolIsDeniedByDefault() {
    open();
    fabric.createPool(
        PoolSpec.builder("vault").type(PoolType.ENCRYPTED).securityBlob("verifiers").build());

    assertThatThrownBy(
            () ->
                fabric.handshake(
                    Handshake.builder("app")
                        .pools("vault")
                        .credentials("vault", Map.of("sigil_key", "00"))
                        .build(),
                    new RecordingDelivery()))
        .extracting(e -> ((FabricException) e).error())
        .isEqualTo(FabricError.ACCESS_DENIED);
  }

  @Test
  void encryptedPoolAsksTheAccessPolicyWithTheHandshakeCredentials() {
    List<String> seen = new ArrayList<>();
    PoolAccessPolicy policy =
        (pool, appId, credentials) -> {
          seen.add(pool.name() + "/" + pool.securityBlob() + "/" + appId);
          return "right".equals(credentials.get("sigil_key"));
        };
    open(FabricConfig.builder(dataDir).poolAccessPolicy(policy));
    fabric.createPool(
        PoolSpec.builder("vault").type(PoolType.ENCRYPTED).securityBlob("verifiers").build());

    assertThatThrownBy(
            () ->
                fabric.handshake(
                    Handshake.builder("app")
                        .pools("vault")
                        .credentials("vault", Map.of("sigil_key", "wrong"))
                        .build(),
                    new RecordingDelivery()))
        .extracting(e -> ((FabricException) e).error())
        .isEqualTo(FabricError.ACCESS_DENIED);
    FabricSession session =
        fabric.handshake(
            Handshake.builder("app")
                .pools("vault")
                .credentials("vault", Map.of("sigil_key", "right"))
                .build(),
            new RecordingDelivery());

    assertThat(session.pools()).containsExactly("vault");
    assertThat(seen).containsExactly("vault/verifiers/app", "vault/verifiers/app");
  }

  @Test
  void registryMembershipAndPoolsPersistAcrossRestart() {
    open();
    fabric.createPool(PoolSpec.builder("jobs").description("batch work").owners("ops").build());
    fabric
        .handshake(
            Handshake.builder("worker")
                .pools("jobs")
                .triggers("work")
                .protocolVersion("0.1.0")
                .build(),
            new RecordingDelivery())
        .close();
    long lastSeen = app(fabric, "worker").lastSeenMs();

    open();

    PoolInfo jobs = fabric.inspectPool("jobs");
    assertThat(jobs.description()).isEqualTo("batch work");
    assertThat(jobs.owners()).containsExactly("ops");
    assertThat(jobs.members()).containsExactly("worker");
    assertThat(jobs.liveMembers()).isEmpty();
    AppInfo worker = app(fabric, "worker");
    assertThat(worker.live()).isFalse();
    assertThat(worker.pools()).containsExactly("jobs");
    assertThat(worker.triggers()).containsExactly("work");
    assertThat(worker.protocolVersion()).isEqualTo("0.1.0");
    assertThat(worker.lastSeenMs()).isEqualTo(lastSeen);
    assertThat(fabric.listPools())
        .extracting(PoolInfo::name)
        .containsExactly("default", "jobs", "system");
  }

  @Test
  void handshakeAfterCloseIsServiceUnavailableAndLiveSessionsAreTold() {
    open();
    RecordingDelivery pushes = new RecordingDelivery();
    FabricSession session = fabric.handshake(Handshake.builder("app").build(), pushes);

    fabric.close();

    assertThat(session.isOpen()).isFalse();
    assertThat(pushes.closes).containsExactly(FabricError.SERVICE_UNAVAILABLE);
    assertThatThrownBy(
            () -> fabric.handshake(Handshake.builder("app").build(), new RecordingDelivery()))
        .extracting(e -> ((FabricException) e).error())
        .isEqualTo(FabricError.SERVICE_UNAVAILABLE);
  }

  @Test
  void secondFabricOnTheSameDirectoryIsRefused() {
    open();

    assertThatThrownBy(() -> LatZeroFabric.open(FabricConfig.builder(dataDir).build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("in use by another LatZero fabric");
  }
}
