package io.tokenworks.latzero.security;

import static io.tokenworks.latzero.security.Fixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContentCipherTest {

  private static final byte[] PLAINTEXT = "hello latzero".getBytes(StandardCharsets.UTF_8);

  /** Made by Python's AESGCM under the fixed keys' content key, nonce 00..0b, block b1 v7. */
  private static final String GOLDEN_CIPHERTEXT =
      "000102030405060708090a0b794986f88dd8b44ee4aad8b961b89ff336deb8e48858545a754aad57bb";

  private final TripleKey keys = TripleKey.generate();
  private final ContentCipher cipher = ContentCipher.forPool("pool-a", keys.sigil(), keys.cipher());

  @Test
  void decryptsWhatItEncrypted() {
    byte[] ciphertext = cipher.encrypt("block", 3, PLAINTEXT);

    assertThat(ciphertext).hasSize(PLAINTEXT.length + ContentCipher.OVERHEAD_BYTES);
    assertThat(cipher.decrypt("block", 3, ciphertext)).isEqualTo(PLAINTEXT);
    assertThat(cipher.decrypt("block", 3, cipher.encrypt("block", 3, new byte[0]))).isEmpty();
  }

  @Test
  void decryptsCiphertextMadeByAnotherImplementationInUpstreamLayout() {
    ContentCipher fixed =
        ContentCipher.forPool(
            Fixtures.POOL, Fixtures.fixedKeys().sigil(), Fixtures.fixedKeys().cipher());

    assertThat(fixed.decrypt("b1", 7, hex(GOLDEN_CIPHERTEXT))).isEqualTo(PLAINTEXT);
  }

  @Test
  void twoEncryptionsOfTheSamePlaintextDiffer() {
    byte[] first = cipher.encrypt("block", 1, PLAINTEXT);
    byte[] second = cipher.encrypt("block", 1, PLAINTEXT);

    assertThat(first).isNotEqualTo(second);
    assertThat(Arrays.copyOf(first, ContentCipher.NONCE_BYTES))
        .isNotEqualTo(Arrays.copyOf(second, ContentCipher.NONCE_BYTES));
  }

  @Test
  void noncesNeverRepeatOverManyMessages() {
    Set<String> nonces = new HashSet<>();
    int messages = 20_000;
    for (int i = 0; i < messages; i++) {
      byte[] ciphertext = cipher.encrypt("block", 1, PLAINTEXT);
      nonces.add(hex(Arrays.copyOf(ciphertext, ContentCipher.NONCE_BYTES)));
    }
    assertThat(nonces).hasSize(messages);
  }

  @Test
  void ciphertextIsBoundToItsBlock() {
    byte[] ciphertext = cipher.encrypt("block-1", 1, PLAINTEXT);

    assertDecryptionFails(() -> cipher.decrypt("block-2", 1, ciphertext));
  }

  @Test
  void ciphertextIsBoundToItsVersion() {
    byte[] ciphertext = cipher.encrypt("block", 1, PLAINTEXT);

    assertDecryptionFails(() -> cipher.decrypt("block", 2, ciphertext));
  }

  @Test
  void ciphertextIsBoundToItsPool() {
    byte[] ciphertext = cipher.encrypt("block", 1, PLAINTEXT);
    ContentCipher otherPool = ContentCipher.forPool("pool-b", keys.sigil(), keys.cipher());

    assertDecryptionFails(() -> otherPool.decrypt("block", 1, ciphertext));
  }

  @Test
  void ciphertextDoesNotDecryptUnderAnotherCipherShard() {
    byte[] ciphertext = cipher.encrypt("block", 1, PLAINTEXT);
    ContentCipher wrong = ContentCipher.forPool("pool-a", keys.sigil(), CipherShard.generate());

    assertDecryptionFails(() -> wrong.decrypt("block", 1, ciphertext));
  }

  @Test
  void flippingAnyBitOfTheCiphertextIsDetected() {
    byte[] ciphertext = cipher.encrypt("block", 1, PLAINTEXT);
    for (int i = 0; i < ciphertext.length; i++) {
      for (int bit = 0; bit < 8; bit += 7) {
        byte[] tampered = ciphertext.clone();
        tampered[i] ^= (byte) (1 << bit);
        assertDecryptionFails(() -> cipher.decrypt("block", 1, tampered));
      }
    }
  }

  @Test
  void truncatedOrExtendedCiphertextIsDetected() {
    byte[] ciphertext = cipher.encrypt("block", 1, PLAINTEXT);

    assertDecryptionFails(
        () -> cipher.decrypt("block", 1, Arrays.copyOf(ciphertext, ciphertext.length - 1)));
    assertDecryptionFails(
        () -> cipher.decrypt("block", 1, Arrays.copyOf(ciphertext, ciphertext.length + 1)));
  }

  @Test
  void ciphertextShorterThanNonceAndTagIsMalformed() {
    assertThatThrownBy(() -> cipher.decrypt("block", 1, new byte[27]))
        .isInstanceOfSatisfying(
            LatZeroSecurityException.class,
            e -> assertThat(e.error()).isEqualTo(SecurityError.MALFORMED_CIPHERTEXT))
        .hasMessageContaining("length=27");
  }

  @Test
  void toStringNamesOnlyThePool() {
    assertThat(cipher).hasToString("ContentCipher[pool=pool-a]");
  }

  private static void assertDecryptionFails(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            LatZeroSecurityException.class,
            e -> assertThat(e.error()).isEqualTo(SecurityError.DECRYPTION_FAILED));
  }
}
