package io.tokenworks.protocol.tau;

import static io.tokenworks.protocol.Bytes.bufferOf;
import static io.tokenworks.protocol.Bytes.hexOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.protocol.Allocations;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Golden bytes and edge cases of the Tokenworks extension opcodes and the BUSY status. */
class TauExtensionFramesTest {

  private static final TauLabel TEMP = TauLabel.of("temp");
  private static final String TEMP_LABEL = "74656d70" + "00".repeat(28);

  /** APPEND_BATCH "temp" (1, 22.5) (2, -0.0): 36 + 2 x 16 = 68 = 0x44 payload bytes. */
  private static final String BATCH_TWO =
      "544155 01 21 00 00000044"
          + TEMP_LABEL
          + "00000002"
          + "0000000000000001 4036800000000000"
          + "0000000000000002 8000000000000000";

  private final TauFrameDecoder decoder = new TauFrameDecoder();
  private final UnsafeBuffer out = new UnsafeBuffer(new byte[1024]);

  @Test
  void encodesAppendBatchByteForByte() {
    int length =
        TauFrameEncoder.appendBatch(
            out, 0, TEMP, new long[] {9, 1, 2}, new double[] {9.9, 22.5, -0.0}, 1, 2);
    assertThat(hexOf(out, 0, length)).isEqualTo(BATCH_TWO.replace(" ", ""));
  }

  @Test
  void decodesAppendBatchPointsInPlace() {
    UnsafeBuffer in = bufferOf(BATCH_TWO);
    assertThat(decoder.decode(in, 0, in.capacity())).isEqualTo(TauDecodeResult.FRAME);
    TauFrame frame = decoder.frame();
    assertThat(frame.opcode()).isEqualTo(TauOpcode.APPEND_BATCH);
    assertThat(frame.label(0)).isEqualTo(TEMP);
    assertThat(frame.batchCount()).isEqualTo(2);
    assertThat(frame.batchTimestamp(0)).isEqualTo(1L);
    assertThat(frame.batchValue(0)).isEqualTo(22.5);
    assertThat(frame.batchTimestamp(1)).isEqualTo(2L);
    assertThat(Double.doubleToRawLongBits(frame.batchValue(1)))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
  }

  @Test
  void appendBatchWhoseCountDisagreesWithItsLengthIsSkippable() {
    // count says 3, two points follow: 0x09, and the stream stays in sync.
    String frame =
        BATCH_TWO.replace("00000002" + "0000000000000001", "00000003" + "0000000000000001");
    UnsafeBuffer in = bufferOf(frame + "544155 01 03 00 00000000");
    assertThat(decoder.decode(in, 0, in.capacity()))
        .isEqualTo(TauDecodeResult.BAD_LENGTH_FOR_OPCODE);
    assertThat(decoder.frameLength()).isEqualTo(78);
    assertThat(decoder.opcode()).isEqualTo(TauOpcode.APPEND_BATCH);
    assertThat(decoder.decode(in, 78, in.capacity() - 78)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().opcode()).isEqualTo(TauOpcode.PING);
  }

  @Test
  void appendBatchWithAHostileCountDoesNotOverflow() {
    UnsafeBuffer in = bufferOf("544155 01 21 00 00000024" + TEMP_LABEL + "ffffffff");
    assertThat(decoder.decode(in, 0, in.capacity()))
        .isEqualTo(TauDecodeResult.BAD_LENGTH_FOR_OPCODE);
    in = bufferOf("544155 01 21 00 00000034" + TEMP_LABEL + "10000001" + "00".repeat(16));
    assertThat(decoder.decode(in, 0, in.capacity()))
        .isEqualTo(TauDecodeResult.BAD_LENGTH_FOR_OPCODE);
  }

  @Test
  void appendBatchShorterThanItsHeaderOrBetweenPointsIsAWrongLength() {
    UnsafeBuffer in = bufferOf("544155 01 21 00 00000023" + "00".repeat(35));
    assertThat(decoder.decode(in, 0, in.capacity()))
        .isEqualTo(TauDecodeResult.BAD_LENGTH_FOR_OPCODE);
    in = bufferOf("544155 01 21 00 00000025" + TEMP_LABEL + "00000000" + "00");
    assertThat(decoder.decode(in, 0, in.capacity()))
        .isEqualTo(TauDecodeResult.BAD_LENGTH_FOR_OPCODE);
    assertThat(TauOpcode.APPEND_BATCH.acceptsPayloadLength(37)).isFalse();
    assertThat(TauOpcode.APPEND_BATCH.acceptsPayloadLength(52)).isTrue();
    assertThat(TauOpcode.APPEND_BATCH.minPayloadLength()).isEqualTo(36);
  }

  @Test
  void emptyAppendBatchIsAWellFormedFrame() {
    int length = TauFrameEncoder.appendBatch(out, 0, TEMP, new long[0], new double[0], 0, 0);
    assertThat(length).isEqualTo(46);
    assertThat(decoder.decode(out, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().batchCount()).isZero();
  }

  @Test
  void everyPrefixOfABatchNeedsMoreBytes() {
    UnsafeBuffer in = bufferOf(BATCH_TWO);
    for (int available = 0; available < in.capacity(); available++) {
      assertThat(decoder.decode(in, 0, available))
          .as("prefix %d", available)
          .isEqualTo(TauDecodeResult.NEED_MORE);
    }
  }

  @Test
  void encodesQueryRangeByteForByte() {
    int length = TauFrameEncoder.queryRange(out, 0, TEMP, 0, 100, 10);
    assertThat(hexOf(out, 0, length))
        .isEqualTo(
            ("544155 01 31 00 00000034" + TEMP_LABEL + "0000000000000000 0000000000000064 0000000a")
                .replace(" ", ""));
    assertThat(decoder.decode(out, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().rangeFrom()).isZero();
    assertThat(decoder.frame().rangeTo()).isEqualTo(100);
    assertThat(decoder.frame().rangeLimit()).isEqualTo(10);
  }

  @Test
  void queryRangeLimitIsAnUnsignedU32() {
    int length =
        TauFrameEncoder.queryRange(out, 0, TEMP, Long.MIN_VALUE, Long.MAX_VALUE, 0xFFFF_FFFFL);
    assertThat(decoder.decode(out, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().rangeLimit()).isEqualTo(4_294_967_295L);
    assertThat(decoder.frame().rangeFrom()).isEqualTo(Long.MIN_VALUE);
    assertThatThrownBy(() -> TauFrameEncoder.queryRange(out, 0, TEMP, 0, 1, 1L << 32))
        .hasMessageContaining("limit=4294967296");
    assertThatThrownBy(() -> TauFrameEncoder.queryRange(out, 0, TEMP, 0, 1, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void encodesQueryLatestListSeriesAndQueryAggregateByteForByte() {
    int length = TauFrameEncoder.query(out, 0, TauOpcode.QUERY_LATEST, TEMP, -1L);
    assertThat(hexOf(out, 0, length))
        .isEqualTo(("544155 01 32 00 00000028" + TEMP_LABEL + "ffffffffffffffff").replace(" ", ""));
    assertThat(decoder.decode(out, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().timestamp()).isEqualTo(-1L);

    length = TauFrameEncoder.empty(out, 0, TauOpcode.LIST_SERIES);
    assertThat(hexOf(out, 0, length)).isEqualTo("54415501120000000000");

    length = TauFrameEncoder.queryAggregate(out, 0, TEMP, 1, 2);
    assertThat(hexOf(out, 0, length))
        .isEqualTo(
            ("544155 01 33 00 00000030" + TEMP_LABEL + "0000000000000001 0000000000000002")
                .replace(" ", ""));
    assertThat(decoder.decode(out, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().rangeFrom()).isEqualTo(1);
    assertThat(decoder.frame().rangeTo()).isEqualTo(2);
  }

  @Test
  void listSeriesRequestMustBeEmpty() {
    UnsafeBuffer in = bufferOf("544155 01 12 00 00000001 00");
    assertThat(decoder.decode(in, 0, in.capacity()))
        .isEqualTo(TauDecodeResult.BAD_LENGTH_FOR_OPCODE);
  }

  @Test
  void encodesExtensionRepliesByteForByte() {
    assertThat(hexOf(out, 0, TauFrameEncoder.error(out, 0, TauStatus.BUSY)))
        .isEqualTo("54415501ff00000000010e");
    assertThat(hexOf(out, 0, TauFrameEncoder.latestFound(out, 0, 5, 22.5)))
        .isEqualTo("54415501f000000000110100000000000000054036800000000000");
    assertThat(
            hexOf(
                out,
                0,
                TauFrameEncoder.rangeReply(out, 0, new long[] {1}, new double[] {22.5}, 1, true)))
        .isEqualTo("54415501f000000000150000000100000000000000014036800000000000" + "01");
    assertThat(hexOf(out, 0, TauFrameEncoder.aggregateReply(out, 0, 2, 1.0, 3.0, 4.0, 2.0)))
        .isEqualTo(
            "54415501f000000000280000000000000002"
                + "3ff0000000000000400800000000000040100000000000004000000000000000");
  }

  @Test
  void latestReplySaysFoundOrNot() {
    int length = TauFrameEncoder.latestFound(out, 0, -7, Double.NaN);
    assertThat(decoder.decode(out, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().latestFound()).isTrue();
    assertThat(decoder.frame().latestTimestamp()).isEqualTo(-7);
    assertThat(decoder.frame().latestValue()).isNaN();
    length = TauFrameEncoder.queryNotFound(out, 0);
    assertThat(decoder.decode(out, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().latestFound()).isFalse();
    // A point-query "found" reply is not a latest "found" reply: the lengths differ.
    length = TauFrameEncoder.queryFound(out, 0, 1.0);
    assertThat(decoder.decode(out, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().latestFound()).isFalse();
  }

  @Test
  void rangeReplyValidityChecksCountAgainstLength() {
    int length = TauFrameEncoder.rangeReply(out, 0, new long[0], new double[0], 0, false);
    assertThat(decoder.decode(out, 0, length)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().isValidRangeReply()).isTrue();
    assertThat(decoder.frame().rangeReplyCount()).isZero();
    assertThat(decoder.frame().rangeReplyHasMore()).isFalse();

    UnsafeBuffer lying = bufferOf("544155 01 f0 00 00000005 00000002 00");
    assertThat(decoder.decode(lying, 0, lying.capacity())).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().isValidRangeReply()).isFalse();
    UnsafeBuffer tooShort = bufferOf("544155 01 f0 00 00000000");
    assertThat(decoder.decode(tooShort, 0, 10)).isEqualTo(TauDecodeResult.FRAME);
    assertThat(decoder.frame().isValidRangeReply()).isFalse();
  }

  @Test
  void encoderRefusesBatchesAndRangeRepliesBeyondTheProtocolCeiling() {
    assertThatThrownBy(
            () ->
                TauFrameEncoder.appendBatch(
                    out,
                    0,
                    TEMP,
                    new long[0],
                    new double[0],
                    0,
                    TauFrameDescriptor.MAX_BATCH_POINTS + 1))
        .hasMessageContaining("count=262142");
    assertThatThrownBy(
            () ->
                TauFrameEncoder.rangeReplyFinish(
                    out, 0, TauFrameDescriptor.MAX_RANGE_REPLY_POINTS + 1, false))
        .hasMessageContaining("count=262144");
    assertThatThrownBy(() -> TauFrameEncoder.query(out, 0, TauOpcode.QUERY_RANGE, TEMP, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theLargestBatchFitsTheProtocolCeilingExactly() {
    long payload = TauFrameDescriptor.appendBatchPayloadLength(TauFrameDescriptor.MAX_BATCH_POINTS);
    assertThat(payload).isLessThanOrEqualTo(TauFrameDescriptor.MAX_PAYLOAD_LENGTH);
    assertThat(payload + 16).isGreaterThan(TauFrameDescriptor.MAX_PAYLOAD_LENGTH);
    int reply =
        TauFrameDescriptor.rangeReplyPayloadLength(TauFrameDescriptor.MAX_RANGE_REPLY_POINTS);
    assertThat(reply).isLessThanOrEqualTo(TauFrameDescriptor.MAX_PAYLOAD_LENGTH);
    assertThat(reply + 16).isGreaterThan(TauFrameDescriptor.MAX_PAYLOAD_LENGTH);
  }

  @Test
  void decodingABatchAllocatesNothing() {
    UnsafeBuffer in = bufferOf(BATCH_TWO);
    int length = in.capacity();
    for (int i = 0; i < 1_000; i++) {
      decoder.decode(in, 0, length);
    }
    long allocated =
        Allocations.fewestBytesAllocated(
            () -> {
              long sum = 0;
              for (int i = 0; i < 1_000; i++) {
                decoder.decode(in, 0, length);
                TauFrame frame = decoder.frame();
                for (int p = 0, n = frame.batchCount(); p < n; p++) {
                  sum += frame.batchTimestamp(p);
                }
              }
              return sum;
            });
    assertThat(allocated).isZero();
  }

  @Test
  void v1OpcodesAreNotExtensions() {
    assertThat(TauOpcode.APPEND.isExtension()).isFalse();
    assertThat(TauOpcode.LIST_LENSES.isExtension()).isFalse();
    assertThat(TauOpcode.APPEND_BATCH.isReply()).isFalse();
  }
}
