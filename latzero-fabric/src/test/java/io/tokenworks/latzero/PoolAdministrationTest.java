package io.tokenworks.latzero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.latzero.pool.PoolInfo;
import io.tokenworks.latzero.pool.PoolPolicies;
import io.tokenworks.latzero.pool.PoolSpec;
import io.tokenworks.latzero.pool.PoolType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoolAdministrationTest {

  @TempDir Path dataDir;

  private LatZeroFabric fabric;

  @BeforeEach
  void open() {
    fabric = open(FabricConfig.builder(dataDir));
  }

  private LatZeroFabric open(FabricConfig.Builder builder) {
    if (fabric != null) {
      fabric.close();
    }
    fabric = LatZeroFabric.open(builder.backupInterval(Duration.ZERO).adminAppIds("root").build());
    return fabric;
  }

  @AfterEach
  void close() {
    fabric.close();
  }

  private static void assertFails(FabricError error, ThrowingCallable action) {
    assertThatThrownBy(action)
        .isInstanceOf(FabricException.class)
        .extracting(e -> ((FabricException) e).error())
        .isEqualTo(error);
  }

  @Test
  void defaultAndSystemPoolsExistAtStart() {
    assertThat(fabric.listPools()).extracting(PoolInfo::name).containsExactly("default", "system");
    assertThat(fabric.inspectPool("default").policies()).isEqualTo(PoolPolicies.DEFAULT);
  }

  @Test
  void createdPoolIsListedInspectedAndDeleted() {
    PoolPolicies policies =
        new PoolPolicies(List.of("*"), List.of("writer"), List.of("*"), List.of("boss"));
    PoolInfo created =
        fabric.createPool(
            PoolSpec.builder("analytics")
                .policies(policies)
                .owners("owner")
                .description("numbers")
                .build());

    assertThat(created.type()).isEqualTo(PoolType.LOCAL);
    assertThat(created.encrypted()).isFalse();
    assertThat(fabric.listPools())
        .extracting(PoolInfo::name)
        .containsExactly("analytics", "default", "system");
    PoolInfo inspected = fabric.inspectPool("analytics");
    assertThat(inspected.policies()).isEqualTo(policies);
    assertThat(inspected.owners()).containsExactly("owner");
    assertThat(inspected.description()).isEqualTo("numbers");

    fabric.deletePool("analytics");

    assertThat(fabric.listPools()).extracting(PoolInfo::name).containsExactly("default", "system");
    assertFails(FabricError.POOL_NOT_FOUND, () -> fabric.inspectPool("analytics"));
  }

  @Test
  void encryptedPoolKeepsItsSecurityBlobAcrossRestart() {
    fabric.createPool(
        PoolSpec.builder("vault").type(PoolType.ENCRYPTED).securityBlob("{\"v\":1}").build());

    open(FabricConfig.builder(dataDir));

    PoolInfo vault = fabric.inspectPool("vault");
    assertThat(vault.encrypted()).isTrue();
    assertThat(vault.securityBlob()).isEqualTo("{\"v\":1}");
  }

  @Test
  void creationRefusesBadOrDuplicateOrUnsupportedPools() {
    fabric.createPool(PoolSpec.builder("taken").build());

    assertFails(
        FabricError.POOL_EXISTS, () -> fabric.createPool(PoolSpec.builder("taken").build()));
    assertFails(
        FabricError.POOL_EXISTS, () -> fabric.createPool(PoolSpec.builder("default").build()));
    assertFails(
        FabricError.VALIDATION_ERROR,
        () -> fabric.createPool(PoolSpec.builder("bad name").build()));
    assertFails(
        FabricError.VALIDATION_ERROR,
        () -> fabric.createPool(PoolSpec.builder("ok").owners("bad owner").build()));
    assertFails(
        FabricError.VALIDATION_ERROR,
        () -> fabric.createPool(PoolSpec.builder("ok").description("d".repeat(1025)).build()));
    assertFails(
        FabricError.VALIDATION_ERROR,
        () -> new PoolPolicies(List.of("not an app"), List.of(), List.of(), List.of()));
    assertThatThrownBy(
            () -> fabric.createPool(PoolSpec.builder("world").type(PoolType.GLOBAL).build()))
        .isInstanceOf(FabricException.class)
        .hasMessageContaining("global pools will be built on the TokenStream mesh")
        .extracting(e -> ((FabricException) e).error())
        .isEqualTo(FabricError.UNSUPPORTED_POOL_TYPE);
    assertFails(FabricError.VALIDATION_ERROR, () -> PoolType.fromWireName("galactic"));
    assertThat(PoolType.fromWireName("Encrypted")).isEqualTo(PoolType.ENCRYPTED);
    assertThat(fabric.listPools())
        .extracting(PoolInfo::name)
        .containsExactly("default", "system", "taken");
  }

  @Test
  void poolCountIsBounded() {
    open(FabricConfig.builder(dataDir).maxPools(3));
    fabric.createPool(PoolSpec.builder("third").build());

    assertFails(
        FabricError.LIMIT_REACHED, () -> fabric.createPool(PoolSpec.builder("fourth").build()));
    assertFails(
        FabricError.LIMIT_REACHED,
        () ->
            fabric.handshake(
                Handshake.builder("app").pools("fifth").build(), new RecordingDelivery()));
  }

  @Test
  void deletionRefusesBuiltInPoolsUnknownPoolsAndPoolsWithLiveMembers() {
    fabric.createPool(PoolSpec.builder("busy").build());
    FabricSession member =
        fabric.handshake(Handshake.builder("app").pools("busy").build(), new RecordingDelivery());

    assertFails(FabricError.POOL_PROTECTED, () -> fabric.deletePool("default"));
    assertFails(FabricError.POOL_PROTECTED, () -> fabric.deletePool("system"));
    assertFails(FabricError.POOL_NOT_FOUND, () -> fabric.deletePool("ghost"));
    assertFails(FabricError.POOL_NOT_FOUND, () -> fabric.deletePool(null));
    assertFails(FabricError.POOL_NOT_FOUND, () -> fabric.inspectPool(null));
    assertThatThrownBy(() -> fabric.deletePool("busy"))
        .hasMessageContaining("[app]")
        .extracting(e -> ((FabricException) e).error())
        .isEqualTo(FabricError.POOL_IN_USE);

    member.close();
    fabric.deletePool("busy");

    AppInfo app = fabric.apps().get(0);
    assertThat(app.pools()).isEmpty();
  }

  @Test
  void deletedPoolsMembershipsAreGoneAfterRestart() {
    fabric
        .handshake(
            Handshake.builder("app").pools("temp", "default").triggers("t").build(),
            new RecordingDelivery())
        .close();
    fabric.deletePool("temp");

    open(FabricConfig.builder(dataDir));

    assertThat(fabric.apps().get(0).pools()).containsExactly("default");
    FabricSession restored =
        fabric.handshake(Handshake.builder("app").rehydrate(true).build(), new RecordingDelivery());
    assertThat(restored.pools()).containsExactly("default");
  }

  @Test
  void sessionsCreatePoolsAsOwnersAndDeleteOnlyWhatTheyOwnOrAdminister() {
    FabricSession alice =
        fabric.handshake(Handshake.builder("alice").build(), new RecordingDelivery());
    FabricSession bob = fabric.handshake(Handshake.builder("bob").build(), new RecordingDelivery());
    FabricSession root =
        fabric.handshake(Handshake.builder("root").build(), new RecordingDelivery());

    PoolInfo mine = alice.createPool(PoolSpec.builder("alices").build());
    alice.createPool(
        PoolSpec.builder("shared")
            .policies(new PoolPolicies(List.of("*"), List.of("*"), List.of("*"), List.of("bob")))
            .build());
    alice.createPool(PoolSpec.builder("rootable").build());

    assertThat(mine.owners()).containsExactly("alice");
    assertFails(FabricError.ACCESS_DENIED, () -> bob.deletePool("alices"));
    bob.deletePool("shared");
    root.deletePool("rootable");
    alice.deletePool("alices");
    assertThat(bob.listPools()).extracting(PoolInfo::name).containsExactly("default", "system");
    assertThat(bob.inspectPool("default").liveMembers()).containsExactly("alice", "bob", "root");
  }

  @Test
  void sessionsMayNotCreatePoolsWhenAutoCreateIsOffUnlessAdmin() {
    open(FabricConfig.builder(dataDir).autoCreatePools(false));
    FabricSession app = fabric.handshake(Handshake.builder("app").build(), new RecordingDelivery());
    FabricSession root =
        fabric.handshake(Handshake.builder("root").build(), new RecordingDelivery());

    assertFails(FabricError.ACCESS_DENIED, () -> app.createPool(PoolSpec.builder("p").build()));
    assertThat(root.createPool(PoolSpec.builder("p").build()).owners()).containsExactly("root");
  }

  @Test
  void onlyAdminsSeeTheAppListAndStatusThroughASession() {
    FabricSession app =
        fabric.handshake(Handshake.builder("app").triggers("t").build(), new RecordingDelivery());
    FabricSession root =
        fabric.handshake(Handshake.builder("root").build(), new RecordingDelivery());
    fabric.handshake(Handshake.builder("gone").build(), new RecordingDelivery()).close();

    assertFails(FabricError.ACCESS_DENIED, app::listApps);
    assertFails(FabricError.ACCESS_DENIED, app::status);

    List<AppInfo> apps = root.listApps();
    assertThat(apps).extracting(AppInfo::appId).containsExactly("app", "gone", "root");
    assertThat(apps).extracting(AppInfo::live).containsExactly(true, false, true);
    assertThat(apps.get(0).triggers()).containsExactly("t");
    assertThat(apps.get(1).lastSeenMs()).isPositive();
    FabricStatus status = root.status();
    assertThat(status.pools()).isEqualTo(2);
    assertThat(status.knownApps()).isEqualTo(3);
    assertThat(status.liveSessions()).isEqualTo(2);
    assertThat(status.storageFailures()).isZero();
  }
}
