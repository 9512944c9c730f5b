package io.tokenworks.latzero.security;

import static io.tokenworks.latzero.security.Fixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyDerivationTest {

  private static final byte[] RFC_IKM = hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
  private static final byte[] RFC_SALT = hex("000102030405060708090a0b0c");
  private static final byte[] RFC_INFO = hex("f0f1f2f3f4f5f6f7f8f9");
  private static final String RFC_OKM =
      "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865";

  @Test
  void hkdfOfThePoolKeyPathMatchesRfc5869TestCase1() {
    assertThat(hex(KeyDerivation.hkdfSha256(RFC_IKM, RFC_SALT, RFC_INFO, 42))).isEqualTo(RFC_OKM);
  }

  @Test
  void independentHkdfMatchesRfc5869TestCase1() {
    assertThat(hex(Rfc5869.extract(RFC_SALT, RFC_IKM)))
        .isEqualTo("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
    assertThat(hex(Rfc5869.hkdf(RFC_IKM, RFC_SALT, RFC_INFO, 42))).isEqualTo(RFC_OKM);
  }

  @Test
  void poolKeyUsesUpstreamInputsInOrder() {
    TripleKey keys = TripleKey.generate();
    String pool = "sensors";
    byte[] ikm =
        KeyDerivation.concat(
            keys.sigil().material(), keys.cipher().material(), keys.oblivion().material());
    byte[] expected =
        Rfc5869.hkdf(
            ikm,
            KeyDerivation.sha256(pool.getBytes(StandardCharsets.UTF_8)),
            ("latzero-pool-" + pool).getBytes(StandardCharsets.UTF_8),
            32);

    assertThat(keys.poolKey(pool)).isEqualTo(expected);
  }

  @Test
  void poolKeyMatchesGoldenValuesFromAnotherImplementation() {
    TripleKey keys = Fixtures.fixedKeys();

    assertThat(hex(keys.poolKey("default")))
        .isEqualTo("0d8dd84e6584e5f99cf74b9522db487f623cf716b40eda1a8e8a5fa04b4c4b8f");
    assertThat(hex(keys.poolKey("sensors/\u03b1")))
        .isEqualTo("77e4b781adc60137d7328f1691e95a907bac09e2c98b0d7fee3656c412c502a4");
  }

  @Test
  void poolKeyChangesWhenKeysSwapRoles() {
    TripleKey keys = Fixtures.fixedKeys();
    TripleKey swapped =
        TripleKey.of(
            SigilKey.of(Fixtures.range(32)),
            CipherShard.of(Fixtures.range(0)),
            OblivionSeal.of(Fixtures.range(64)));

    assertThat(swapped.poolKey("default")).isNotEqualTo(keys.poolKey("default"));
  }

  @Test
  void readAndWriteSubKeysAreIndependentOfEachOtherAndOfThePoolKey() {
    TripleKey keys = Fixtures.fixedKeys();
    byte[] content = KeyDerivation.contentKey("default", keys.sigil(), keys.cipher());
    byte[] writer = KeyDerivation.writerSeed("default", keys.sigil(), keys.oblivion());

    assertThat(hex(content))
        .isEqualTo("8404f87d447dd0a6f755a4dd3cc43c98f3fb2b2fbfc1d03450cdb49741156856");
    assertThat(writer).isNotEqualTo(content).isNotEqualTo(keys.poolKey("default"));
    assertThat(content).isNotEqualTo(keys.poolKey("default"));
  }

  @Test
  void contextEncodingIsInjective() {
    assertThat(KeyDerivation.context("ab", "c", 1))
        .isNotEqualTo(KeyDerivation.context("a", "bc", 1));
    assertThat(KeyDerivation.context("a", "b", 1)).isNotEqualTo(KeyDerivation.context("a", "b", 2));
  }

  @Test
  void emptyPoolNameIsRejected() {
    TripleKey keys = Fixtures.fixedKeys();

    assertThatThrownBy(() -> keys.poolKey(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pool");
  }
}
