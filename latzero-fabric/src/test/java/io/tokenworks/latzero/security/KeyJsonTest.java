package io.tokenworks.latzero.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class KeyJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void tripleKeyRoundTripsThroughUpstreamFieldNames() {
    TripleKey keys = TripleKey.generate();

    ObjectNode json = keys.writeJson(JSON.createObjectNode());
    TripleKey read = TripleKey.fromJson(json);

    assertThat(json.fieldNames())
        .toIterable()
        .containsExactly("sigil_key", "cipher_shard", "oblivion_seal");
    assertThat(json.get("sigil_key").textValue()).isEqualTo(keys.sigil().toHex());
    assertThat(read.sigil().toHex()).isEqualTo(keys.sigil().toHex());
    assertThat(read.cipher().toHex()).isEqualTo(keys.cipher().toHex());
    assertThat(read.oblivion().toHex()).isEqualTo(keys.oblivion().toHex());
  }

  @Test
  void presentedKeysTakeAnySubsetAndTreatNullAsAbsent() throws Exception {
    String sigil = SigilKey.generate().toHex();
    JsonNode json =
        JSON.readTree(
            "{\"type\":\"handshake\",\"sigil_key\":\"" + sigil + "\",\"cipher_shard\":null}");

    PresentedKeys keys = PresentedKeys.fromJson(json);

    assertThat(keys.sigil()).map(PoolSecret::toHex).contains(sigil);
    assertThat(keys.cipher()).isEmpty();
    assertThat(keys.oblivion()).isEmpty();
    assertThat(keys.toString()).isEqualTo("PresentedKeys[sigil_key]");
  }

  @Test
  void presentedKeysFromAnObjectWithoutKeysAreEmpty() throws Exception {
    PresentedKeys keys = PresentedKeys.fromJson(JSON.readTree("{\"type\":\"handshake\"}"));

    assertThat(keys.isEmpty()).isTrue();
    assertThat(keys.toString()).isEqualTo("PresentedKeys[]");
  }

  @Test
  void aKeyThatIsNotAStringIsMalformed() throws Exception {
    JsonNode json = JSON.readTree("{\"oblivion_seal\":12345}");

    assertThatThrownBy(() -> PresentedKeys.fromJson(json))
        .isInstanceOfSatisfying(
            LatZeroSecurityException.class,
            e -> assertThat(e.error()).isEqualTo(SecurityError.MALFORMED_KEY))
        .hasMessage("oblivion_seal must be a JSON string, got NUMBER");
  }

  @Test
  void keysOutsideAnObjectAreMalformed() throws Exception {
    JsonNode json = JSON.readTree("[\"abc\"]");

    assertThatThrownBy(() -> PresentedKeys.fromJson(json))
        .isInstanceOfSatisfying(
            LatZeroSecurityException.class,
            e -> assertThat(e.error()).isEqualTo(SecurityError.MALFORMED_KEY))
        .hasMessage("keys must be in a JSON object, got ARRAY");
  }

  @Test
  void aMalformedKeyAfterAGoodOneFailsWithoutEchoingEither() {
    String sigil = SigilKey.generate().toHex();
    String badCipher = "zz" + sigil.substring(2);
    ObjectNode json =
        JSON.createObjectNode().put("sigil_key", sigil).put("cipher_shard", badCipher);

    assertThatThrownBy(() -> PresentedKeys.fromJson(json))
        .isInstanceOfSatisfying(
            LatZeroSecurityException.class,
            e -> assertThat(e.error()).isEqualTo(SecurityError.MALFORMED_KEY))
        .message()
        .doesNotContain(sigil.substring(2))
        .contains("cipher_shard");
  }

  @Test
  void tripleKeyNeedsAllThreeFields() {
    ObjectNode json = TripleKey.generate().writeJson(JSON.createObjectNode());
    json.remove("cipher_shard");

    assertThatThrownBy(() -> TripleKey.fromJson(json))
        .isInstanceOfSatisfying(
            LatZeroSecurityException.class,
            e -> assertThat(e.error()).isEqualTo(SecurityError.MISSING_KEY))
        .hasMessage("cipher_shard is missing");
  }
}
