package io.tokenworks.protocol.tkn;

import static io.tokenworks.protocol.Bytes.bufferOf;
import static io.tokenworks.protocol.Bytes.hex;
import static io.tokenworks.protocol.Bytes.hexOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.protocol.Allocations;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Golden vectors of the HELLO mode frames, written by hand from the layout, and every bad case. */
class TknControlCodecTest {

  static final String HELLO_ACME = "10 0000000d 544b4e48 01 00 04 61636d65 0000";
  static final String HELLO_DEFAULT_TENANT_TOKEN_K1 = "10 0000000b 544b4e48 01 00 00 0002 6b31";
  static final String READY_S1 = "11 0000000d 01 00000040 01000000 03 732d31";
  static final String ACK_3_10_7_2 =
      "12 0000001c 0000000000000003 000000000000000a 0000000000000007 00000002";
  static final String ERROR_MALFORMED_2 = "13 00000012 0006 0000000000000002 626164206a736f6e";
  static final String FLUSH_1 = "14 00000008 0000000000000001";
  static final String FLUSHED_1_42 = "15 00000010 0000000000000001 000000000000002a";

  private final TknControlDecoder decoder = new TknControlDecoder();
  private final UnsafeBuffer out = new UnsafeBuffer(new byte[2048]);

  private String encoded(int length) {
    return hexOf(out, 0, length);
  }

  private static String compact(String vector) {
    return vector.replace(" ", "");
  }

  @Test
  void encodesHelloWithTenantAndNoToken() {
    int length = TknControlEncoder.hello(out, 0, "acme", new UnsafeBuffer(new byte[0]), 0, 0);
    assertThat(encoded(length)).isEqualTo(compact(HELLO_ACME));
  }

  @Test
  void encodesHelloWithDefaultTenantAndToken() {
    int length = TknControlEncoder.hello(out, 0, "", new UnsafeBuffer(hex("6b31")), 0, 2);
    assertThat(encoded(length)).isEqualTo(compact(HELLO_DEFAULT_TENANT_TOKEN_K1));
  }

  @Test
  void encodesEveryServerFrame() {
    assertThat(encoded(TknControlEncoder.ready(out, 0, 64, 16 * 1024 * 1024, "s-1")))
        .isEqualTo(compact(READY_S1));
    assertThat(encoded(TknControlEncoder.ack(out, 0, 3, 10, 7, 2)))
        .isEqualTo(compact(ACK_3_10_7_2));
    assertThat(
            encoded(TknControlEncoder.error(out, 0, TknErrorCode.MALFORMED_FRAME, 2, "bad json")))
        .isEqualTo(compact(ERROR_MALFORMED_2));
    assertThat(encoded(TknControlEncoder.flushed(out, 0, 1, 42))).isEqualTo(compact(FLUSHED_1_42));
  }

  @Test
  void encodesFlush() {
    assertThat(encoded(TknControlEncoder.flush(out, 0, 1))).isEqualTo(compact(FLUSH_1));
  }

  @Test
  void decodesHelloVectors() {
    assertThat(decode(HELLO_ACME)).isEqualTo(TknControlResult.FRAME);
    assertThat(decoder.type()).isEqualTo(TknControlType.HELLO);
    assertThat(decoder.frameLength()).isEqualTo(18);
    assertThat(decoder.version()).isEqualTo(1);
    assertThat(decoder.flags()).isZero();
    assertThat(decoder.tenant()).isEqualTo("acme");
    assertThat(decoder.tokenLength()).isZero();

    assertThat(decode(HELLO_DEFAULT_TENANT_TOKEN_K1)).isEqualTo(TknControlResult.FRAME);
    assertThat(decoder.tenant()).isEmpty();
    assertThat(decoder.token()).isEqualTo(hex("6b31"));
    assertThat(decoder.tokenOffset()).isEqualTo(5 + 9);
  }

  @Test
  void decodesServerVectors() {
    assertThat(decode(READY_S1)).isEqualTo(TknControlResult.FRAME);
    assertThat(decoder.type()).isEqualTo(TknControlType.READY);
    assertThat(decoder.version()).isEqualTo(1);
    assertThat(decoder.credit()).isEqualTo(64);
    assertThat(decoder.maxPayloadLength()).isEqualTo(16 * 1024 * 1024);
    assertThat(decoder.sessionId()).isEqualTo("s-1");

    assertThat(decode(ACK_3_10_7_2)).isEqualTo(TknControlResult.FRAME);
    assertThat(decoder.type()).isEqualTo(TknControlType.ACK);
    assertThat(new long[] {decoder.frames(), decoder.symbols(), decoder.tokens(), decoder.credit()})
        .containsExactly(3, 10, 7, 2);

    assertThat(decode(ERROR_MALFORMED_2)).isEqualTo(TknControlResult.FRAME);
    assertThat(decoder.type()).isEqualTo(TknControlType.ERROR);
    assertThat(TknErrorCode.fromCode(decoder.errorCode())).isEqualTo(TknErrorCode.MALFORMED_FRAME);
    assertThat(decoder.errorFrame()).isEqualTo(2);
    assertThat(decoder.message()).isEqualTo("bad json");

    assertThat(decode(FLUSHED_1_42)).isEqualTo(TknControlResult.FRAME);
    assertThat(decoder.requestId()).isEqualTo(1);
    assertThat(decoder.tokens()).isEqualTo(42);

    assertThat(decode(FLUSH_1)).isEqualTo(TknControlResult.FRAME);
    assertThat(decoder.type()).isEqualTo(TknControlType.FLUSH);
    assertThat(decoder.requestId()).isEqualTo(1);
  }

  @Test
  void readsU32FieldsAsUnsigned() {
    TknControlEncoder.ready(out, 0, 0xFFFF_FFFFL, 0x8000_0000L, "");
    assertThat(decoder.decode(out, 0, 15)).isEqualTo(TknControlResult.FRAME);
    assertThat(decoder.credit()).isEqualTo(0xFFFF_FFFFL);
    assertThat(decoder.maxPayloadLength()).isEqualTo(0x8000_0000L);
  }

  @Test
  void everyStrictPrefixNeedsMoreBytes() {
    for (String vector :
        new String[] {
          HELLO_ACME, READY_S1, ACK_3_10_7_2, ERROR_MALFORMED_2, FLUSH_1, FLUSHED_1_42
        }) {
      UnsafeBuffer buffer = bufferOf(vector);
      for (int length = 0; length < buffer.capacity(); length++) {
        assertThat(decoder.decode(buffer, 0, length))
            .as(vector + " cut at " + length)
            .isEqualTo(TknControlResult.NEED_MORE);
        assertThat(decoder.frameLength()).isGreaterThan(length);
      }
    }
  }

  @Test
  void dataFramesAreNotControlFramesAndNothingIsConsumed() {
    assertThat(decode("02 00000002 6869")).isEqualTo(TknControlResult.NOT_CONTROL);
    assertThat(decoder.frameLength()).isZero();
    assertThat(decoder.type()).isNull();
    assertThat(TknControlResult.NOT_CONTROL.isError()).isFalse();
    assertThat(decode("16 00000000")).isEqualTo(TknControlResult.NOT_CONTROL);
    assertThat(decode("00 00000000")).isEqualTo(TknControlResult.NOT_CONTROL);
  }

  @Test
  void refusesHelloWithBadMagicVersionOrFlags() {
    assertThat(decode("10 0000000b 544b4e49 01 00 00 0002 6b31"))
        .isEqualTo(TknControlResult.BAD_MAGIC);
    assertThat(decode("10 0000000b 544b4e48 02 00 00 0002 6b31"))
        .isEqualTo(TknControlResult.UNSUPPORTED_VERSION);
    assertThat(decode("10 0000000b 544b4e48 01 01 00 0002 6b31"))
        .isEqualTo(TknControlResult.RESERVED_FLAGS);
    // Each is skippable: the whole frame is known.
    assertThat(decoder.frameLength()).isEqualTo(16);
    assertThat(TknControlResult.RESERVED_FLAGS.closesConnection()).isFalse();
  }

  @Test
  void refusesHelloWhoseInnerLengthsDisagreeWithThePayload() {
    // Token length says 3, two bytes follow.
    assertThat(decode("10 0000000b 544b4e48 01 00 00 0003 6b31"))
        .isEqualTo(TknControlResult.LENGTH_MISMATCH);
    // Tenant length runs past the payload.
    assertThat(decode("10 0000000b 544b4e48 01 00 05 0000 6b31"))
        .isEqualTo(TknControlResult.LENGTH_MISMATCH);
    // Shorter than the fixed fields.
    assertThat(decode("10 00000008 544b4e48 01 00 00 00"))
        .isEqualTo(TknControlResult.LENGTH_MISMATCH);
    assertThat(decoder.frameLength()).isEqualTo(13);
  }

  @Test
  void refusesHelloWithForbiddenTenantCharOrOverlongTenant() {
    assertThat(decode("10 0000000c 544b4e48 01 00 03 612f62 0000"))
        .isEqualTo(TknControlResult.BAD_TENANT);
    assertThat(decode("10 0000000a 544b4e48 01 00 01 ff 0000"))
        .isEqualTo(TknControlResult.BAD_TENANT);
    String tenant65 = "61".repeat(65);
    assertThat(decode(String.format("10 %08x 544b4e48 01 00 41 %s 0000", 9 + 65, tenant65)))
        .isEqualTo(TknControlResult.BAD_TENANT);
  }

  @Test
  void refusesHelloWithOverlongToken() {
    String token = "00".repeat(1025);
    assertThat(decode(String.format("10 %08x 544b4e48 01 00 00 0401 %s", 9 + 1025, token)))
        .isEqualTo(TknControlResult.TOKEN_TOO_LONG);
  }

  @Test
  void refusesControlFramesLongerThanTheirLayoutFromTheHeaderAlone() {
    assertThat(decode("12 0000001d")).isEqualTo(TknControlResult.PAYLOAD_TOO_LARGE);
    assertThat(decoder.frameLength()).isZero();
    assertThat(TknControlResult.PAYLOAD_TOO_LARGE.closesConnection()).isTrue();
    assertThat(decode("10 ffffffff")).isEqualTo(TknControlResult.PAYLOAD_TOO_LARGE);
    assertThat(decode(String.format("13 %08x", 10 + 1025)))
        .isEqualTo(TknControlResult.PAYLOAD_TOO_LARGE);
  }

  @Test
  void refusesFixedFramesOfTheWrongLength() {
    assertThat(decode("14 00000007 00000000000001")).isEqualTo(TknControlResult.LENGTH_MISMATCH);
    assertThat(decoder.frameLength()).isEqualTo(12);
    assertThat(decode("13 00000009 0006 00000000000000"))
        .isEqualTo(TknControlResult.LENGTH_MISMATCH);
  }

  @Test
  void refusesReadyOfAnotherVersionOrWithABadSessionId() {
    assertThat(decode("11 0000000d 02 00000040 01000000 03 732d31"))
        .isEqualTo(TknControlResult.UNSUPPORTED_VERSION);
    assertThat(decode("11 0000000d 01 00000040 01000000 03 730731"))
        .isEqualTo(TknControlResult.BAD_SESSION_ID);
    assertThat(decode("11 0000000d 01 00000040 01000000 04 732d31"))
        .isEqualTo(TknControlResult.LENGTH_MISMATCH);
  }

  @Test
  void errorMessagesMayBeEmptyAndUnknownCodesStillDecode() {
    int length = TknControlEncoder.error(out, 0, 999, 0, "");
    assertThat(decoder.decode(out, 0, length)).isEqualTo(TknControlResult.FRAME);
    assertThat(decoder.errorCode()).isEqualTo(999);
    assertThat(TknErrorCode.fromCode(999)).isNull();
    assertThat(decoder.messageLength()).isZero();
  }

  @Test
  void errorCodesCarryTheirWireNumberAndFatality() {
    assertThat(TknErrorCode.values()).hasSize(11);
    for (TknErrorCode code : TknErrorCode.values()) {
      assertThat(TknErrorCode.fromCode(code.code())).isSameAs(code);
      boolean nonFatal = code == TknErrorCode.UNKNOWN_TYPE || code == TknErrorCode.MALFORMED_FRAME;
      assertThat(code.fatal()).as(code.name()).isEqualTo(!nonFatal);
    }
    assertThat(TknErrorCode.BAD_HELLO.code()).isEqualTo(1);
    assertThat(TknErrorCode.INTERNAL.code()).isEqualTo(11);
    assertThat(TknErrorCode.fromCode(0)).isNull();
  }

  @Test
  void controlCodesDoNotCollideWithV1Types() {
    for (TknControlType type : TknControlType.values()) {
      assertThat(TknFrameType.fromCode(type.code())).isNull();
      assertThat(TknControlType.fromCode(type.code())).isSameAs(type);
    }
  }

  @Test
  void encoderRefusesTenantsTheLayoutCannotCarry() {
    UnsafeBuffer none = new UnsafeBuffer(new byte[0]);
    assertThatThrownBy(() -> TknControlEncoder.hello(out, 0, "a/b", none, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tenant=\"a/b\" has '/' at index 1; only [A-Za-z0-9._-] is allowed");
    assertThatThrownBy(() -> TknControlEncoder.hello(out, 0, "é", none, 0, 0))
        .hasMessageContaining("has 'é' at index 0");
    assertThatThrownBy(() -> TknControlEncoder.hello(out, 0, "a".repeat(65), none, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tenant length=65 must be <= 64");
    assertThatThrownBy(
            () -> TknControlEncoder.hello(out, 0, "a", new UnsafeBuffer(new byte[1025]), 0, 1025))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token length=1025 must be in [0, 1024]");
    assertThat(out.getByte(0)).as("nothing written").isZero();
  }

  @Test
  void encoderRefusesValuesOutsideTheirFields() {
    assertThatThrownBy(() -> TknControlEncoder.ack(out, 0, 1, 1, 1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("credit=-1 must be in [0, 4294967295]");
    assertThatThrownBy(() -> TknControlEncoder.ready(out, 0, 1L << 32, 1, "s"))
        .hasMessage("initialCredit=4294967296 must be in [0, 4294967295]");
    assertThatThrownBy(() -> TknControlEncoder.ready(out, 0, 1, 1, "s\u00e9"))
        .hasMessage("sessionId char at 1=U+e9 is no printable ASCII");
    assertThatThrownBy(() -> TknControlEncoder.ready(out, 0, 1, 1, "s".repeat(256)))
        .hasMessage("sessionId length=256 must be <= 255");
    assertThatThrownBy(
            () -> TknControlEncoder.error(out, 0, TknErrorCode.INTERNAL, 0, "é".repeat(513)))
        .hasMessage("message length=1026 bytes must be <= 1024");
    assertThatThrownBy(() -> TknControlEncoder.error(out, 0, 65536, 0, ""))
        .hasMessage("code=65536 must be in [0, 65535]");
  }

  @Test
  void encodingAndDecodingAllocateNothing() {
    UnsafeBuffer token = new UnsafeBuffer("secret".getBytes(StandardCharsets.US_ASCII));
    long allocated =
        Allocations.fewestBytesAllocated(
            () -> {
              long sum = 0;
              for (int i = 0; i < 1_000; i++) {
                int at = 0;
                at += TknControlEncoder.hello(out, at, "tenant-1", token, 0, 6);
                at += TknControlEncoder.ack(out, at, i, i, i, 1);
                at += TknControlEncoder.error(out, at, TknErrorCode.UNKNOWN_TYPE, i, "skipped");
                at += TknControlEncoder.flushed(out, at, i, i);
                int position = 0;
                while (position < at) {
                  if (decoder.decode(out, position, at - position) != TknControlResult.FRAME) {
                    throw new AssertionError("not a frame at " + position);
                  }
                  sum += decoder.type() == TknControlType.HELLO ? decoder.tokenLength() : 1;
                  sum += decoder.type() == TknControlType.ACK ? decoder.frames() : 0;
                  position += decoder.frameLength();
                }
              }
              return sum;
            });
    assertThat(allocated).isZero();
  }

  private TknControlResult decode(String vector) {
    UnsafeBuffer buffer = bufferOf(vector);
    return decoder.decode(buffer, 0, buffer.capacity());
  }
}
