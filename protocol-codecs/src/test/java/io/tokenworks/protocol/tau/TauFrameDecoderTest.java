package io.tokenworks.protocol.tau;

import static io.tokenworks.protocol.Bytes.bufferOf;
import static io.tokenworks.protocol.Bytes.hex;
import static io.tokenworks.protocol.Bytes.hexOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.protocol.Allocations;
import java.util.EnumSet;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TauFrameDecoderTest {

  private static final String TEMP_LABEL = "74656d70" + "00".repeat(28);

  /** APPEND "temp" ts=1 value=22.5, byte for byte as upstream clients send it. */
  private static final String APPEND_TEMP =
      "544155 01 20 00 00000030" + TEMP_LABEL + "0000000000000001" + "4036800000000000";

  private final TauFrameDecoder decoder = new TauFrameDecoder();
  private final UnsafeBuffer out = new UnsafeBuffer(new byte[1024]);

  @Test
  void encodesAppendByteForByte() {
    int length = TauFrameEncoder.append(out, 0, TauLabel.of("temp"), 1L, 22.5);
    assertThat(hexOf(out, 0, length)).isEqualTo(APPEND_TEMP.replace(" ", ""));
  }

  @Test
  void decodesUpstreamAppendVector() {
    UnsafeBuffer in = bufferOf(APPEND_TEMP);
    assertThat(decoder.decode(in, 0, in.capacity())).isEqualTo(TauDecodeResult.FRAME);
    TauFrame frame = decoder.frame();
    assertThat(decoder.frameLength()).isEqualTo(58);
    assertThat(frame.opcode()).isEqualTo(TauOpcode.APPEND);
    assertThat(frame.label(0)).isEqualTo(TauLabel.of("temp"));
    assertThat(frame.labelEquals(0, TauLabel.of("temp"))).isTrue();
    assertThat(frame.labelEquals(0, TauLabel.of("tem"))).isFalse();
    assertThat(frame.timestamp()).isEqualTo(1L);
    assertThat(frame.value()).isEqualTo(22.5);
  }

  @Test
  void encodesEveryFixedReplyByteForByte() {
    assertThat(hexOf(out, 0, TauFrameEncoder.empty(out, 0, TauOpcode.PONG)))
        .isEqualTo("5441550104000000000" + "0");
    assertThat(hexOf(out, 0, TauFrameEncoder.error(out, 0, TauStatus.OUT_OF_ORDER)))
        .isEqualTo("54415501ff00000000010b");
    assertThat(hexOf(out, 0, TauFrameEncoder.queryNotFound(out, 0)))
        .isEqualTo("54415501f0000000000100");
    assertThat(hexOf(out, 0, TauFrameEncoder.queryFound(out, 0, 22.5)))
        .isEqualTo("54415501f000000000090140368000000000" + "00");
  }

  @Test
  void connectCarriesTheCertificate() {
    byte[] certificate = new byte[32];
    for (int i = 0; i < 32; i++) {
      certificate[i] = (byte) i;
    }
    int length = TauFrameEncoder.connect(out, 0, certificate);
    assertThat(hexOf(out, 0, length))
        .isEqualTo(
            "54415501010000000020"
                + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  }

  @Test
  void threeLabelFramesKeepTheirOrder() {
    int length =
        TauFrameEncoder.threeLabels(
            out,
            0,
            TauOpcode.CREATE_LENS,
            TauLabel.of("temp_f"),
            TauLabel.of("temp"),
            TauLabel.of("celsius_to_fahrenheit"));
    assertThat(decoder.decode(out, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    TauFrame frame = decoder.frame();
    assertThat(frame.label(0).name()).isEqualTo("temp_f");
    assertThat(frame.label(1).name()).isEqualTo("temp");
    assertThat(frame.label(2).name()).isEqualTo("celsius_to_fahrenheit");
  }

  @Test
  void labelListRoundTrips() {
    List<TauLabel> labels = List.of(TauLabel.of("a"), TauLabel.of("b"), TauLabel.of("c"));
    int length = TauFrameEncoder.labelList(out, 0, labels);
    assertThat(decoder.decode(out, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    TauFrame frame = decoder.frame();
    assertThat(frame.labelCount()).isEqualTo(3);
    assertThat(List.of(frame.label(0), frame.label(1), frame.label(2))).isEqualTo(labels);
  }

  @Test
  void errFrameCarriesItsStatus() {
    int length = TauFrameEncoder.error(out, 0, TauStatus.LENS_ALREADY_EXISTS);
    assertThat(decoder.decode(out, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().status()).isEqualTo(TauStatus.LENS_ALREADY_EXISTS);
  }

  @Test
  void pointQueryRepliesSayFoundOrNot() {
    int length = TauFrameEncoder.queryFound(out, 0, -0.0);
    assertThat(decoder.decode(out, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().queryFound()).isTrue();
    assertThat(Double.doubleToRawLongBits(decoder.frame().queryValue()))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    length = TauFrameEncoder.queryNotFound(out, 0);
    assertThat(decoder.decode(out, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().queryFound()).isFalse();
  }

  @Test
  void everyPrefixOfAFrameNeedsMoreBytesAndConsumesNothing() {
    byte[] frame = hex(APPEND_TEMP);
    for (int available = 0; available < frame.length; available++) {
      UnsafeBuffer in = new UnsafeBuffer(frame);
      assertThat(decoder.decode(in, 0, available))
          .as("prefix %d", available)
          .isEqualTo(TauDecodeResult.NEED_MORE);
      assertThat(decoder.frameLength()).isEqualTo(available < 10 ? 10 : frame.length);
    }
  }

  @Test
  void decodesAFrameAtAnOffsetInsideALargerBuffer() {
    byte[] frame = hex(APPEND_TEMP);
    UnsafeBuffer in = new UnsafeBuffer(new byte[frame.length * 2 + 7]);
    in.putBytes(7, frame);
    in.putBytes(7 + frame.length, frame);
    assertThat(decoder.decode(in, 7, in.capacity() - 7)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frameLength()).isEqualTo(frame.length);
    assertThat(decoder.decode(in, 7 + frame.length, frame.length)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().value()).isEqualTo(22.5);
  }

  @Test
  void rejectsBadMagicAndCloses() {
    assertThat(decode("54415801 20 00 00000030")).isEqualTo(TauDecodeResult.BAD_MAGIC);
    assertThat(TauDecodeResult.BAD_MAGIC.status()).isEqualTo(TauStatus.BAD_MAGIC);
    assertThat(TauDecodeResult.BAD_MAGIC.closesConnection()).isTrue();
  }

  @Test
  void rejectsGarbageBeforeTheHeaderIsComplete() {
    assertThat(decode("47")).isEqualTo(TauDecodeResult.BAD_MAGIC); // "G" of "GET / HTTP/1.1"
    assertThat(decode("5441")).isEqualTo(TauDecodeResult.NEED_MORE);
    assertThat(decode("544155 63")).isEqualTo(TauDecodeResult.BAD_VERSION);
    assertThat(decode("544155 01 bb")).isEqualTo(TauDecodeResult.BAD_OPCODE);
    assertThat(decode("544155 01 20 00 0000")).isEqualTo(TauDecodeResult.NEED_MORE);
  }

  @Test
  void rejectsVersion99() {
    assertThat(decode("544155 63 20 00 00000030")).isEqualTo(TauDecodeResult.BAD_VERSION);
    assertThat(TauDecodeResult.BAD_VERSION.status()).isEqualTo(TauStatus.BAD_VERSION);
  }

  @Test
  void rejectsUnknownOpcodeBB() {
    assertThat(decode("544155 01 bb 00 00000000")).isEqualTo(TauDecodeResult.BAD_OPCODE);
    assertThat(TauDecodeResult.BAD_OPCODE.status()).isEqualTo(TauStatus.BAD_OPCODE);
  }

  @Test
  void rejectsPayloadOneByteOverTheMaximumFromTheHeaderAlone() {
    assertThat(decode("544155 01 20 00 00400001")).isEqualTo(TauDecodeResult.PAYLOAD_TOO_LARGE);
    assertThat(decode("544155 01 20 00 ffffffff")).isEqualTo(TauDecodeResult.PAYLOAD_TOO_LARGE);
    assertThat(decoder.frameLength()).isZero();
  }

  @Test
  void aConfiguredLimitBelowTheProtocolMaximumIsEnforced() {
    TauFrameDecoder small = new TauFrameDecoder(48);
    UnsafeBuffer in = bufferOf("544155 01 03 00 00000031" + "00".repeat(49));
    assertThat(small.decode(in, 0, in.capacity())).isEqualTo(TauDecodeResult.PAYLOAD_TOO_LARGE);
    assertThat(small.decode(bufferOf(APPEND_TEMP), 0, 58)).isEqualTo(TauDecodeResult.FRAME);
  }

  @Test
  void limitAboveTheProtocolMaximumIsRefused() {
    assertThatThrownBy(() -> new TauFrameDecoder(4 * 1024 * 1024 + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxPayloadLength=4194305");
  }

  @Test
  void wrongLengthForOpcodeIsSkippableOnceTheWholeFrameArrived() {
    // APPEND with a 40-byte payload: upstream answers 0x09 and keeps the connection.
    String frame = "544155 01 20 00 00000028" + TEMP_LABEL + "0000000000000001";
    UnsafeBuffer in = bufferOf(frame);
    assertThat(decoder.decode(in, 0, 49)).isEqualTo(TauDecodeResult.NEED_MORE);
    assertThat(decoder.decode(in, 0, 50)).isEqualTo(TauDecodeResult.BAD_LENGTH_FOR_OPCODE);
    assertThat(decoder.frameLength()).isEqualTo(50);
    assertThat(decoder.opcode()).isEqualTo(TauOpcode.APPEND);
    assertThat(TauDecodeResult.BAD_LENGTH_FOR_OPCODE.status()).isEqualTo(TauStatus.INVALID_PAYLOAD);
    assertThat(TauDecodeResult.BAD_LENGTH_FOR_OPCODE.closesConnection()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(TauOpcode.class)
  void everyOpcodeAcceptsExactlyItsPayloadLength(TauOpcode opcode) {
    int[] lengths = {0, 1, 8, 31, 32, 33, 36, 40, 48, 52, 60, 96, 97};
    for (int payloadLength : lengths) {
      out.setMemory(0, out.capacity(), (byte) 0); // an APPEND_BATCH here declares count 0
      TauFrameEncoder.header(out, 0, opcode, payloadLength);
      TauDecodeResult result = decoder.decode(out, 0, 10 + payloadLength);
      boolean valid =
          switch (opcode.payloadLength()) {
            case TauOpcode.ANY_LENGTH -> true;
            case TauOpcode.VARIABLE_LENGTH -> payloadLength == 36;
            default -> opcode.payloadLength() == payloadLength;
          };
      assertThat(result)
          .as("%s with %d bytes", opcode, payloadLength)
          .isEqualTo(valid ? TauDecodeResult.FRAME : TauDecodeResult.BAD_LENGTH_FOR_OPCODE);
      if (valid) {
        assertThat(decoder.frame().opcode()).isEqualTo(opcode);
        assertThat(decoder.frame().payloadLength()).isEqualTo(payloadLength);
      }
    }
  }

  @Test
  void opcodesHaveTheUpstreamCodesPlusTheExtensionsAndAreDistinct() {
    assertThat(TauOpcode.values())
        .extracting(TauOpcode::code)
        .containsExactly(
            0x01, 0x02, 0x03, 0x04, 0x10, 0x11, 0x12, 0x20, 0x21, 0x30, 0x31, 0x32, 0x33, 0x40,
            0x41, 0x42, 0x43, 0x44, 0xF0, 0xFF)
        .doesNotHaveDuplicates();
    assertThat(EnumSet.allOf(TauOpcode.class)).allMatch(op -> TauOpcode.fromCode(op.code()) == op);
    assertThat(EnumSet.allOf(TauOpcode.class).stream().filter(TauOpcode::isExtension))
        .containsExactly(
            TauOpcode.LIST_SERIES,
            TauOpcode.APPEND_BATCH,
            TauOpcode.QUERY_RANGE,
            TauOpcode.QUERY_LATEST,
            TauOpcode.QUERY_AGGREGATE);
    assertThat(TauOpcode.fromCode(0xBB)).isNull();
  }

  @Test
  void statusCodesAreZeroToFourteenWithUpstreamNamesPlusBusy() {
    assertThat(TauStatus.values()).hasSize(15);
    for (TauStatus status : TauStatus.values()) {
      assertThat(status.code()).isEqualTo(status.ordinal());
      assertThat(TauStatus.fromCode(status.code())).isSameAs(status);
    }
    assertThat(TauStatus.SERIES_NOT_FOUND.wireName()).isEqualTo("series_not_found");
    assertThat(TauStatus.fromCode(0x0E)).isSameAs(TauStatus.BUSY);
    assertThat(TauStatus.BUSY.wireName()).isEqualTo("busy");
    assertThat(TauStatus.fromCode(0x0F)).isNull();
  }

  @Test
  void flagsAreReadButNotEnforced() {
    UnsafeBuffer in = bufferOf("544155 01 03 7f 00000000");
    assertThat(decoder.decode(in, 0, 10)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().flags()).isEqualTo(0x7f);
  }

  @Test
  void labelsRefuseNamesThatWouldBeCutOrAmbiguous() {
    assertThat(TauLabel.of("x".repeat(32)).name()).hasSize(32);
    assertThatThrownBy(() -> TauLabel.of("x".repeat(33)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("33 UTF-8 bytes");
    assertThatThrownBy(() -> TauLabel.of("é".repeat(17))).hasMessageContaining("34 UTF-8 bytes");
    assertThatThrownBy(() -> TauLabel.of("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TauLabel.of("a\0b")).hasMessageContaining("NUL");
  }

  @Test
  void rawLabelsKeepAllThirtyTwoBytes() {
    byte[] withSpaces = hex("616263" + "20".repeat(29));
    byte[] withNuls = hex("616263" + "00".repeat(29));
    assertThat(TauLabel.ofRaw(withSpaces)).isNotEqualTo(TauLabel.ofRaw(withNuls));
    assertThat(TauLabel.ofRaw(withNuls)).isEqualTo(TauLabel.of("abc"));
  }

  @Test
  void decodingAnAppendAllocatesNothing() {
    UnsafeBuffer in = bufferOf(APPEND_TEMP);
    for (int i = 0; i < 1_000; i++) {
      decoder.decode(in, 0, 58);
    }
    long allocated =
        Allocations.fewestBytesAllocated(
            () -> {
              long sum = 0;
              for (int i = 0; i < 1_000; i++) {
                decoder.decode(in, 0, 58);
                sum += decoder.frame().timestamp();
              }
              return sum;
            });
    assertThat(allocated).isZero();
  }

  private TauDecodeResult decode(String hex) {
    UnsafeBuffer in = bufferOf(hex);
    return decoder.decode(in, 0, in.capacity());
  }
}
