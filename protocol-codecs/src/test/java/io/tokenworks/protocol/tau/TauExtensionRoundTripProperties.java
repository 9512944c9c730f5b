package io.tokenworks.protocol.tau;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

/** Every extension frame the encoder writes decodes back to the same fields, bit-exact. */
class TauExtensionRoundTripProperties {

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
  void appendBatchRoundTripsBitExact(
      @ForAll("labels") TauLabel label,
      @ForAll @Size(max = 64) List<Long> timestamps,
      @ForAll @IntRange(max = 32) int offset) {
    int count = timestamps.size();
    long[] ts = new long[count];
    double[] values = new double[count];
    for (int i = 0; i < count; i++) {
      ts[i] = timestamps.get(i);
      values[i] = Double.longBitsToDouble(ts[i] * 0x9E3779B97F4A7C15L);
    }
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + 46 + 16 * count]);
    int length = TauFrameEncoder.appendBatch(buffer, offset, label, ts, values, 0, count);
    assertThat(length).isEqualTo(46 + 16 * count);
    assertThat(decoder.decode(buffer, offset, length)).isEqualTo(TauDecodeResult.FRAME);
    TauFrame frame = decoder.frame();
    assertThat(frame.opcode()).isEqualTo(TauOpcode.APPEND_BATCH);
    assertThat(frame.label(0)).isEqualTo(label);
    assertThat(frame.batchCount()).isEqualTo(count);
    for (int i = 0; i < count; i++) {
      assertThat(frame.batchTimestamp(i)).isEqualTo(ts[i]);
      assertThat(Double.doubleToRawLongBits(frame.batchValue(i)))
          .isEqualTo(Double.doubleToRawLongBits(values[i]));
    }
  }

  @Property
  void appendBatchWithAnyOtherLengthIsRejectedButSkippable(
      @ForAll @IntRange(max = 8) int count, @ForAll @IntRange(min = 1, max = 15) int extra) {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[46 + 16 * count + extra]);
    TauFrameEncoder.appendBatch(
        buffer, 0, TauLabel.of("s"), new long[count], new double[count], 0, count);
    TauFrameEncoder.header(buffer, 0, TauOpcode.APPEND_BATCH, 36 + 16 * count + extra);
    assertThat(decoder.decode(buffer, 0, buffer.capacity()))
        .isEqualTo(TauDecodeResult.BAD_LENGTH_FOR_OPCODE);
    assertThat(decoder.frameLength()).isEqualTo(buffer.capacity());
  }

  @Property
  void rangeAndAggregateQueriesRoundTrip(
      @ForAll("labels") TauLabel label,
      @ForAll long from,
      @ForAll long to,
      @ForAll @LongRange(max = 0xFFFF_FFFFL) long limit) {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
    int length = TauFrameEncoder.queryRange(buffer, 0, label, from, to, limit);
    assertThat(decoder.decode(buffer, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    TauFrame frame = decoder.frame();
    assertThat(frame.opcode()).isEqualTo(TauOpcode.QUERY_RANGE);
    assertThat(frame.label(0)).isEqualTo(label);
    assertThat(frame.rangeFrom()).isEqualTo(from);
    assertThat(frame.rangeTo()).isEqualTo(to);
    assertThat(frame.rangeLimit()).isEqualTo(limit);

    length = TauFrameEncoder.queryAggregate(buffer, 0, label, from, to);
    assertThat(decoder.decode(buffer, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().opcode()).isEqualTo(TauOpcode.QUERY_AGGREGATE);
    assertThat(decoder.frame().rangeFrom()).isEqualTo(from);
    assertThat(decoder.frame().rangeTo()).isEqualTo(to);
  }

  @Property
  void latestQueryAndReplyRoundTrip(
      @ForAll("labels") TauLabel label,
      @ForAll long timestamp,
      @ForAll("anyDoubleBits") double value) {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
    int length = TauFrameEncoder.query(buffer, 0, TauOpcode.QUERY_LATEST, label, timestamp);
    assertThat(decoder.decode(buffer, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().opcode()).isEqualTo(TauOpcode.QUERY_LATEST);
    assertThat(decoder.frame().timestamp()).isEqualTo(timestamp);

    length = TauFrameEncoder.latestFound(buffer, 0, timestamp, value);
    assertThat(decoder.decode(buffer, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().latestFound()).isTrue();
    assertThat(decoder.frame().latestTimestamp()).isEqualTo(timestamp);
    assertThat(Double.doubleToRawLongBits(decoder.frame().latestValue()))
        .isEqualTo(Double.doubleToRawLongBits(value));
  }

  @Property
  void rangeRepliesRoundTrip(@ForAll @Size(max = 50) List<Long> bits, @ForAll boolean hasMore) {
    int count = bits.size();
    long[] ts = new long[count];
    double[] values = new double[count];
    for (int i = 0; i < count; i++) {
      ts[i] = i - 10L;
      values[i] = Double.longBitsToDouble(bits.get(i));
    }
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[15 + 16 * count]);
    int length = TauFrameEncoder.rangeReply(buffer, 0, ts, values, count, hasMore);
    assertThat(decoder.decode(buffer, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    TauFrame frame = decoder.frame();
    assertThat(frame.isValidRangeReply()).isTrue();
    assertThat(frame.rangeReplyCount()).isEqualTo(count);
    assertThat(frame.rangeReplyHasMore()).isEqualTo(hasMore);
    for (int i = 0; i < count; i++) {
      assertThat(frame.rangeReplyTimestamp(i)).isEqualTo(ts[i]);
      assertThat(Double.doubleToRawLongBits(frame.rangeReplyValue(i))).isEqualTo(bits.get(i));
    }
  }

  @Property
  void aggregateRepliesRoundTrip(
      @ForAll @LongRange(min = 0) long count,
      @ForAll("anyDoubleBits") double min,
      @ForAll("anyDoubleBits") double max,
      @ForAll("anyDoubleBits") double sum,
      @ForAll("anyDoubleBits") double mean) {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[50]);
    int length = TauFrameEncoder.aggregateReply(buffer, 0, count, min, max, sum, mean);
    assertThat(length).isEqualTo(50);
    assertThat(decoder.decode(buffer, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    TauFrame frame = decoder.frame();
    assertThat(frame.aggregateCount()).isEqualTo(count);
    assertThat(Double.doubleToRawLongBits(frame.aggregateMin()))
        .isEqualTo(Double.doubleToRawLongBits(min));
    assertThat(Double.doubleToRawLongBits(frame.aggregateMax()))
        .isEqualTo(Double.doubleToRawLongBits(max));
    assertThat(Double.doubleToRawLongBits(frame.aggregateSum()))
        .isEqualTo(Double.doubleToRawLongBits(sum));
    assertThat(Double.doubleToRawLongBits(frame.aggregateMean()))
        .isEqualTo(Double.doubleToRawLongBits(mean));
  }
}
