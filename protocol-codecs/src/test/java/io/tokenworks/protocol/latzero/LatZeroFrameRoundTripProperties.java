package io.tokenworks.protocol.latzero;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tokenworks.protocol.latzero.LatZeroMessageResult.Message;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Every body the encoders frame comes back from the decoder byte for byte, and every JSON object
 * the codec writes parses back equal, however the stream is cut.
 */
class LatZeroFrameRoundTripProperties {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * Jackson reads an integer into the smallest node that holds it, so a LongNode of 5 written out
   * comes back as an IntNode of 5: compare numbers by value, integers and floats apart.
   */
  private static final Comparator<JsonNode> SAME_VALUE =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          if (a.isIntegralNumber() && b.isIntegralNumber()) {
            return a.bigIntegerValue().compareTo(b.bigIntegerValue());
          }
          if (a.isFloatingPointNumber() && b.isFloatingPointNumber()) {
            return Double.compare(a.doubleValue(), b.doubleValue());
          }
          return 1;
        }
        return a.equals(b) ? 0 : 1;
      };

  private final LatZeroFrameDecoder decoder = new LatZeroFrameDecoder();
  private final LatZeroFrameEncoder encoder = new LatZeroFrameEncoder();
  private final LatZeroMessageCodec codec = new LatZeroMessageCodec();

  @Property
  void arbitraryBodiesFrameAndDeframe(
      @ForAll @Size(min = 1, max = 2000) byte[] body, @ForAll @IntRange(max = 64) int offset) {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + 4 + body.length]);
    int length = encoder.encode(buffer, offset, body);
    assertThat(length).isEqualTo(4 + body.length);
    assertThat(encoder.encode(body)).isEqualTo(copy(buffer, offset, length));

    assertThat(decoder.decode(buffer, offset, length)).isEqualTo(LatZeroDecodeResult.FRAME);
    assertThat(decoder.frameLength()).isEqualTo(length);
    assertThat(decoder.payloadOffset()).isEqualTo(offset + 4);
    assertThat(copy(buffer, decoder.payloadOffset(), decoder.payloadLength())).isEqualTo(body);
  }

  @Property
  void arbitraryObjectsEncodeDecodeAndParseBackEqual(@ForAll("messages") ObjectNode message) {
    byte[] frame = codec.encode(message);
    UnsafeBuffer buffer = new UnsafeBuffer(frame);
    assertThat(decoder.decode(buffer, 0, frame.length)).isEqualTo(LatZeroDecodeResult.FRAME);
    assertThat(decoder.frameLength()).isEqualTo(frame.length);

    LatZeroMessageResult result =
        codec.parse(buffer, decoder.payloadOffset(), decoder.payloadLength());
    assertThat(result).isInstanceOf(Message.class);
    Message parsed = (Message) result;
    assertThat(parsed.type()).isEqualTo(message.get("type").textValue());
    assertThat(parsed.json().equals(SAME_VALUE, message))
        .as("%s parsed back as %s", message, parsed.json())
        .isTrue();
  }

  @Property
  void aStreamOfFramesSplitsBackIntoTheSameFrames(
      @ForAll @Size(min = 1, max = 30) List<@Size(min = 1, max = 300) byte[]> bodies,
      @ForAll @IntRange(min = 1, max = 512) int arrivalChunk) {
    int total = bodies.stream().mapToInt(body -> 4 + body.length).sum();
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[total]);
    int end = 0;
    for (byte[] body : bodies) {
      end += encoder.encode(buffer, end, body);
    }

    // Bytes arrive arrivalChunk at a time; whole frames are taken as soon as they are there.
    List<byte[]> received = new ArrayList<>();
    int position = 0;
    int arrived = 0;
    while (position < end) {
      LatZeroDecodeResult result = decoder.decode(buffer, position, arrived - position);
      if (result == LatZeroDecodeResult.FRAME) {
        received.add(copy(buffer, decoder.payloadOffset(), decoder.payloadLength()));
        position += decoder.frameLength();
      } else {
        assertThat(result).isEqualTo(LatZeroDecodeResult.NEED_MORE);
        assertThat(position + decoder.frameLength()).isGreaterThan(arrived);
        arrived = Math.min(end, arrived + arrivalChunk);
      }
    }
    assertThat(received).containsExactlyElementsOf(bodies);
    assertThat(decoder.decode(buffer, position, 0)).isEqualTo(LatZeroDecodeResult.NEED_MORE);
  }

  @Provide
  Arbitrary<ObjectNode> messages() {
    return Combinators.combine(texts().filter(text -> !text.isEmpty()), objects(3))
        .as(
            (type, object) -> {
              object.put("type", type);
              return object;
            });
  }

  /** ASCII most of the time, otherwise any code point: accents, emoji, even lone surrogates. */
  private static Arbitrary<String> texts() {
    Arbitrary<String> ascii = Arbitraries.strings().ascii().ofMaxLength(12);
    Arbitrary<String> unicode =
        Arbitraries.integers()
            .between(0, Character.MAX_CODE_POINT)
            .list()
            .ofMaxSize(8)
            .map(
                codePoints -> {
                  StringBuilder text = new StringBuilder();
                  codePoints.forEach(text::appendCodePoint);
                  return text.toString();
                });
    return Arbitraries.frequencyOf(Tuple.of(3, ascii), Tuple.of(1, unicode));
  }

  /** Keys never hold unpaired surrogates: Jackson refuses those in keys (not in values). */
  private static Arbitrary<String> keys() {
    return texts().filter(text -> text.chars().noneMatch(c -> Character.isSurrogate((char) c)));
  }

  private static Arbitrary<ObjectNode> objects(int depth) {
    return Arbitraries.maps(keys(), values(depth))
        .ofMaxSize(5)
        .map(
            fields -> {
              ObjectNode object = NODES.objectNode();
              fields.forEach(object::set);
              return object;
            });
  }

  private static Arbitrary<JsonNode> arrays(int depth) {
    return values(depth)
        .list()
        .ofMaxSize(5)
        .map(
            items -> {
              ArrayNode array = NODES.arrayNode();
              items.forEach(array::add);
              return array;
            });
  }

  private static Arbitrary<JsonNode> values(int depth) {
    Arbitrary<JsonNode> leaves =
        Arbitraries.<JsonNode>oneOf(
            texts().map(TextNode::valueOf),
            Arbitraries.integers().map(IntNode::valueOf),
            Arbitraries.longs().map(LongNode::valueOf),
            Arbitraries.longs()
                .map(Double::longBitsToDouble)
                .filter(Double::isFinite)
                .map(DoubleNode::valueOf),
            Arbitraries.<JsonNode>of(BooleanNode.TRUE, BooleanNode.FALSE, NullNode.getInstance()));
    if (depth == 0) {
      return leaves;
    }
    return Arbitraries.frequencyOf(
        Tuple.of(4, leaves),
        Tuple.of(1, Arbitraries.lazy(() -> objects(depth - 1).map(JsonNode.class::cast))),
        Tuple.of(1, Arbitraries.lazy(() -> arrays(depth - 1))));
  }

  private static byte[] copy(UnsafeBuffer buffer, int offset, int length) {
    byte[] bytes = new byte[length];
    buffer.getBytes(offset, bytes);
    return bytes;
  }
}
