package io.tokenworks.protocol.tkn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

/** Every control frame the encoder writes decodes back to the same fields, wherever it sits. */
class TknControlRoundTripProperties {

  private final TknControlDecoder decoder = new TknControlDecoder();
  private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 + 5 + 2048]);

  @Provide
  Arbitrary<String> tenants() {
    return Arbitraries.strings()
        .withChars("abcxyzABCXYZ0189._-")
        .ofMaxLength(TknHelloDescriptor.MAX_TENANT_LENGTH);
  }

  @Provide
  Arbitrary<String> sessionIds() {
    return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(255);
  }

  @Provide
  Arbitrary<String> messages() {
    // Up to 256 chars of up to 4 UTF-8 bytes each fit the 1024-byte limit.
    return Arbitraries.strings().all().ofMaxLength(256);
  }

  @Property
  void helloRoundTrips(
      @ForAll("tenants") String tenant,
      @ForAll @Size(max = 1024) byte[] token,
      @ForAll @IntRange(max = 64) int offset) {
    int length =
        TknControlEncoder.hello(buffer, offset, tenant, new UnsafeBuffer(token), 0, token.length);
    assertThat(length).isEqualTo(5 + 9 + tenant.length() + token.length);
    assertThat(decoder.decode(buffer, offset, length)).isEqualTo(TknControlResult.FRAME);
    assertThat(decoder.type()).isEqualTo(TknControlType.HELLO);
    assertThat(decoder.frameLength()).isEqualTo(length);
    assertThat(decoder.version()).isEqualTo(TknHelloDescriptor.VERSION);
    assertThat(decoder.tenant()).isEqualTo(tenant);
    assertThat(decoder.token()).isEqualTo(token);
  }

  @Property
  void readyRoundTrips(
      @ForAll @LongRange(max = 0xFFFF_FFFFL) long credit,
      @ForAll @LongRange(max = 0xFFFF_FFFFL) long maxPayloadLength,
      @ForAll("sessionIds") String sessionId,
      @ForAll @IntRange(max = 64) int offset) {
    int length = TknControlEncoder.ready(buffer, offset, credit, maxPayloadLength, sessionId);
    assertThat(decoder.decode(buffer, offset, length)).isEqualTo(TknControlResult.FRAME);
    assertThat(decoder.type()).isEqualTo(TknControlType.READY);
    assertThat(decoder.frameLength()).isEqualTo(length);
    assertThat(decoder.credit()).isEqualTo(credit);
    assertThat(decoder.maxPayloadLength()).isEqualTo(maxPayloadLength);
    assertThat(decoder.sessionId()).isEqualTo(sessionId);
  }

  @Property
  void ackRoundTrips(
      @ForAll long frames,
      @ForAll long symbols,
      @ForAll long tokens,
      @ForAll @LongRange(max = 0xFFFF_FFFFL) long credit,
      @ForAll @IntRange(max = 64) int offset) {
    int length = TknControlEncoder.ack(buffer, offset, frames, symbols, tokens, credit);
    assertThat(length).isEqualTo(33);
    assertThat(decoder.decode(buffer, offset, length)).isEqualTo(TknControlResult.FRAME);
    assertThat(decoder.type()).isEqualTo(TknControlType.ACK);
    assertThat(decoder.frames()).isEqualTo(frames);
    assertThat(decoder.symbols()).isEqualTo(symbols);
    assertThat(decoder.tokens()).isEqualTo(tokens);
    assertThat(decoder.credit()).isEqualTo(credit);
  }

  @Property
  void errorRoundTripsTheMessageAsTheJdkEncodesIt(
      @ForAll @IntRange(max = 0xFFFF) int code,
      @ForAll long frame,
      @ForAll("messages") String message,
      @ForAll @IntRange(max = 64) int offset) {
    int length = TknControlEncoder.error(buffer, offset, code, frame, message);
    byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
    assertThat(length).isEqualTo(5 + 10 + utf8.length);
    assertThat(decoder.decode(buffer, offset, length)).isEqualTo(TknControlResult.FRAME);
    assertThat(decoder.type()).isEqualTo(TknControlType.ERROR);
    assertThat(decoder.errorCode()).isEqualTo(code);
    assertThat(decoder.errorFrame()).isEqualTo(frame);
    assertThat(decoder.message()).isEqualTo(new String(utf8, StandardCharsets.UTF_8));
  }

  @Property
  void flushAndFlushedRoundTrip(
      @ForAll long requestId, @ForAll long tokens, @ForAll @IntRange(max = 64) int offset) {
    int flush = TknControlEncoder.flush(buffer, offset, requestId);
    int flushed = TknControlEncoder.flushed(buffer, offset + flush, requestId, tokens);
    assertThat(decoder.decode(buffer, offset, flush + flushed)).isEqualTo(TknControlResult.FRAME);
    assertThat(decoder.type()).isEqualTo(TknControlType.FLUSH);
    assertThat(decoder.requestId()).isEqualTo(requestId);
    assertThat(decoder.decode(buffer, offset + flush, flushed)).isEqualTo(TknControlResult.FRAME);
    assertThat(decoder.type()).isEqualTo(TknControlType.FLUSHED);
    assertThat(decoder.requestId()).isEqualTo(requestId);
    assertThat(decoder.tokens()).isEqualTo(tokens);
  }

  @Property
  void anyCutOfAValidFrameNeedsMoreBytes(
      @ForAll("tenants") String tenant, @ForAll @IntRange(max = 1000) int cutSeed) {
    int length = TknControlEncoder.hello(buffer, 0, tenant, buffer, 0, 0);
    int cut = cutSeed % length;
    assertThat(decoder.decode(buffer, 0, cut)).isEqualTo(TknControlResult.NEED_MORE);
    assertThat(decoder.frameLength()).isGreaterThan(cut).isLessThanOrEqualTo(length);
  }
}
