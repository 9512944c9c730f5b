package io.tokenworks.protocol.tkn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Every frame the encoders write decodes back to the same type and payload, wherever it sits in the
 * buffer, and a stream of frames splits back into the same frames.
 */
class TknFrameRoundTripProperties {

  private final TknFrameDecoder decoder = new TknFrameDecoder();
  private final TknBatchEncoder batchEncoder = new TknBatchEncoder();

  /** What one frame or batch item carries; a STRING keeps its text to be encoded as a string. */
  record Item(TknFrameType type, String text, byte[] bytes) {

    byte[] payload() {
      return type == TknFrameType.STRING ? text.getBytes(StandardCharsets.UTF_8) : bytes;
    }
  }

  @Provide
  Arbitrary<String> anyStrings() {
    // Every char, unpaired surrogates included.
    return Arbitraries.strings().all().ofMaxLength(64);
  }

  @Provide
  Arbitrary<String> wellFormedStrings() {
    return Arbitraries.integers()
        .between(0, Character.MAX_CODE_POINT)
        .filter(
            codePoint -> codePoint < Character.MIN_SURROGATE || codePoint > Character.MAX_SURROGATE)
        .list()
        .ofMaxSize(32)
        .map(
            codePoints -> {
              StringBuilder text = new StringBuilder();
              codePoints.forEach(text::appendCodePoint);
              return text.toString();
            });
  }

  @Provide
  Arbitrary<Item> items() {
    Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
    Arbitrary<Item> strings = anyStrings().map(text -> new Item(TknFrameType.STRING, text, null));
    Arbitrary<Item> blobs =
        Combinators.combine(Arbitraries.of(TknFrameType.JSON, TknFrameType.BINARY), bytes)
            .as((type, payload) -> new Item(type, null, payload));
    return Arbitraries.oneOf(strings, blobs);
  }

  @Provide
  Arbitrary<List<Item>> batches() {
    return items().list().ofMinSize(1).ofMaxSize(20);
  }

  @Property
  void stringRoundTripsAsTheJdkEncodesIt(
      @ForAll("anyStrings") String text, @ForAll @IntRange(max = 64) int offset) {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + 5 + 3 * text.length()]);
    int length = TknFrameEncoder.string(buffer, offset, text);
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    assertThat(length).isEqualTo(5 + utf8.length);
    assertThat(TknFrameEncoder.utf8Length(text)).isEqualTo(utf8.length);
    assertThat(decoder.decode(buffer, offset, length)).isEqualTo(TknDecodeResult.FRAME);
    assertThat(decoder.frame().type()).isEqualTo(TknFrameType.STRING);
    assertThat(payloadOf(decoder.frame())).isEqualTo(utf8);
    assertThat(decoder.frame().string()).isEqualTo(new String(utf8, StandardCharsets.UTF_8));
  }

  @Property
  void wellFormedStringRoundTripsExactly(@ForAll("wellFormedStrings") String text) {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[5 + 4 * text.length()]);
    int length = TknFrameEncoder.string(buffer, 0, text);
    assertThat(decoder.decode(buffer, 0, length)).isEqualTo(TknDecodeResult.FRAME);
    assertThat(decoder.frame().string()).isEqualTo(text);
  }

  @Property
  void binaryAndJsonRoundTripAnyBytes(
      @ForAll @Size(max = 300) byte[] bytes,
      @ForAll @IntRange(max = 64) int offset,
      @ForAll boolean json,
      @ForAll boolean fromBuffer) {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + 5 + bytes.length]);
    UnsafeBuffer source = new UnsafeBuffer(bytes);
    int length;
    if (json) {
      length =
          fromBuffer
              ? TknFrameEncoder.json(buffer, offset, source, 0, bytes.length)
              : TknFrameEncoder.json(buffer, offset, bytes);
    } else {
      length =
          fromBuffer
              ? TknFrameEncoder.binary(buffer, offset, source, 0, bytes.length)
              : TknFrameEncoder.binary(buffer, offset, bytes);
    }
    assertThat(length).isEqualTo(5 + bytes.length);
    assertThat(decoder.decode(buffer, offset, length)).isEqualTo(TknDecodeResult.FRAME);
    assertThat(decoder.frame().type()).isEqualTo(json ? TknFrameType.JSON : TknFrameType.BINARY);
    assertThat(payloadOf(decoder.frame())).isEqualTo(bytes);
  }

  @Property
  void batchOfRandomItemsRoundTripsInOrder(
      @ForAll("batches") List<Item> items, @ForAll @IntRange(max = 64) int offset) {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + capacityFor(items)]);
    int length = encodeBatch(buffer, offset, items);
    assertThat(decoder.decode(buffer, offset, length)).isEqualTo(TknDecodeResult.FRAME);
    assertThat(decoder.frameLength()).isEqualTo(length);
    assertThat(decoder.frame().type()).isEqualTo(TknFrameType.BATCH);
    assertThat(decoder.validItemCount()).isEqualTo(items.size());
    assertItems(decoder.batchItems(), items);
    assertItems(new TknBatchItems().wrap(decoder.frame()), items);
  }

  @Property
  void batchCutAnywhereKeepsExactlyTheWholeItemsBeforeTheCut(
      @ForAll("batches") List<Item> items, @ForAll @IntRange(min = 1) int cutSeed) {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[capacityFor(items)]);
    int length = encodeBatch(buffer, 0, items);
    int cut = 1 + cutSeed % (length - 5);
    int wholeItems = 0;
    int end = 0;
    for (Item item : items) {
      if (end + 5 + item.payload().length > cut) {
        break;
      }
      end += 5 + item.payload().length;
      wholeItems++;
    }
    TknFrameEncoder.header(buffer, 0, TknFrameType.BATCH, cut);

    TknDecodeResult result = decoder.decode(buffer, 0, 5 + cut);
    assertThat(result)
        .isEqualTo(end == cut ? TknDecodeResult.FRAME : TknDecodeResult.BATCH_ITEM_TRUNCATED);
    assertThat(decoder.frameLength()).isEqualTo(5 + cut);
    assertThat(decoder.validItemCount()).isEqualTo(wholeItems);
    assertItems(decoder.batchItems(), items.subList(0, wholeItems));
  }

  @Property
  void aStreamOfFramesSplitsBackIntoTheSameFrames(
      @ForAll @Size(min = 1, max = 20) List<@From("frames") List<Item>> frames) {
    int capacity = 0;
    for (List<Item> frame : frames) {
      capacity += capacityFor(frame);
    }
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[capacity]);
    int end = 0;
    for (List<Item> frame : frames) {
      end +=
          frame.size() == 1 ? encode(buffer, end, frame.get(0)) : encodeBatch(buffer, end, frame);
    }
    int position = 0;
    for (List<Item> frame : frames) {
      assertThat(decoder.decode(buffer, position, end - position)).isEqualTo(TknDecodeResult.FRAME);
      if (frame.size() == 1) {
        assertThat(decoder.frame().type()).isEqualTo(frame.get(0).type());
        assertThat(payloadOf(decoder.frame())).isEqualTo(frame.get(0).payload());
      } else {
        assertItems(decoder.batchItems(), frame);
      }
      position += decoder.frameLength();
    }
    assertThat(position).isEqualTo(end);
    assertThat(decoder.decode(buffer, position, 0)).isEqualTo(TknDecodeResult.NEED_MORE);
  }

  /** A single frame (a list of one) or a batch of two or more items. */
  @Provide
  Arbitrary<List<Item>> frames() {
    return Arbitraries.oneOf(items().map(List::of), items().list().ofMinSize(2).ofMaxSize(8));
  }

  private int encode(UnsafeBuffer buffer, int offset, Item item) {
    return switch (item.type()) {
      case STRING -> TknFrameEncoder.string(buffer, offset, item.text());
      case JSON -> TknFrameEncoder.json(buffer, offset, item.bytes());
      case BINARY -> TknFrameEncoder.binary(buffer, offset, item.bytes());
      case BATCH -> throw new IllegalArgumentException("type=BATCH is no item");
    };
  }

  private int encodeBatch(UnsafeBuffer buffer, int offset, List<Item> items) {
    batchEncoder.wrap(buffer, offset);
    for (Item item : items) {
      switch (item.type()) {
        case STRING -> batchEncoder.addString(item.text());
        case JSON -> batchEncoder.addJson(item.bytes());
        case BINARY -> batchEncoder.addBinary(item.bytes());
        case BATCH -> throw new IllegalArgumentException("type=BATCH is no item");
      }
    }
    return batchEncoder.finish();
  }

  private static int capacityFor(List<Item> items) {
    int capacity = 5;
    for (Item item : items) {
      capacity += 5 + item.payload().length;
    }
    return capacity;
  }

  private static void assertItems(TknBatchItems cursor, List<Item> expected) {
    List<TknFrameType> types = new ArrayList<>();
    List<byte[]> payloads = new ArrayList<>();
    while (cursor.next()) {
      types.add(cursor.type());
      byte[] payload = new byte[cursor.payloadLength()];
      cursor.buffer().getBytes(cursor.payloadOffset(), payload);
      payloads.add(payload);
    }
    assertThat(types).containsExactlyElementsOf(expected.stream().map(Item::type).toList());
    assertThat(payloads)
        .usingElementComparator(Arrays::compare)
        .containsExactlyElementsOf(expected.stream().map(Item::payload).toList());
  }

  private static byte[] payloadOf(TknFrame frame) {
    byte[] payload = new byte[frame.payloadLength()];
    frame.buffer().getBytes(frame.payloadOffset(), payload);
    return payload;
  }
}
