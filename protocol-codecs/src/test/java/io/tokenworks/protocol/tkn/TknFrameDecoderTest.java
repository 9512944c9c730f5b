package io.tokenworks.protocol.tkn;

import static io.tokenworks.protocol.Bytes.bufferOf;
import static io.tokenworks.protocol.Bytes.hex;
import static io.tokenworks.protocol.Bytes.hexOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.protocol.Allocations;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TknFrameDecoderTest {

  /** The v1 client encoder's vectors, byte for byte. */
  static final String STRING_HI = "02 00000002 6869";

  static final String BINARY_1_2_3 = "03 00000003 010203";
  static final String JSON_A_1 = "01 00000007 7b2261223a317d";
  static final String BATCH_A_B = "04 0000000c 02 00000001 61 02 00000001 62";

  private static final String ITEM_A = "02 00000001 61";
  private static final String ITEM_B = "02 00000001 62";

  private final TknFrameDecoder decoder = new TknFrameDecoder();

  @Test
  void decodesUpstreamStringVector() {
    assertThat(decode(STRING_HI)).isEqualTo(TknDecodeResult.FRAME);
    TknFrame frame = decoder.frame();
    assertThat(decoder.frameLength()).isEqualTo(7);
    assertThat(decoder.type()).isEqualTo(TknFrameType.STRING);
    assertThat(frame.type()).isEqualTo(TknFrameType.STRING);
    assertThat(frame.payloadOffset()).isEqualTo(5);
    assertThat(frame.payloadLength()).isEqualTo(2);
    assertThat(frame.string()).isEqualTo("hi");
  }

  @Test
  void decodesUpstreamBinaryVector() {
    assertThat(decode(BINARY_1_2_3)).isEqualTo(TknDecodeResult.FRAME);
    TknFrame frame = decoder.frame();
    assertThat(frame.type()).isEqualTo(TknFrameType.BINARY);
    assertThat(hexOf((UnsafeBuffer) frame.buffer(), frame.payloadOffset(), frame.payloadLength()))
        .isEqualTo("010203");
  }

  @Test
  void decodesUpstreamJsonVectorWithoutParsingIt() {
    assertThat(decode(JSON_A_1)).isEqualTo(TknDecodeResult.FRAME);
    assertThat(decoder.frame().type()).isEqualTo(TknFrameType.JSON);
    assertThat(decoder.frame().string()).isEqualTo("{\"a\":1}");
  }

  @Test
  void decodesUpstreamBatchVectorAndIteratesItsItemsInOrder() {
    assertThat(decode(BATCH_A_B)).isEqualTo(TknDecodeResult.FRAME);
    assertThat(decoder.frameLength()).isEqualTo(17);
    assertThat(decoder.frame().type()).isEqualTo(TknFrameType.BATCH);
    assertThat(decoder.frame().payloadLength()).isEqualTo(12);
    assertThat(decoder.validItemCount()).isEqualTo(2);
    assertThat(items()).containsExactly("STRING:a", "STRING:b");
    assertThat(items()).as("batchItems() rewinds").containsExactly("STRING:a", "STRING:b");
  }

  @Test
  void batchItemsExposeTheirPositionsInTheBuffer() {
    decode(BATCH_A_B);
    TknBatchItems items = decoder.batchItems();
    assertThat(items.next()).isTrue();
    assertThat(items.index()).isZero();
    assertThat(items.itemOffset()).isEqualTo(5);
    assertThat(items.payloadOffset()).isEqualTo(10);
    assertThat(items.payloadLength()).isEqualTo(1);
    assertThat(items.typeCode()).isEqualTo(2);
    assertThat(items.next()).isTrue();
    assertThat(items.index()).isOne();
    assertThat(items.payloadOffset()).isEqualTo(16);
    assertThat(items.next()).isFalse();
  }

  @Test
  void batchMayMixItemTypesAndCarryEmptyItems() {
    String batch = "04 00000016 " + JSON_A_1 + " 03 00000000 " + "02 00000000";
    assertThat(decode(batch)).isEqualTo(TknDecodeResult.FRAME);
    assertThat(decoder.validItemCount()).isEqualTo(3);
    assertThat(items()).containsExactly("JSON:{\"a\":1}", "BINARY:", "STRING:");
  }

  @Test
  void everyPrefixOfAFrameNeedsMoreBytesAndConsumesNothing() {
    for (String vector : List.of(STRING_HI, BINARY_1_2_3, JSON_A_1, BATCH_A_B)) {
      byte[] frame = hex(vector);
      UnsafeBuffer in = new UnsafeBuffer(frame);
      for (int available = 0; available < frame.length; available++) {
        assertThat(decoder.decode(in, 0, available))
            .as("%s prefix %d", vector, available)
            .isEqualTo(TknDecodeResult.NEED_MORE);
        assertThat(decoder.frameLength()).isEqualTo(available < 5 ? 5 : frame.length);
      }
      assertThat(decoder.decode(in, 0, frame.length)).isEqualTo(TknDecodeResult.FRAME);
    }
  }

  @Test
  void needMoreAfterTheHeaderAlreadyKnowsTheType() {
    assertThat(decode("04 0000000c 02")).isEqualTo(TknDecodeResult.NEED_MORE);
    assertThat(decoder.type()).isEqualTo(TknFrameType.BATCH);
    assertThat(decode("04 0000")).isEqualTo(TknDecodeResult.NEED_MORE);
    assertThat(decoder.type()).isNull();
    assertThat(decoder.typeCode()).isEqualTo(-1);
  }

  @Test
  void decodesFramesAtAnOffsetInsideALargerBuffer() {
    byte[] string = hex(STRING_HI);
    byte[] batch = hex(BATCH_A_B);
    UnsafeBuffer in = new UnsafeBuffer(new byte[7 + string.length + batch.length + 3]);
    in.putBytes(7, string);
    in.putBytes(7 + string.length, batch);
    assertThat(decoder.decode(in, 7, in.capacity() - 7)).isEqualTo(TknDecodeResult.FRAME);
    assertThat(decoder.frame().offset()).isEqualTo(7);
    assertThat(decoder.frame().string()).isEqualTo("hi");
    int next = 7 + decoder.frameLength();
    assertThat(decoder.decode(in, next, batch.length)).isEqualTo(TknDecodeResult.FRAME);
    assertThat(decoder.frame().payloadOffset()).isEqualTo(next + 5);
    assertThat(items()).containsExactly("STRING:a", "STRING:b");
  }

  @Test
  void neverReadsPastTheGivenLength() {
    // The bytes after the declared end would complete the batch; the decoder must not see them.
    UnsafeBuffer in = bufferOf(BATCH_A_B);
    assertThat(decoder.decode(in, 0, 16)).isEqualTo(TknDecodeResult.NEED_MORE);
    assertThat(decoder.validItemCount()).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {0x00, 0x05, 0x7f, 0xff})
  void unknownTypeIsSkippableOnceTheWholeFrameArrived(int typeCode) {
    String unknown = String.format("%02x", typeCode) + "00000003 616263";
    UnsafeBuffer in = bufferOf(unknown + STRING_HI);
    assertThat(decoder.decode(in, 0, 7)).isEqualTo(TknDecodeResult.NEED_MORE);
    assertThat(decoder.frameLength()).isEqualTo(8);
    assertThat(decoder.decode(in, 0, in.capacity())).isEqualTo(TknDecodeResult.UNKNOWN_TYPE);
    assertThat(decoder.frameLength()).isEqualTo(8);
    assertThat(decoder.typeCode()).isEqualTo(typeCode);
    assertThat(decoder.type()).isNull();
    assertThat(decoder.frame().typeCode()).isEqualTo(typeCode);
    assertThat(TknDecodeResult.UNKNOWN_TYPE.closesConnection()).isFalse();
    assertThat(decoder.decode(in, 8, in.capacity() - 8)).isEqualTo(TknDecodeResult.FRAME);
    assertThat(decoder.frame().string()).isEqualTo("hi");
  }

  @Test
  void payloadOneByteOverTheDefaultLimitIsRejectedFromTheHeaderAlone() {
    assertThat(decode("02 01000001")).isEqualTo(TknDecodeResult.PAYLOAD_TOO_LARGE);
    assertThat(decoder.frameLength()).isZero();
    assertThat(decoder.type()).isNull();
    assertThat(TknDecodeResult.PAYLOAD_TOO_LARGE.closesConnection()).isTrue();
    assertThat(decode("02 01000000")).isEqualTo(TknDecodeResult.NEED_MORE);
    assertThat(decoder.frameLength()).isEqualTo(16 * 1024 * 1024 + 5);
  }

  @Test
  void unknownTypeWithAnOversizedPayloadStillCloses() {
    assertThat(decode("09 ffffffff")).isEqualTo(TknDecodeResult.PAYLOAD_TOO_LARGE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"80000000", "ffffffff", "7fffffff", "fffffffb"})
  void lengthsThatWouldGoNegativeAreTooLargeEvenAtTheHighestLimit(String length) {
    TknFrameDecoder widest = new TknFrameDecoder(TknFrameDescriptor.MAX_PAYLOAD_LENGTH);
    for (TknFrameDecoder candidate : List.of(decoder, widest)) {
      UnsafeBuffer in = bufferOf("02" + length);
      assertThat(candidate.decode(in, 0, 5)).isEqualTo(TknDecodeResult.PAYLOAD_TOO_LARGE);
      assertThat(candidate.frameLength()).isZero();
    }
  }

  @Test
  void theHighestLimitStillYieldsAPositiveFrameLength() {
    TknFrameDecoder widest = new TknFrameDecoder(TknFrameDescriptor.MAX_PAYLOAD_LENGTH);
    UnsafeBuffer in = bufferOf("03 7ffffffa");
    assertThat(widest.decode(in, 0, 5)).isEqualTo(TknDecodeResult.NEED_MORE);
    assertThat(widest.frameLength()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void aConfiguredLowerLimitIsEnforcedOnEveryFrameIncludingBatches() {
    TknFrameDecoder small = new TknFrameDecoder(3);
    assertThat(small.maxPayloadLength()).isEqualTo(3);
    assertThat(small.decode(bufferOf(BINARY_1_2_3), 0, 8)).isEqualTo(TknDecodeResult.FRAME);
    assertThat(small.decode(bufferOf("03 00000004 01020304"), 0, 9))
        .isEqualTo(TknDecodeResult.PAYLOAD_TOO_LARGE);
    assertThat(small.decode(bufferOf(BATCH_A_B), 0, 17))
        .isEqualTo(TknDecodeResult.PAYLOAD_TOO_LARGE);
    assertThat(new TknFrameDecoder(0).decode(bufferOf("02 00000000"), 0, 5))
        .isEqualTo(TknDecodeResult.FRAME);
  }

  @Test
  void limitOutsideZeroToTheProtocolMaximumIsRefused() {
    assertThatThrownBy(() -> new TknFrameDecoder(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxPayloadLength=-1");
    assertThatThrownBy(() -> new TknFrameDecoder(Integer.MAX_VALUE - 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxPayloadLength=2147483643");
    assertThat(new TknFrameDecoder().maxPayloadLength()).isEqualTo(16 * 1024 * 1024);
  }

  @Test
  void emptyBatchIsSkippable() {
    UnsafeBuffer in = bufferOf("04 00000000" + STRING_HI);
    assertThat(decoder.decode(in, 0, in.capacity())).isEqualTo(TknDecodeResult.EMPTY_BATCH);
    assertThat(decoder.frameLength()).isEqualTo(5);
    assertThat(decoder.validItemCount()).isZero();
    assertThat(items()).isEmpty();
    assertThat(TknDecodeResult.EMPTY_BATCH.closesConnection()).isFalse();
    assertThat(TknDecodeResult.EMPTY_BATCH.isBatchItemError()).isFalse();
    assertThat(decoder.decode(in, 5, in.capacity() - 5)).isEqualTo(TknDecodeResult.FRAME);
  }

  @Test
  void nestedBatchIsRefusedAfterTheWholeFrameWithTheItemsBeforeIt() {
    // The second item is a whole BATCH["a","b"], on which upstream's server would have recursed.
    String batch = "04 00000017 " + ITEM_A + BATCH_A_B;
    assertThat(decodeEveryPrefixThenWhole(batch)).isEqualTo(TknDecodeResult.NESTED_BATCH);
    assertThat(decoder.frameLength()).isEqualTo(5 + 0x17);
    assertThat(decoder.validItemCount()).isOne();
    assertThat(items()).containsExactly("STRING:a");
    assertThat(TknDecodeResult.NESTED_BATCH.closesConnection()).isFalse();
  }

  @Test
  void batchItemOfUnknownTypeIsRefusedWithTheItemsBeforeIt() {
    String batch = "04 00000012 " + ITEM_A + ITEM_B + "09 00000001 63";
    assertThat(decodeEveryPrefixThenWhole(batch))
        .isEqualTo(TknDecodeResult.BATCH_ITEM_UNKNOWN_TYPE);
    assertThat(decoder.frameLength()).isEqualTo(23);
    assertThat(decoder.validItemCount()).isEqualTo(2);
    assertThat(items()).containsExactly("STRING:a", "STRING:b");
    assertThat(TknDecodeResult.BATCH_ITEM_UNKNOWN_TYPE.closesConnection()).isFalse();
  }

  @Test
  void batchTruncatedInAnItemPayloadAfterTwoGoodItemsKeepsThoseTwo() {
    // Third item announces 5 payload bytes but the batch ends after 2 of them.
    String batch = "04 00000013 " + ITEM_A + ITEM_B + "03 00000005 0102";
    assertThat(decodeEveryPrefixThenWhole(batch)).isEqualTo(TknDecodeResult.BATCH_ITEM_TRUNCATED);
    assertThat(decoder.frameLength()).isEqualTo(24);
    assertThat(decoder.validItemCount()).isEqualTo(2);
    assertThat(items()).containsExactly("STRING:a", "STRING:b");
    assertThat(TknDecodeResult.BATCH_ITEM_TRUNCATED.closesConnection()).isFalse();
    assertThat(TknDecodeResult.BATCH_ITEM_TRUNCATED.isBatchItemError()).isTrue();
  }

  @Test
  void batchTruncatedInAnItemHeaderAfterTwoGoodItemsKeepsThoseTwo() {
    String batch = "04 0000000f " + ITEM_A + ITEM_B + "02 0000";
    assertThat(decodeEveryPrefixThenWhole(batch)).isEqualTo(TknDecodeResult.BATCH_ITEM_TRUNCATED);
    assertThat(decoder.frameLength()).isEqualTo(20);
    assertThat(decoder.validItemCount()).isEqualTo(2);
    assertThat(items()).containsExactly("STRING:a", "STRING:b");
  }

  @Test
  void batchWhoseFirstItemIsTruncatedHasNoValidItems() {
    assertThat(decode("04 00000003 020000")).isEqualTo(TknDecodeResult.BATCH_ITEM_TRUNCATED);
    assertThat(decoder.validItemCount()).isZero();
    assertThat(items()).isEmpty();
  }

  @Test
  void batchItemLengthAboveTwoToThe31IsTruncatedNotNegative() {
    assertThat(decode("04 00000006 02 80000000 61"))
        .isEqualTo(TknDecodeResult.BATCH_ITEM_TRUNCATED);
    assertThat(decode("04 00000006 02 ffffffff 61"))
        .isEqualTo(TknDecodeResult.BATCH_ITEM_TRUNCATED);
    assertThat(decoder.validItemCount()).isZero();
  }

  @Test
  void aTruncatedItemIsReportedBeforeItsType() {
    // A nested batch whose length also overruns: its bounds are unknown, so it is a truncation.
    assertThat(decode("04 00000006 04 00000009 61"))
        .isEqualTo(TknDecodeResult.BATCH_ITEM_TRUNCATED);
  }

  @Test
  void theFirstBadItemDecidesTheError() {
    String batch = "04 00000010 " + ITEM_A + "09 00000000" + "04 00000005";
    assertThat(decode(batch)).isEqualTo(TknDecodeResult.BATCH_ITEM_UNKNOWN_TYPE);
    assertThat(decoder.validItemCount()).isOne();
  }

  @Test
  void aServerCanSkipEverySkippableErrorAndKeepReading() {
    String stream =
        "07 00000001 00"
            + "04 00000000"
            + "04 00000006 02 00000009 61"
            + "04 0000000f "
            + ITEM_A
            + "04 00000004 00000000"
            + STRING_HI;
    UnsafeBuffer in = bufferOf(stream);
    List<TknDecodeResult> results = new ArrayList<>();
    int position = 0;
    while (position < in.capacity()) {
      TknDecodeResult result = decoder.decode(in, position, in.capacity() - position);
      results.add(result);
      assertThat(result.closesConnection()).isFalse();
      position += decoder.frameLength();
    }
    assertThat(results)
        .containsExactly(
            TknDecodeResult.UNKNOWN_TYPE,
            TknDecodeResult.EMPTY_BATCH,
            TknDecodeResult.BATCH_ITEM_TRUNCATED,
            TknDecodeResult.NESTED_BATCH,
            TknDecodeResult.FRAME);
    assertThat(decoder.frame().string()).isEqualTo("hi");
  }

  @Test
  void nonBatchResultsHaveNoItems() {
    decode(BATCH_A_B);
    decode(STRING_HI);
    assertThat(decoder.validItemCount()).isZero();
    assertThat(items()).isEmpty();
    decode("04 00000000");
    assertThat(items()).isEmpty();
  }

  @Test
  void onlyAnOversizedPayloadClosesTheConnection() {
    assertThat(EnumSet.allOf(TknDecodeResult.class))
        .filteredOn(TknDecodeResult::closesConnection)
        .containsExactly(TknDecodeResult.PAYLOAD_TOO_LARGE);
    assertThat(EnumSet.allOf(TknDecodeResult.class))
        .filteredOn(TknDecodeResult::isBatchItemError)
        .containsExactlyInAnyOrder(
            TknDecodeResult.NESTED_BATCH,
            TknDecodeResult.BATCH_ITEM_TRUNCATED,
            TknDecodeResult.BATCH_ITEM_UNKNOWN_TYPE);
    assertThat(TknDecodeResult.NEED_MORE.isError()).isFalse();
    assertThat(TknDecodeResult.FRAME.isError()).isFalse();
    assertThat(TknDecodeResult.UNKNOWN_TYPE.isError()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(TknFrameType.class)
  void typesHaveTheUpstreamCodes(TknFrameType type) {
    assertThat(type.code()).isEqualTo(type.ordinal() + 1);
    assertThat(TknFrameType.fromCode(type.code())).isSameAs(type);
    assertThat(type.isBatchItemType()).isEqualTo(type != TknFrameType.BATCH);
  }

  @Test
  void codesOutsideOneToFourAreNoType() {
    assertThat(TknFrameType.values()).extracting(TknFrameType::code).containsExactly(1, 2, 3, 4);
    assertThat(TknFrameType.fromCode(0)).isNull();
    assertThat(TknFrameType.fromCode(5)).isNull();
    assertThat(TknFrameType.fromCode(0xFF)).isNull();
    assertThat(TknFrameType.fromCode(-4)).as("a signed byte 0xfc").isNull();
  }

  @Test
  void decodingAStringFrameAllocatesNothing() {
    UnsafeBuffer in = bufferOf(STRING_HI);
    assertThat(decodeAndSumPayload(in)).isEqualTo(2 + 'h');
    long allocated =
        Allocations.fewestBytesAllocated(
            () -> {
              long sum = 0;
              for (int i = 0; i < 1_000; i++) {
                sum += decodeAndSumPayload(in);
              }
              return sum;
            });
    assertThat(allocated).isZero();
  }

  private long decodeAndSumPayload(UnsafeBuffer in) {
    decoder.decode(in, 0, 7);
    TknFrame frame = decoder.frame();
    return frame.payloadLength() + frame.buffer().getByte(frame.payloadOffset());
  }

  @Test
  void decodingABatchFrameAndIteratingItsItemsAllocatesNothing() {
    UnsafeBuffer in = bufferOf(BATCH_A_B);
    assertThat(decodeAndSumItems(in)).isEqualTo('a' + 'b');
    long allocated =
        Allocations.fewestBytesAllocated(
            () -> {
              long sum = 0;
              for (int i = 0; i < 1_000; i++) {
                sum += decodeAndSumItems(in);
              }
              return sum;
            });
    assertThat(allocated).isZero();
  }

  private long decodeAndSumItems(UnsafeBuffer in) {
    decoder.decode(in, 0, 17);
    long sum = 0;
    TknBatchItems items = decoder.batchItems();
    while (items.next()) {
      sum += items.buffer().getByte(items.payloadOffset());
    }
    return sum;
  }

  private TknDecodeResult decode(String hex) {
    UnsafeBuffer in = bufferOf(hex);
    return decoder.decode(in, 0, in.capacity());
  }

  /** Batch errors wait for the whole frame: every shorter prefix is NEED_MORE. */
  private TknDecodeResult decodeEveryPrefixThenWhole(String hex) {
    UnsafeBuffer in = bufferOf(hex);
    for (int available = 0; available < in.capacity(); available++) {
      assertThat(decoder.decode(in, 0, available))
          .as("prefix %d", available)
          .isEqualTo(TknDecodeResult.NEED_MORE);
    }
    return decoder.decode(in, 0, in.capacity());
  }

  /** The decoder's batch items as {@code TYPE:text}. */
  private List<String> items() {
    List<String> items = new ArrayList<>();
    TknBatchItems cursor = decoder.batchItems();
    while (cursor.next()) {
      items.add(cursor.type() + ":" + cursor.string());
    }
    return items;
  }
}
