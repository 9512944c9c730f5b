package io.tokenworks.latzero.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PoolSecretTest {

  private static final String VALID =
      "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

  @Test
  void parsesHexOfEitherCaseAndEmitsLowercase() {
    assertThat(SigilKey.parseHex(VALID).toHex()).isEqualTo(VALID);
    assertThat(CipherShard.parseHex(VALID.toUpperCase(Locale.ROOT)).toHex()).isEqualTo(VALID);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 63, 65, 128})
  void rejectsWrongLengthWithoutEchoingTheValue(int length) {
    String value = "ab".repeat(length).substring(0, length);

    assertThatThrownBy(() -> OblivionSeal.parseHex(value))
        .isInstanceOfSatisfying(
            LatZeroSecurityException.class,
            e -> assertThat(e.error()).isEqualTo(SecurityError.MALFORMED_KEY))
        .hasMessage("oblivion_seal must be 64 hex characters, got " + length);
  }

  @ParameterizedTest
  @ValueSource(strings = {"g", " ", "-", "\uff11", "\u00e9", "x"})
  void rejectsANonHexCharacterNamingOnlyItsIndex(String bad) {
    String value = VALID.substring(0, 40) + bad + VALID.substring(41);

    assertThatThrownBy(() -> CipherShard.parseHex(value))
        .isInstanceOfSatisfying(
            LatZeroSecurityException.class,
            e -> assertThat(e.error()).isEqualTo(SecurityError.MALFORMED_KEY))
        .hasMessage("cipher_shard has a character that is not a hex digit at index 40");
  }

  @Test
  void toStringNeverShowsKeyMaterial() {
    SigilKey key = SigilKey.parseHex(VALID);

    assertThat(key.toString()).isEqualTo("SigilKey[redacted]").doesNotContain("0011");
    assertThat(TripleKey.generate().toString()).isEqualTo("TripleKey[redacted]");
  }

  @Test
  void destroyZeroesTheKeyAndForbidsFurtherUse() {
    SigilKey key = SigilKey.parseHex(VALID);
    byte[] material = key.material();

    key.destroy();

    assertThat(material).containsOnly(0);
    assertThat(key.isDestroyed()).isTrue();
    assertThat(key.toString()).isEqualTo("SigilKey[destroyed]");
    assertThatThrownBy(key::toHex)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("SigilKey was destroyed");
  }

  @Test
  void destroyingATripleKeyDestroysAllThree() {
    TripleKey keys = TripleKey.generate();

    keys.destroy();

    assertThat(keys.isDestroyed()).isTrue();
    assertThat(keys.sigil().isDestroyed()).isTrue();
    assertThat(keys.cipher().isDestroyed()).isTrue();
    assertThat(keys.oblivion().isDestroyed()).isTrue();
  }

  @Test
  void generatedKeysAre32DistinctRandomBytes() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String hex = OblivionSeal.generate().toHex();
      assertThat(hex).hasSize(PoolSecret.HEX_LENGTH);
      seen.add(hex);
    }
    assertThat(seen).hasSize(200);
  }

  @Test
  void ofCopiesTheBytesAndRejectsOtherLengths() {
    byte[] bytes = Fixtures.range(0);
    SigilKey key = SigilKey.of(bytes);
    bytes[0] = 99;

    assertThat(key.material()[0]).isEqualTo((byte) 0);
    assertThatThrownBy(() -> SigilKey.of(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("length=31");
  }

  @Test
  void rolesCarryUpstreamJsonNames() {
    assertThat(SigilKey.generate().role().jsonName()).isEqualTo("sigil_key");
    assertThat(CipherShard.generate().role().jsonName()).isEqualTo("cipher_shard");
    assertThat(OblivionSeal.generate().role().jsonName()).isEqualTo("oblivion_seal");
  }
}
