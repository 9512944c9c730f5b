package io.tokenworks.latzero.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenworks.protocol.latzero.client.LatZeroClient;
import io.tokenworks.protocol.latzero.client.LatZeroClientException;
import io.tokenworks.protocol.latzero.client.LatZeroClientOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encrypted pools over the wire: the creator gets the three keys once; the SigilKey joins, the
 * CipherShard adds reading, the OblivionSeal writing.
 */
class EncryptedPoolTest {

  @TempDir Path dir;
  private LatZeroServer server;
  private LatZeroClient owner;
  private JsonNode keys;

  @BeforeEach
  void start() {
    server = TestServers.start(dir);
    owner = TestServers.client(server, "owner");
    ObjectNode pool = owner.createPool("vault", "encrypted");
    assertThat(SchemaValidator.protocol().validate(pool, "#/definitions/results/poolView"))
        .isEmpty();
    keys = pool.path("keys");
  }

  @AfterEach
  void stop() {
    owner.close();
    server.close();
  }

  private LatZeroClient join(String appId, String... roles) {
    Map<String, String> presented = new java.util.LinkedHashMap<>();
    for (String role : roles) {
      presented.put(role, keys.path(role).asText());
    }
    return TestServers.client(
        server,
        appId,
        LatZeroClientOptions.builder().pools("vault").credentials("vault", presented).build());
  }

  private String refusal(Runnable action) {
    try {
      action.run();
    } catch (LatZeroClientException e) {
      return e.code();
    }
    throw new AssertionError("not refused");
  }

  @Test
  void creatorReceivesTheThreeKeysOnceAndNobodyAgain() {
    assertThat(keys.path("sigil_key").asText()).hasSize(64);
    assertThat(keys.path("cipher_shard").asText()).hasSize(64);
    assertThat(keys.path("oblivion_seal").asText()).hasSize(64);

    assertThat(owner.inspectPool("vault").has("keys")).isFalse();
    assertThat(owner.listPools()).allSatisfy(pool -> assertThat(pool.has("keys")).isFalse());
    assertThat(owner.inspectPool("vault").path("encrypted").asBoolean()).isTrue();
  }

  @Test
  void handshakeWithAllThreeKeysJoinsAndMayReadAndWrite() {
    try (LatZeroClient member = join("member", "sigil_key", "cipher_shard", "oblivion_seal")) {
      assertThat(member.pools()).contains("vault");
      member.memory().create("vault", "secret", 32);
      member.memory().attach("vault", "secret", true);
      member.memory().write("vault", "secret", 0, "sealed".getBytes(StandardCharsets.UTF_8));

      assertThat(member.memory().read("vault", "secret", 0, 6).data())
          .isEqualTo("sealed".getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void handshakeWithoutKeysOrWithAWrongKeyIsDenied() {
    String missing =
        refusal(
            () ->
                TestServers.client(
                        server, "stranger", LatZeroClientOptions.builder().pools("vault").build())
                    .close());
    String wrong =
        refusal(
            () ->
                TestServers.client(
                        server,
                        "forger",
                        LatZeroClientOptions.builder()
                            .pools("vault")
                            .credentials("vault", Map.of("sigil_key", "ab".repeat(32)))
                            .build())
                    .close());

    assertThat(missing).isEqualTo("ACCESS_DENIED");
    assertThat(wrong).isEqualTo("ACCESS_DENIED");
  }

  @Test
  void cipherShardWithoutTheOblivionSealReadsButCannotWrite() {
    try (LatZeroClient writer = join("writer", "sigil_key", "cipher_shard", "oblivion_seal");
        LatZeroClient readerOnly = join("reader-only", "sigil_key", "cipher_shard")) {
      writer.memory().create("vault", "ledger", 16);

      readerOnly.memory().attach("vault", "ledger", false);
      assertThat(readerOnly.memory().read("vault", "ledger", 0, 4).data()).hasSize(4);
      assertThat(refusal(() -> readerOnly.memory().attach("vault", "ledger", true)))
          .isEqualTo("ACCESS_DENIED");
      assertThat(refusal(() -> readerOnly.memory().create("vault", "mine", 16)))
          .isEqualTo("ACCESS_DENIED");
    }
  }

  @Test
  void sigilKeyAloneJoinsButCannotRead() {
    try (LatZeroClient writer = join("writer", "sigil_key", "cipher_shard", "oblivion_seal");
        LatZeroClient joinOnly = join("join-only", "sigil_key")) {
      writer.memory().create("vault", "hidden", 16);

      assertThat(joinOnly.pools()).contains("vault");
      assertThat(refusal(() -> joinOnly.memory().attach("vault", "hidden", false)))
          .isEqualTo("ACCESS_DENIED");
      assertThat(refusal(() -> joinOnly.memory().list("vault"))).isEqualTo("ACCESS_DENIED");
    }
  }

  @Test
  void credentialsOfTheWrongShapeAreAValidationError() {
    try (RawClient raw = new RawClient(server.port())) {
      ObjectNode hello = RawClient.message("handshake").put("app_id", "odd");
      hello.putArray("pools").add("vault");
      hello.putObject("credentials").put("vault", "not-an-object");
      raw.send(hello);

      ObjectNode error = raw.receive();
      assertThat(error.path("error_code").asText()).isEqualTo("VALIDATION_ERROR");
      raw.handshake("odd", List.of("default"), List.of());
    }
  }
}
