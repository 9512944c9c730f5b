package io.tokenworks.protocol.tkn;

import static io.tokenworks.protocol.Bytes.hexOf;
import static io.tokenworks.protocol.tkn.TknFrameDecoderTest.BATCH_A_B;
import static io.tokenworks.protocol.tkn.TknFrameDecoderTest.BINARY_1_2_3;
import static io.tokenworks.protocol.tkn.TknFrameDecoderTest.JSON_A_1;
import static io.tokenworks.protocol.tkn.TknFrameDecoderTest.STRING_HI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.protocol.Allocations;
import io.tokenworks.protocol.Bytes;
import java.nio.charset.StandardCharsets;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class TknFrameEncoderTest {

  private final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);
  private final TknBatchEncoder batch = new TknBatchEncoder();

  @Test
  void encodesUpstreamStringVectorByteForByte() {
    int length = TknFrameEncoder.string(out, 0, "hi");
    assertThat(hexOf(out, 0, length)).isEqualTo(plain(STRING_HI));
  }

  @Test
  void encodesUpstreamBinaryVectorByteForByteFromArrayOrBuffer() {
    byte[] bytes = {1, 2, 3};
    assertThat(hexOf(out, 0, TknFrameEncoder.binary(out, 0, bytes))).isEqualTo(plain(BINARY_1_2_3));
    UnsafeBuffer source = new UnsafeBuffer(new byte[] {9, 1, 2, 3, 9});
    assertThat(hexOf(out, 0, TknFrameEncoder.binary(out, 0, source, 1, 3)))
        .isEqualTo(plain(BINARY_1_2_3));
  }

  @Test
  void encodesUpstreamJsonVectorByteForByteWithoutParsing() {
    byte[] json = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    assertThat(hexOf(out, 0, TknFrameEncoder.json(out, 0, json))).isEqualTo(plain(JSON_A_1));
    UnsafeBuffer source = new UnsafeBuffer(json);
    assertThat(hexOf(out, 0, TknFrameEncoder.json(out, 0, source, 0, json.length)))
        .isEqualTo(plain(JSON_A_1));
    byte[] notJson = "{".getBytes(StandardCharsets.UTF_8);
    assertThat(hexOf(out, 0, TknFrameEncoder.json(out, 0, notJson))).isEqualTo("01000000017b");
  }

  @Test
  void encodesUpstreamBatchVectorByteForByteInTheInterleavedLayout() {
    int length = batch.wrap(out, 0).addString("a").addString("b").finish();
    assertThat(length).isEqualTo(17);
    assertThat(batch.itemCount()).isEqualTo(2);
    assertThat(hexOf(out, 0, length)).isEqualTo(plain(BATCH_A_B));
  }

  @Test
  void batchPayloadIsTheItemFramesBackToBack() {
    byte[] json = "[1]".getBytes(StandardCharsets.UTF_8);
    int length = batch.wrap(out, 3).addJson(json).addBinary(new byte[] {7}).addString("é").finish();
    UnsafeBuffer expected = new UnsafeBuffer(new byte[64]);
    int end = TknFrameEncoder.json(expected, 0, json);
    end += TknFrameEncoder.binary(expected, end, new byte[] {7});
    end += TknFrameEncoder.string(expected, end, "é");
    assertThat(length).isEqualTo(5 + end);
    assertThat(hexOf(out, 3, 5)).isEqualTo(String.format("04%08x", end));
    assertThat(hexOf(out, 8, end)).isEqualTo(hexOf(expected, 0, end));
  }

  @Test
  void batchEncoderIsReusableAtAnyOffset() {
    batch.wrap(out, 0).addString("x").addString("y").addString("z").finish();
    int length = batch.wrap(out, 100).addString("a").addString("b").finish();
    assertThat(batch.itemCount()).isEqualTo(2);
    assertThat(batch.length()).isEqualTo(length);
    assertThat(hexOf(out, 100, length)).isEqualTo(plain(BATCH_A_B));
  }

  @Test
  void finishingAnEmptyBatchIsRefused() {
    batch.wrap(out, 0);
    assertThatThrownBy(batch::finish)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("itemCount=0");
    batch.wrap(out, 0).addString("a").finish();
    assertThatThrownBy(() -> batch.wrap(out, 0).finish())
        .as("wrap starts a new, empty batch")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stringsAreWrittenAsTheJdkWritesUtf8() {
    String text = "aé€😀z";
    byte[] expected = text.getBytes(StandardCharsets.UTF_8);
    int length = TknFrameEncoder.string(out, 0, text);
    assertThat(length).isEqualTo(5 + expected.length);
    assertThat(TknFrameEncoder.utf8Length(text)).isEqualTo(expected.length);
    byte[] payload = new byte[expected.length];
    out.getBytes(5, payload);
    assertThat(payload).isEqualTo(expected);
  }

  @Test
  void unpairedSurrogatesBecomeQuestionMarksAsInTheJdk() {
    String text = "a\uD800b\uDC00\uD83D";
    int length = TknFrameEncoder.string(out, 0, text);
    assertThat(hexOf(out, 0, length)).isEqualTo("0200000005613f623f3f");
    assertThat(text.getBytes(StandardCharsets.UTF_8)).isEqualTo(Bytes.hex("613f623f3f"));
    assertThat(TknFrameEncoder.utf8Length(text)).isEqualTo(5);
  }

  @Test
  void acceptsAnyCharSequence() {
    StringBuilder text = new StringBuilder("h").append('i');
    assertThat(hexOf(out, 0, TknFrameEncoder.string(out, 0, text))).isEqualTo(plain(STRING_HI));
  }

  @Test
  void headerRefusesANegativePayloadLength() {
    assertThatThrownBy(() -> TknFrameEncoder.header(out, 0, TknFrameType.BINARY, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("payloadLength=-1");
  }

  @Test
  void aFixedBufferWithoutRoomThrowsAndAnExpandableOneGrows() {
    UnsafeBuffer tooSmall = new UnsafeBuffer(new byte[7]);
    assertThatThrownBy(() -> TknFrameEncoder.binary(tooSmall, 0, new byte[] {1, 2, 3}))
        .isInstanceOf(IndexOutOfBoundsException.class);
    ExpandableArrayBuffer growing = new ExpandableArrayBuffer(4);
    int length = batch.wrap(growing, 0).addString("a").addString("b").finish();
    byte[] written = new byte[length];
    growing.getBytes(0, written);
    assertThat(written).isEqualTo(Bytes.hex(BATCH_A_B));
  }

  @Test
  void encodingStringsAndABatchOfStringsAllocatesNothing() {
    assertThat(encodeStrings()).isEqualTo(17 + 12);
    long allocated =
        Allocations.fewestBytesAllocated(
            () -> {
              long sum = 0;
              for (int i = 0; i < 1_000; i++) {
                sum += encodeStrings();
              }
              return sum;
            });
    assertThat(allocated).isZero();
  }

  private int encodeStrings() {
    return batch.wrap(out, 0).addString("a").addString("b").finish()
        + TknFrameEncoder.string(out, 20, "hé😀");
  }

  private static String plain(String hex) {
    return hex.replace(" ", "");
  }
}
