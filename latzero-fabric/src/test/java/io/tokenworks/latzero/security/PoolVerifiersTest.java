package io.tokenworks.latzero.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PoolVerifiersTest {

  private static final String POOL = "vault";

  /** Fixed keys, salt a5..a5, pool default; verifiers computed with Python's HKDF. */
  private static final String GOLDEN_STORED =
      "lzv1.a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5"
          + ".fb15e7505764fa56a6b477d50beb9ec933f6c1fdda11ad8cfca557a131e331ab"
          + ".6559dc44391e85f9de849bc2901e9bb1e1c8bbe6413a8920b6d8d6e11ba71ef6"
          + ".2c4f0e00cf97cbc83eba33068d8ca4d27d3b9926b616152c19a395ecd46c8476"
          + ".f659679d1d85222c5d2a24344ed2df37756fb8f6b523005c59c19e4e5e09e9a9";

  private static final PoolVerifiers.Provisioned PROVISIONED = PoolVerifiers.provision(POOL);

  /** How a test presents one key. */
  enum Presented {
    ABSENT,
    RIGHT,
    WRONG
  }

  static Stream<Arguments> everyCombination() {
    List<Arguments> all = new ArrayList<>();
    for (Presented sigil : Presented.values()) {
      for (Presented cipher : Presented.values()) {
        for (Presented oblivion : Presented.values()) {
          all.add(Arguments.of(sigil, cipher, oblivion));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "sigil {0}, cipher {1}, oblivion {2}")
  @MethodSource("everyCombination")
  void authorizeFollowsTheKeyHierarchy(Presented sigil, Presented cipher, Presented oblivion) {
    Set<Capability> granted = PROVISIONED.verifiers().authorize(present(sigil, cipher, oblivion));

    Set<Capability> expected = EnumSet.noneOf(Capability.class);
    if (sigil == Presented.RIGHT) {
      expected.add(Capability.JOIN);
      if (cipher == Presented.RIGHT) {
        expected.add(Capability.READ);
      }
      if (oblivion == Presented.RIGHT) {
        expected.add(Capability.WRITE);
      }
    }
    assertThat(granted).isEqualTo(expected);
  }

  @Test
  void cipherShardAloneNoLongerGrantsRead() {
    TripleKey keys = PROVISIONED.keys();

    assertThat(PROVISIONED.verifiers().authorize(PresentedKeys.of(null, keys.cipher(), null)))
        .isEmpty();
    assertThat(
            PROVISIONED
                .verifiers()
                .authorize(PresentedKeys.of(null, keys.cipher(), keys.oblivion())))
        .isEmpty();
  }

  @Test
  void allThreeKeysGrantEverythingAndNoKeysGrantNothing() {
    assertThat(PROVISIONED.verifiers().authorize(PROVISIONED.keys().presented()))
        .containsExactly(Capability.JOIN, Capability.READ, Capability.WRITE);
    assertThat(PROVISIONED.verifiers().authorize(PresentedKeys.none())).isEmpty();
  }

  @Test
  void keysOfAnotherPoolGrantNothing() {
    PoolVerifiers.Provisioned other = PoolVerifiers.provision("other");

    assertThat(PROVISIONED.verifiers().authorize(other.keys().presented())).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyCombination")
  void comparesAllThreeVerifiersInConstantTimeWhicheverKeyIsWrong(
      Presented sigil, Presented cipher, Presented oblivion) {
    AtomicInteger comparisons = new AtomicInteger();
    PoolVerifiers counted =
        PoolVerifiers.parse(
            POOL,
            PROVISIONED.verifiers().toStoredForm(),
            (computed, stored) -> {
              comparisons.incrementAndGet();
              return MessageDigest.isEqual(computed, stored);
            });

    Set<Capability> granted = counted.authorize(present(sigil, cipher, oblivion));

    assertThat(comparisons).hasValue(3);
    assertThat(granted)
        .isEqualTo(PROVISIONED.verifiers().authorize(present(sigil, cipher, oblivion)));
  }

  @Test
  void requireDeniesWithoutNamingTheWrongKey() {
    TripleKey keys = PROVISIONED.keys();
    PresentedKeys wrongSeal =
        PresentedKeys.of(keys.sigil(), keys.cipher(), OblivionSeal.generate());

    PROVISIONED.verifiers().require(wrongSeal, Capability.READ);
    assertThatThrownBy(() -> PROVISIONED.verifiers().require(wrongSeal, Capability.WRITE))
        .isInstanceOfSatisfying(
            LatZeroSecurityException.class,
            e -> assertThat(e.error()).isEqualTo(SecurityError.ACCESS_DENIED))
        .hasMessage("WRITE on pool 'vault' needs sigil_key and oblivion_seal");
  }

  @Test
  void storedFormMatchesGoldenValuesFromAnotherImplementation() {
    byte[] salt = new byte[32];
    java.util.Arrays.fill(salt, (byte) 0xa5);

    PoolVerifiers verifiers = PoolVerifiers.fromKeys(Fixtures.POOL, Fixtures.fixedKeys(), salt);

    assertThat(verifiers.toStoredForm()).isEqualTo(GOLDEN_STORED);
    assertThat(
            PoolVerifiers.parse(Fixtures.POOL, GOLDEN_STORED)
                .authorize(Fixtures.fixedKeys().presented()))
        .containsExactly(Capability.JOIN, Capability.READ, Capability.WRITE);
  }

  @Test
  void storedFormRoundTrips() {
    String stored = PROVISIONED.verifiers().toStoredForm();
    PoolVerifiers read = PoolVerifiers.parse(POOL, stored);

    assertThat(read.toStoredForm()).isEqualTo(stored);
    assertThat(read.authorize(PROVISIONED.keys().presented())).hasSize(3);
    assertThat(read.writeVerifier().publicKeyHex())
        .isEqualTo(PROVISIONED.verifiers().writeVerifier().publicKeyHex());
  }

  @Test
  void storedFormNeverContainsKeyBytes() {
    for (int i = 0; i < 50; i++) {
      PoolVerifiers.Provisioned provisioned = PoolVerifiers.provision("pool-" + i);
      String stored = provisioned.verifiers().toStoredForm();
      for (PoolSecret key :
          List.of(
              provisioned.keys().sigil(),
              provisioned.keys().cipher(),
              provisioned.keys().oblivion())) {
        byte[] material = key.material();
        assertThat(stored)
            .doesNotContain(key.toHex())
            .doesNotContain(key.toHex().toUpperCase(Locale.ROOT))
            .doesNotContain(Base64.getEncoder().encodeToString(material))
            .doesNotContain(key.toHex().substring(0, 16));
        for (String field : stored.split("\\.")) {
          if (field.length() == 64) {
            assertThat(HexFormat.of().parseHex(field)).isNotEqualTo(material);
          }
        }
      }
      assertThat(provisioned.verifiers().toString())
          .isEqualTo("PoolVerifiers[pool=pool-" + i + "]");
    }
  }

  @Test
  void sameKeysGetDifferentVerifiersUnderFreshSalts() {
    TripleKey keys = PROVISIONED.keys();

    String first = PoolVerifiers.fromKeys(POOL, keys, PoolSecret.RANDOM).toStoredForm();
    String second = PoolVerifiers.fromKeys(POOL, keys, PoolSecret.RANDOM).toStoredForm();

    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void storedFormReadUnderAnotherPoolNameGrantsNothing() {
    PoolVerifiers moved = PoolVerifiers.parse("elsewhere", PROVISIONED.verifiers().toStoredForm());

    assertThat(moved.authorize(PROVISIONED.keys().presented())).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "lzv2.a.b.c.d.e",
        "lzv1",
        "lzv1.00.00.00.00.00",
        "lzv1.too.few",
      })
  void unreadableStoredFormsAreMalformed(String stored) {
    assertThatThrownBy(() -> PoolVerifiers.parse(POOL, stored))
        .isInstanceOfSatisfying(
            LatZeroSecurityException.class,
            e -> assertThat(e.error()).isEqualTo(SecurityError.MALFORMED_VERIFIER));
  }

  @Test
  void storedFieldsMustBeLowercaseHexOfTheRightLength() {
    String stored = PROVISIONED.verifiers().toStoredForm();
    String upper = "lzv1." + "A".repeat(64) + stored.substring(69);
    String extraField = stored + "." + stored.substring(5, 69);
    String shortField = stored.substring(0, stored.length() - 1);

    assertThatThrownBy(() -> PoolVerifiers.parse(POOL, upper))
        .hasMessage("stored verifiers of pool 'vault' field 1 is not lowercase hex at index 0");
    assertThatThrownBy(() -> PoolVerifiers.parse(POOL, extraField))
        .hasMessage("stored verifiers of pool 'vault' is not an lzv1 record of 6 fields");
    assertThatThrownBy(() -> PoolVerifiers.parse(POOL, shortField))
        .hasMessage("stored verifiers of pool 'vault' field 5 has length 63, not 64");
  }

  @Test
  void rotationIssuesNewKeysAndRetiresTheOldOnes() {
    PoolVerifiers.Provisioned rotated = PROVISIONED.verifiers().rotate();

    assertThat(rotated.verifiers().pool()).isEqualTo(POOL);
    assertThat(rotated.verifiers().authorize(PROVISIONED.keys().presented())).isEmpty();
    assertThat(rotated.verifiers().authorize(rotated.keys().presented())).hasSize(3);
    assertThat(rotated.verifiers().writeVerifier().publicKeyHex())
        .isNotEqualTo(PROVISIONED.verifiers().writeVerifier().publicKeyHex());
  }

  @Test
  void capabilitiesKeepUpstreamPermissionBits() {
    assertThat(Capability.JOIN.bit()).isEqualTo(1);
    assertThat(Capability.READ.bit()).isEqualTo(2);
    assertThat(Capability.WRITE.bit()).isEqualTo(4);
  }

  @Test
  void provisioningAnEmptyPoolNameIsRefused() {
    assertThatThrownBy(() -> PoolVerifiers.provision(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pool must not be empty");
  }

  private static PresentedKeys present(Presented sigil, Presented cipher, Presented oblivion) {
    TripleKey keys = PROVISIONED.keys();
    return PresentedKeys.of(
        pick(sigil, keys.sigil(), SigilKey.generate()),
        pick(cipher, keys.cipher(), CipherShard.generate()),
        pick(oblivion, keys.oblivion(), OblivionSeal.generate()));
  }

  private static <K extends PoolSecret> K pick(Presented how, K right, K wrong) {
    return switch (how) {
      case ABSENT -> null;
      case RIGHT -> right;
      case WRONG -> wrong;
    };
  }
}
