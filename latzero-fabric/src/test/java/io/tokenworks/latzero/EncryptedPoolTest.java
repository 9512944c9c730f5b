package io.tokenworks.latzero;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.latzero.memory.AttachMode;
import io.tokenworks.latzero.memory.BlockPermissions;
import io.tokenworks.latzero.memory.BlockType;
import io.tokenworks.latzero.pool.PoolInfo;
import io.tokenworks.latzero.pool.PoolSpec;
import io.tokenworks.latzero.pool.PoolType;
import io.tokenworks.latzero.security.PoolCrypto;
import io.tokenworks.latzero.security.PoolVerifiers;
import io.tokenworks.latzero.security.PresentedKeys;
import io.tokenworks.latzero.security.TripleKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The triple key on real pools: keys issued once at creation, only verifiers stored, joining with
 * the SigilKey, reading with the CipherShard and writing with the OblivionSeal.
 */
class EncryptedPoolTest {

  @TempDir Path dataDir;
  @TempDir Path memoryRoot;
  private LatZeroFabric fabric;
  private TripleKey keys;

  @AfterEach
  void close() {
    if (fabric != null) {
      fabric.close();
    }
  }

  private void openWithVault() {
    open();
    PoolInfo created =
        fabric.createPool(PoolSpec.builder("vault").type(PoolType.ENCRYPTED).build());
    assertThat(created.issuedKeys()).isPresent();
    keys = created.issuedKeys().orElseThrow();
  }

  private void open() {
    fabric = LatZeroFabric.open(FabricConfig.builder(dataDir).memoryRoot(memoryRoot).build());
  }

  private FabricSession join(String appId, boolean sigil, boolean cipher, boolean oblivion) {
    Map<String, String> presented = new HashMap<>();
    if (sigil) {
      presented.put("sigil_key", keys.sigil().toHex());
    }
    if (cipher) {
      presented.put("cipher_shard", keys.cipher().toHex());
    }
    if (oblivion) {
      presented.put("oblivion_seal", keys.oblivion().toHex());
    }
    return fabric.handshake(
        Handshake.builder(appId)
            .pools("vault")
            .triggers("t")
            .credentials("vault", presented)
            .build(),
        new RecordingDelivery());
  }

  private static FabricError errorOf(Runnable action) {
    try {
      action.run();
      return null;
    } catch (FabricException e) {
      return e.error();
    }
  }

  @Test
  void theKeysAreIssuedOnceAndOnlyVerifiersAreKept() {
    openWithVault();
    PoolInfo inspected = fabric.inspectPool("vault");
    assertThat(inspected.issuedKeys()).isEmpty();
    assertThat(inspected.securityBlob())
        .isNotNull()
        .doesNotContain(keys.sigil().toHex())
        .doesNotContain(keys.cipher().toHex())
        .doesNotContain(keys.oblivion().toHex());
    assertThat(fabric.listPools())
        .filteredOn(pool -> pool.name().equals("vault"))
        .singleElement()
        .satisfies(pool -> assertThat(pool.issuedKeys()).isEmpty());
  }

  @Test
  void joiningNeedsTheSigilKeyAndWrongKeysGetAccessDenied() {
    openWithVault();
    assertThat(errorOf(() -> join("nobody", false, false, false)))
        .isEqualTo(FabricError.ACCESS_DENIED);
    assertThat(errorOf(() -> join("cipher-only", false, true, true)))
        .isEqualTo(FabricError.ACCESS_DENIED);
    Map<String, String> wrong = Map.of("sigil_key", TripleKey.generate().sigil().toHex());
    assertThat(
            errorOf(
                () ->
                    fabric.handshake(
                        Handshake.builder("forger")
                            .pools("vault")
                            .triggers("t")
                            .credentials("vault", wrong)
                            .build(),
                        new RecordingDelivery())))
        .isEqualTo(FabricError.ACCESS_DENIED);
    Map<String, String> malformed = Map.of("sigil_key", "not hex");
    assertThat(
            errorOf(
                () ->
                    fabric.handshake(
                        Handshake.builder("typo")
                            .pools("vault")
                            .triggers("t")
                            .credentials("vault", malformed)
                            .build(),
                        new RecordingDelivery())))
        .isEqualTo(FabricError.ACCESS_DENIED);
    assertThat(join("member", true, false, false).pools()).contains("vault");
  }

  @Test
  void eachCapabilityNeedsItsOwnKey() {
    openWithVault();
    FabricSession writer = join("writer", true, true, true);
    FabricSession joinOnly = join("joiner", true, false, false);
    FabricSession reader = join("reader", true, true, false);
    FabricSession writeOnly = join("scribe", true, false, true);

    // Clients seal what they store; the fabric only moves ciphertext.
    PoolCrypto crypto =
        PoolCrypto.forPool(
            "vault",
            PresentedKeys.of(keys.sigil(), keys.cipher(), keys.oblivion()),
            PoolVerifiers.parse("vault", fabric.inspectPool("vault").securityBlob())
                .writeVerifier());
    byte[] sealed = crypto.seal("secret", 1, "the plans".getBytes(StandardCharsets.UTF_8));

    writer
        .memory()
        .create(
            "vault",
            "secret",
            sealed.length,
            BlockType.ENCRYPTED,
            BlockPermissions.EVERYONE,
            false);
    writer.memory().attach("vault", "secret", AttachMode.WRITE);
    writer.memory().write("vault", "secret", 0, sealed);

    assertThat(errorOf(() -> joinOnly.memory().attach("vault", "secret", AttachMode.READ)))
        .isEqualTo(FabricError.ACCESS_DENIED);
    assertThat(errorOf(() -> writeOnly.memory().attach("vault", "secret", AttachMode.READ)))
        .isEqualTo(FabricError.ACCESS_DENIED);
    assertThat(errorOf(() -> reader.memory().attach("vault", "secret", AttachMode.WRITE)))
        .isEqualTo(FabricError.ACCESS_DENIED);
    assertThat(errorOf(() -> reader.memory().lock("vault", "secret")))
        .isEqualTo(FabricError.ACCESS_DENIED);

    reader.memory().attach("vault", "secret", AttachMode.READ);
    byte[] stored = reader.memory().read("vault", "secret", 0, sealed.length).data();
    assertThat(new String(crypto.open("secret", 1, stored), StandardCharsets.UTF_8))
        .isEqualTo("the plans");
    assertThat(writeOnly.memory().attach("vault", "secret", AttachMode.WRITE).record().block())
        .isEqualTo("secret");
  }

  @Test
  void theVerifiersSurviveARestartAndTheSameKeysStillWork() {
    openWithVault();
    fabric.close();
    open();
    assertThat(join("member", true, true, true).memory().list("vault")).isEmpty();
    assertThat(errorOf(() -> join("nobody", false, false, false)))
        .isEqualTo(FabricError.ACCESS_DENIED);
  }
}
