package io.tokenworks.protocol.latzero;

import static io.tokenworks.protocol.Bytes.bufferOf;
import static io.tokenworks.protocol.Bytes.hex;
import static io.tokenworks.protocol.Bytes.hexOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenworks.protocol.Allocations;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class LatZeroFrameDecoderTest {

  /** {"type":"handshake","app_id":"a"}: 33 bytes of UTF-8. */
  private static final String HANDSHAKE_BODY =
      "7b2274797065223a2268616e647368616b65222c226170705f6964223a2261227d";

  /** The same, framed: the prefix 0x00000021 = 33, then the body. */
  private static final String HANDSHAKE_FRAME = "00000021" + HANDSHAKE_BODY;

  private static final int SIXTEEN_MIB = 16 * 1024 * 1024;

  private final LatZeroFrameDecoder decoder = new LatZeroFrameDecoder();
  private final LatZeroFrameEncoder encoder = new LatZeroFrameEncoder();
  private final UnsafeBuffer out = new UnsafeBuffer(new byte[1024]);

  @Test
  void handshakeBodyIsTheExpectedUtf8() {
    assertThat(HexFormat.of().formatHex("{\"type\":\"handshake\",\"app_id\":\"a\"}".getBytes()))
        .isEqualTo(HANDSHAKE_BODY);
  }

  @Test
  void encodesHandshakeByteForByte() {
    int length = encoder.encode(out, 0, hex(HANDSHAKE_BODY));
    assertThat(length).isEqualTo(37);
    assertThat(hexOf(out, 0, length)).isEqualTo(HANDSHAKE_FRAME);
    assertThat(HexFormat.of().formatHex(encoder.encode(hex(HANDSHAKE_BODY))))
        .isEqualTo(HANDSHAKE_FRAME);
  }

  @Test
  void messageCodecEncodesHandshakeByteForByte() {
    ObjectNode handshake =
        JsonNodeFactory.instance.objectNode().put("type", "handshake").put("app_id", "a");
    assertThat(HexFormat.of().formatHex(new LatZeroMessageCodec().encode(handshake)))
        .isEqualTo(HANDSHAKE_FRAME);
  }

  @Test
  void decodesHandshakeVector() {
    UnsafeBuffer in = bufferOf(HANDSHAKE_FRAME);
    assertThat(decoder.decode(in, 0, in.capacity())).isEqualTo(LatZeroDecodeResult.FRAME);
    assertThat(decoder.frameLength()).isEqualTo(37);
    assertThat(decoder.payloadOffset()).isEqualTo(4);
    assertThat(decoder.payloadLength()).isEqualTo(33);
    assertThat(hexOf(in, decoder.payloadOffset(), decoder.payloadLength()))
        .isEqualTo(HANDSHAKE_BODY);
  }

  @Test
  void decodesAFrameAtAnOffsetInsideALargerBuffer() {
    byte[] frame = hex(HANDSHAKE_FRAME);
    UnsafeBuffer in = new UnsafeBuffer(new byte[frame.length * 2 + 7]);
    in.putBytes(7, frame);
    in.putBytes(7 + frame.length, frame);
    assertThat(decoder.decode(in, 7, in.capacity() - 7)).isEqualTo(LatZeroDecodeResult.FRAME);
    assertThat(decoder.frameLength()).isEqualTo(frame.length);
    assertThat(decoder.payloadOffset()).isEqualTo(11);
    assertThat(decoder.decode(in, 7 + frame.length, frame.length))
        .isEqualTo(LatZeroDecodeResult.FRAME);
    assertThat(decoder.payloadOffset()).isEqualTo(7 + frame.length + 4);
    assertThat(hexOf(in, decoder.payloadOffset(), decoder.payloadLength()))
        .isEqualTo(HANDSHAKE_BODY);
  }

  @Test
  void encoderWritesAtAnOffsetFromADirectBufferBody() {
    UnsafeBuffer body = new UnsafeBuffer(new byte[40]);
    body.putBytes(5, hex(HANDSHAKE_BODY));
    int length = encoder.encode(out, 9, body, 5, 33);
    assertThat(length).isEqualTo(37);
    assertThat(hexOf(out, 9, length)).isEqualTo(HANDSHAKE_FRAME);
    assertThat(encoder.header(out, 100, 33)).isEqualTo(4);
    assertThat(hexOf(out, 100, 4)).isEqualTo("00000021");
  }

  @Test
  void everyPrefixOfAFrameNeedsMoreBytesAndReadsNothingBeyondIt() {
    byte[] frame = hex(HANDSHAKE_FRAME);
    for (int available = 0; available < frame.length; available++) {
      // A buffer of exactly the available bytes: reading past them would throw.
      UnsafeBuffer in = new UnsafeBuffer(Arrays.copyOf(frame, available));
      assertThat(decoder.decode(in, 0, available))
          .as("prefix %d", available)
          .isEqualTo(LatZeroDecodeResult.NEED_MORE);
      assertThat(decoder.frameLength()).isEqualTo(available < 4 ? 4 : frame.length);
      assertThat(decoder.payloadLength()).isZero();
    }
  }

  @Test
  void acceptsExactlySixteenMiBFromTheHeaderAlone() {
    UnsafeBuffer in = bufferOf("01000000");
    assertThat(decoder.decode(in, 0, 4)).isEqualTo(LatZeroDecodeResult.NEED_MORE);
    assertThat(decoder.frameLength()).isEqualTo(4 + SIXTEEN_MIB);
    assertThat(LatZeroFrameDescriptor.DEFAULT_MAX_FRAME_LENGTH).isEqualTo(16_777_216);
  }

  @Test
  void rejectsSixteenMiBPlusOneFromTheHeaderAloneAndCloses() {
    UnsafeBuffer in = bufferOf("01000001");
    assertThat(decoder.decode(in, 0, 4)).isEqualTo(LatZeroDecodeResult.FRAME_TOO_LARGE);
    assertThat(decoder.frameLength()).isZero();
    assertThat(LatZeroDecodeResult.FRAME_TOO_LARGE.closesConnection()).isTrue();
    assertThat(LatZeroDecodeResult.FRAME_TOO_LARGE.isError()).isTrue();
  }

  @Test
  void lengthsWithTheTopBitSetAreTooLargeNotNegative() {
    for (String prefix : new String[] {"ffffffff", "80000000", "7fffffff", "fffffffb"}) {
      UnsafeBuffer in = bufferOf(prefix + HANDSHAKE_BODY);
      assertThat(decoder.decode(in, 0, in.capacity()))
          .as(prefix)
          .isEqualTo(LatZeroDecodeResult.FRAME_TOO_LARGE);
      assertThat(decoder.frameLength()).as(prefix).isZero();
    }
  }

  @Test
  void rejectsHopelessLengthsBeforeThePrefixIsComplete() {
    // "GET / HTTP/1.1": 'G' alone already means a body of at least 0x47000000 bytes.
    assertThat(decode("47")).isEqualTo(LatZeroDecodeResult.FRAME_TOO_LARGE);
    assertThat(decode("02")).isEqualTo(LatZeroDecodeResult.FRAME_TOO_LARGE);
    assertThat(decode("01")).isEqualTo(LatZeroDecodeResult.NEED_MORE);
    assertThat(decode("0100")).isEqualTo(LatZeroDecodeResult.NEED_MORE);
    assertThat(decode("010001")).isEqualTo(LatZeroDecodeResult.FRAME_TOO_LARGE);
    assertThat(decode("000000")).isEqualTo(LatZeroDecodeResult.NEED_MORE);
  }

  @Test
  void aConfiguredLowerLimitIsEnforced() {
    LatZeroFrameDecoder small = new LatZeroFrameDecoder(32);
    UnsafeBuffer in = bufferOf(HANDSHAKE_FRAME);
    assertThat(small.decode(in, 0, 4)).isEqualTo(LatZeroDecodeResult.FRAME_TOO_LARGE);
    assertThat(new LatZeroFrameDecoder(33).decode(in, 0, 37)).isEqualTo(LatZeroDecodeResult.FRAME);
    assertThat(small.decode(bufferOf("00"), 0, 1)).isEqualTo(LatZeroDecodeResult.NEED_MORE);
    assertThat(small.decode(bufferOf("000001"), 0, 3))
        .isEqualTo(LatZeroDecodeResult.FRAME_TOO_LARGE);
    assertThatThrownBy(() -> new LatZeroFrameEncoder(32).encode(hex(HANDSHAKE_BODY)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bodyLength=33 must be in [1, 32]");
  }

  @Test
  void limitsOutsideOneToSixteenMiBAreRefused() {
    assertThatThrownBy(() -> new LatZeroFrameDecoder(SIXTEEN_MIB + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxFrameLength=16777217 must be in [1, 16777216]");
    assertThatThrownBy(() -> new LatZeroFrameDecoder(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("maxFrameLength=0 ");
    assertThatThrownBy(() -> new LatZeroFrameEncoder(-1))
        .hasMessageStartingWith("maxFrameLength=-1 ");
    assertThatThrownBy(() -> new LatZeroMessageCodec(Integer.MAX_VALUE))
        .hasMessageStartingWith("maxFrameLength=2147483647 ");
    assertThat(new LatZeroFrameDecoder(SIXTEEN_MIB).maxFrameLength()).isEqualTo(SIXTEEN_MIB);
  }

  @Test
  void emptyFrameIsAnErrorThatKeepsTheStreamInSync() {
    UnsafeBuffer in = bufferOf("00000000" + HANDSHAKE_FRAME);
    assertThat(decoder.decode(in, 0, in.capacity())).isEqualTo(LatZeroDecodeResult.EMPTY_FRAME);
    assertThat(decoder.frameLength()).isEqualTo(4);
    assertThat(decoder.payloadLength()).isZero();
    assertThat(LatZeroDecodeResult.EMPTY_FRAME.isError()).isTrue();
    assertThat(LatZeroDecodeResult.EMPTY_FRAME.closesConnection()).isFalse();
    assertThat(decoder.decode(in, 4, in.capacity() - 4)).isEqualTo(LatZeroDecodeResult.FRAME);
    assertThat(decoder.payloadLength()).isEqualTo(33);
  }

  @Test
  void encoderRefusesAnEmptyBody() {
    assertThatThrownBy(() -> encoder.encode(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bodyLength=0 ");
    assertThatThrownBy(() -> encoder.header(out, 0, -1)).hasMessageStartingWith("bodyLength=-1 ");
  }

  @Test
  void theLimitCountsUtf8BytesNotCharacters() {
    String json = "{\"type\":\"ééé\"}"; // 14 characters, 17 bytes
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    assertThat(json).hasSize(14);
    assertThat(body).hasSize(17);
    UnsafeBuffer in = new UnsafeBuffer(new LatZeroFrameEncoder(17).encode(body));
    assertThat(new LatZeroFrameDecoder(16).decode(in, 0, in.capacity()))
        .isEqualTo(LatZeroDecodeResult.FRAME_TOO_LARGE);
    assertThat(new LatZeroFrameDecoder(17).decode(in, 0, in.capacity()))
        .isEqualTo(LatZeroDecodeResult.FRAME);
    assertThatThrownBy(() -> new LatZeroFrameEncoder(16).encode(body))
        .hasMessage("bodyLength=17 must be in [1, 16]");

    ObjectNode emoji = JsonNodeFactory.instance.objectNode().put("type", "\uD83D\uDE00");
    // {"type":"😀"}: 12 UTF-16 chars, 15 bytes (the emoji is 4 bytes)
    assertThat(HexFormat.of().formatHex(new LatZeroMessageCodec(15).encode(emoji)))
        .isEqualTo("0000000f" + "7b2274797065223a22f09f9880227d");
    assertThatThrownBy(() -> new LatZeroMessageCodec(14).encode(emoji))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bodyLength=15 must be in [1, 14]");
  }

  @Test
  void aStreamOfFramesIsConsumedFrameByFrame() {
    UnsafeBuffer in = bufferOf(HANDSHAKE_FRAME + "00000002" + "7b7d" + "00000000" + "000000");
    int position = 0;
    assertThat(decoder.decode(in, position, in.capacity())).isEqualTo(LatZeroDecodeResult.FRAME);
    position += decoder.frameLength();
    assertThat(decoder.decode(in, position, in.capacity() - position))
        .isEqualTo(LatZeroDecodeResult.FRAME);
    assertThat(hexOf(in, decoder.payloadOffset(), decoder.payloadLength())).isEqualTo("7b7d");
    position += decoder.frameLength();
    assertThat(decoder.decode(in, position, in.capacity() - position))
        .isEqualTo(LatZeroDecodeResult.EMPTY_FRAME);
    position += decoder.frameLength();
    assertThat(decoder.decode(in, position, in.capacity() - position))
        .isEqualTo(LatZeroDecodeResult.NEED_MORE);
    assertThat(position).isEqualTo(in.capacity() - 3);
  }

  @Test
  void decodingAFrameHeaderAllocatesNothing() {
    UnsafeBuffer in = bufferOf(HANDSHAKE_FRAME);
    for (int i = 0; i < 1_000; i++) {
      decoder.decode(in, 0, 37);
    }
    long allocated =
        Allocations.fewestBytesAllocated(
            () -> {
              long sum = 0;
              for (int i = 0; i < 1_000; i++) {
                decoder.decode(in, 0, 37);
                sum += decoder.payloadLength();
                decoder.decode(in, 0, 4);
                sum += decoder.frameLength();
              }
              return sum;
            });
    assertThat(allocated).isZero();
  }

  @Test
  void aDeclaredButAbsentBodyAllocatesNothing() {
    // 16 MiB announced, 10 bytes present: nothing may be sized from the announcement.
    UnsafeBuffer in = bufferOf("01000000" + "7b2274797065223a2261");
    decoder.decode(in, 0, in.capacity());
    long allocated =
        Allocations.fewestBytesAllocated(() -> decoder.decode(in, 0, in.capacity()).ordinal());
    assertThat(decoder.decode(in, 0, in.capacity())).isEqualTo(LatZeroDecodeResult.NEED_MORE);
    assertThat(decoder.frameLength()).isEqualTo(4 + SIXTEEN_MIB);
    assertThat(allocated).isZero();
  }

  private LatZeroDecodeResult decode(String hex) {
    UnsafeBuffer in = bufferOf(hex);
    return decoder.decode(in, 0, in.capacity());
  }
}
