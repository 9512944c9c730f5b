package io.tokenworks.latzero.security;

import static io.tokenworks.latzero.security.Fixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Read and write are separated by the cryptography, not only by the server's policy. */
class PoolCryptoTest {

  private static final String POOL = "ledger";
  private static final byte[] DATA = "balance=100".getBytes(StandardCharsets.UTF_8);

  /** Sealed by Python (AESGCM, Ed25519) for the fixed keys, pool default, block b1, version 7. */
  private static final String GOLDEN_SEALED =
      "000102030405060708090a0b794986f88dd8b44ee4aad8b961b89ff336deb8e48858545a754aad57bb"
          + "0214cab9fc46c3d8d711bbab3790e90931f281568923f303ff331329d14be35fa61e3f7d55830a67"
          + "0070941457a3d0e609479f0df22a4628d82e781daed7df0d";

  private final PoolVerifiers.Provisioned pool = PoolVerifiers.provision(POOL);
  private final TripleKey keys = pool.keys();
  private final WriteVerifier writers = pool.verifiers().writeVerifier();
  private final PoolCrypto writer = PoolCrypto.forPool(POOL, keys.presented(), writers);
  private final PoolCrypto reader =
      PoolCrypto.forPool(POOL, PresentedKeys.of(keys.sigil(), keys.cipher(), null), writers);

  @Test
  void writersWriteVerifiesAndReaderDecryptsIt() {
    byte[] sealed = writer.seal("accounts", 4, DATA);

    writers.verifySealed("accounts", 4, sealed);
    assertThat(reader.open("accounts", 4, sealed)).isEqualTo(DATA);
    assertThat(sealed)
        .hasSize(DATA.length + ContentCipher.OVERHEAD_BYTES + WriteSigner.SIGNATURE_BYTES);
  }

  @Test
  void opensAWriteSealedByAnotherImplementation() {
    TripleKey fixed = Fixtures.fixedKeys();
    WriteVerifier fixedWriters =
        WriteVerifier.of(
            Fixtures.POOL, hex("f659679d1d85222c5d2a24344ed2df37756fb8f6b523005c59c19e4e5e09e9a9"));
    PoolCrypto fixedReader =
        PoolCrypto.forPool(
            Fixtures.POOL, PresentedKeys.of(fixed.sigil(), fixed.cipher(), null), fixedWriters);

    assertThat(fixedReader.open("b1", 7, hex(GOLDEN_SEALED)))
        .isEqualTo("hello latzero".getBytes(StandardCharsets.UTF_8));
    assertThat(
            WriteSigner.forPool(Fixtures.POOL, fixed.sigil(), fixed.oblivion())
                .seal("b1", 7, Arrays.copyOf(hex(GOLDEN_SEALED), 41)))
        .isEqualTo(hex(GOLDEN_SEALED));
  }

  @Test
  void readerCannotSealAWrite() {
    assertThat(reader.canRead()).isTrue();
    assertThat(reader.canWrite()).isFalse();
    assertFails(() -> reader.seal("accounts", 1, DATA), SecurityError.MISSING_KEY);
  }

  @Test
  void readerCannotForgeAWriteWithAGuessedSeal() {
    WriteSigner guessed = WriteSigner.forPool(POOL, keys.sigil(), OblivionSeal.generate());
    ContentCipher content = ContentCipher.forPool(POOL, keys.sigil(), keys.cipher());
    byte[] forged = guessed.seal("accounts", 5, content.encrypt("accounts", 5, DATA));

    assertFails(() -> writers.verifySealed("accounts", 5, forged), SecurityError.SIGNATURE_INVALID);
    assertFails(() -> reader.open("accounts", 5, forged), SecurityError.SIGNATURE_INVALID);
  }

  @Test
  void readerCannotReuseAGenuineSignatureOnOtherContent() {
    byte[] genuine = writer.seal("accounts", 6, DATA);
    byte[] signature = Arrays.copyOfRange(genuine, genuine.length - 64, genuine.length);
    ContentCipher content = ContentCipher.forPool(POOL, keys.sigil(), keys.cipher());
    byte[] altered = content.encrypt("accounts", 6, "balance=999".getBytes(StandardCharsets.UTF_8));
    byte[] forged = KeyDerivation.concat(altered, signature);

    assertFails(() -> reader.open("accounts", 6, forged), SecurityError.SIGNATURE_INVALID);
  }

  @Test
  void aSealedWriteIsBoundToItsBlockAndVersion() {
    byte[] sealed = writer.seal("accounts", 7, DATA);

    assertFails(() -> reader.open("other", 7, sealed), SecurityError.SIGNATURE_INVALID);
    assertFails(() -> reader.open("accounts", 8, sealed), SecurityError.SIGNATURE_INVALID);
  }

  @Test
  void aSealedWriteDoesNotOpenInAnotherPoolWithTheSameKeys() {
    byte[] sealed = writer.seal("accounts", 1, DATA);
    PoolVerifiers other = PoolVerifiers.fromKeys("ledger-copy", keys, PoolSecret.RANDOM);
    PoolCrypto otherReader =
        PoolCrypto.forPool("ledger-copy", keys.presented(), other.writeVerifier());

    assertThat(other.writeVerifier().publicKeyHex()).isNotEqualTo(writers.publicKeyHex());
    assertFails(() -> otherReader.open("accounts", 1, sealed), SecurityError.SIGNATURE_INVALID);
  }

  @Test
  void tamperedSealedWriteIsRejected() {
    byte[] sealed = writer.seal("accounts", 1, DATA);
    sealed[ContentCipher.NONCE_BYTES] ^= 1;

    assertFails(() -> reader.open("accounts", 1, sealed), SecurityError.SIGNATURE_INVALID);
  }

  @Test
  void writerWithoutCipherShardCanNeitherReadNorSeal() {
    PoolCrypto writeOnly =
        PoolCrypto.forPool(POOL, PresentedKeys.of(keys.sigil(), null, keys.oblivion()), writers);
    byte[] sealed = writer.seal("accounts", 1, DATA);

    assertThat(writeOnly.canRead()).isFalse();
    assertFails(() -> writeOnly.open("accounts", 1, sealed), SecurityError.MISSING_KEY);
    assertFails(() -> writeOnly.seal("accounts", 2, DATA), SecurityError.MISSING_KEY);
  }

  @Test
  void cipherShardWithoutSigilKeyCannotRead() {
    PoolCrypto shardOnly =
        PoolCrypto.forPool(POOL, PresentedKeys.of(null, keys.cipher(), null), writers);

    assertFails(
        () -> shardOnly.open("accounts", 1, writer.seal("accounts", 1, DATA)),
        SecurityError.MISSING_KEY);
  }

  @Test
  void sealedWriteShorterThanItsOverheadIsMalformed() {
    assertFails(() -> reader.open("accounts", 1, new byte[91]), SecurityError.MALFORMED_CIPHERTEXT);
  }

  @Test
  void writerKeyIsDeterministicFromSigilAndSeal() {
    WriteSigner again = WriteSigner.forPool(POOL, keys.sigil(), keys.oblivion());

    assertThat(again.verifier().publicKeyHex()).isEqualTo(writers.publicKeyHex());
    assertThat(again.verifier().publicKey()).hasSize(WriteVerifier.PUBLIC_KEY_BYTES);
  }

  @Test
  void writersOfAnotherPoolAreRefused() {
    assertThatThrownBy(() -> PoolCrypto.forPool("elsewhere", keys.presented(), writers))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("writers pool=ledger is not pool=elsewhere");
  }

  @Test
  void publicKeyOfTheWrongLengthIsRefused() {
    assertThatThrownBy(() -> WriteVerifier.of(POOL, new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("length=31");
  }

  private static void assertFails(ThrowingCallable call, SecurityError error) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            LatZeroSecurityException.class, e -> assertThat(e.error()).isEqualTo(error));
  }
}
