package io.tokenworks.protocol.tau;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Every frame the encoder writes decodes back to the same fields, wherever it sits in the buffer.
 */
class TauFrameRoundTripProperties {

  private final TauFrameDecoder decoder = new TauFrameDecoder();

  @Provide
  Arbitrary<TauLabel> labels() {
    return Arbitraries.bytes().array(byte[].class).ofSize(32).map(TauLabel::ofRaw);
  }

  @Provide
  Arbitrary<Double> anyDoubleBits() {
    return Arbitraries.longs().map(Double::longBitsToDouble);
  }

  @Property
  void appendRoundTripsBitExact(
      @ForAll("labels") TauLabel label,
      @ForAll long timestamp,
      @ForAll("anyDoubleBits") double value,
      @ForAll @IntRange(max = 64) int offset) {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + 58]);
    int length = TauFrameEncoder.append(buffer, offset, label, timestamp, value);
    assertThat(decoder.decode(buffer, offset, length)).isEqualTo(TauDecodeResult.FRAME);
    TauFrame frame = decoder.frame();
    assertThat(frame.opcode()).isEqualTo(TauOpcode.APPEND);
    assertThat(frame.label(0)).isEqualTo(label);
    assertThat(frame.timestamp()).isEqualTo(timestamp);
    assertThat(Double.doubleToRawLongBits(frame.value()))
        .isEqualTo(Double.doubleToRawLongBits(value));
  }

  @Property
  void pointQueriesRoundTrip(
      @ForAll("labels") TauLabel label, @ForAll long timestamp, @ForAll boolean lens) {
    TauOpcode opcode = lens ? TauOpcode.QUERY_LENS : TauOpcode.QUERY_POINT;
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[50]);
    int length = TauFrameEncoder.query(buffer, 0, opcode, label, timestamp);
    assertThat(decoder.decode(buffer, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().opcode()).isEqualTo(opcode);
    assertThat(decoder.frame().label(0)).isEqualTo(label);
    assertThat(decoder.frame().timestamp()).isEqualTo(timestamp);
  }

  @Property
  void singleLabelFramesRoundTrip(
      @ForAll("labels") TauLabel label, @ForAll("labelOpcodes") TauOpcode opcode) {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[42]);
    int length = TauFrameEncoder.label(buffer, 0, opcode, label);
    assertThat(decoder.decode(buffer, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().opcode()).isEqualTo(opcode);
    assertThat(decoder.frame().label(0)).isEqualTo(label);
  }

  @Provide
  Arbitrary<TauOpcode> labelOpcodes() {
    return Arbitraries.of(TauOpcode.CREATE_SERIES, TauOpcode.DROP_SERIES, TauOpcode.DROP_LENS);
  }

  @Property
  void threeLabelFramesRoundTrip(
      @ForAll("labels") TauLabel a,
      @ForAll("labels") TauLabel b,
      @ForAll("labels") TauLabel c,
      @ForAll boolean compose) {
    TauOpcode opcode = compose ? TauOpcode.COMPOSE_LENS : TauOpcode.CREATE_LENS;
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[106]);
    int length = TauFrameEncoder.threeLabels(buffer, 0, opcode, a, b, c);
    assertThat(decoder.decode(buffer, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    TauFrame frame = decoder.frame();
    assertThat(List.of(frame.label(0), frame.label(1), frame.label(2))).containsExactly(a, b, c);
  }

  @Property
  void connectRoundTrips(@ForAll @Size(32) byte[] certificate) {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[42]);
    int length = TauFrameEncoder.connect(buffer, 0, certificate);
    assertThat(decoder.decode(buffer, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    byte[] decoded = new byte[32];
    buffer.getBytes(decoder.frame().payloadOffset(), decoded);
    assertThat(decoded).isEqualTo(certificate);
  }

  @Property
  void repliesRoundTrip(
      @ForAll("anyDoubleBits") double value,
      @ForAll TauStatus status,
      @ForAll @Size(max = 20) List<@From("labels") TauLabel> labels) {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    int length = TauFrameEncoder.queryFound(buffer, 0, value);
    assertThat(decoder.decode(buffer, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().queryFound()).isTrue();
    assertThat(Double.doubleToRawLongBits(decoder.frame().queryValue()))
        .isEqualTo(Double.doubleToRawLongBits(value));

    length = TauFrameEncoder.error(buffer, 0, status);
    assertThat(decoder.decode(buffer, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().status()).isEqualTo(status);

    length = TauFrameEncoder.labelList(buffer, 0, labels);
    assertThat(decoder.decode(buffer, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().labelCount()).isEqualTo(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      assertThat(decoder.frame().label(i)).isEqualTo(labels.get(i));
    }
  }

  @Property
  void emptyFramesRoundTrip(@ForAll("emptyOpcodes") TauOpcode opcode) {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[10]);
    int length = TauFrameEncoder.empty(buffer, 0, opcode);
    assertThat(length).isEqualTo(10);
    assertThat(decoder.decode(buffer, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().opcode()).isEqualTo(opcode);
    assertThat(decoder.frame().payloadLength()).isZero();
  }

  @Provide
  Arbitrary<TauOpcode> emptyOpcodes() {
    return Arbitraries.of(
        TauOpcode.DISCONNECT, TauOpcode.PING, TauOpcode.PONG, TauOpcode.LIST_LENSES, TauOpcode.OK);
  }

  @Property
  void aStreamOfFramesSplitsBackIntoTheSameFrames(
      @ForAll @Size(min = 1, max = 30) List<@From("labels") TauLabel> labels,
      @ForAll long timestamp) {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[labels.size() * 58]);
    int end = 0;
    for (TauLabel label : labels) {
      end += TauFrameEncoder.append(buffer, end, label, timestamp, 1.0);
    }
    int position = 0;
    for (TauLabel label : labels) {
      assertThat(decoder.decode(buffer, position, end - position)).isEqualTo(TauDecodeResult.FRAME);
      assertThat(decoder.frame().label(0)).isEqualTo(label);
      position += decoder.frameLength();
    }
    assertThat(position).isEqualTo(end);
    assertThat(decoder.decode(buffer, position, 0)).isEqualTo(TauDecodeResult.NEED_MORE);
  }
}
