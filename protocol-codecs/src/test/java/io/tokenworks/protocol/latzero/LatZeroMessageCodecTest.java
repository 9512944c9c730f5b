package io.tokenworks.protocol.latzero;

import static io.tokenworks.protocol.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenworks.protocol.Bytes;
import io.tokenworks.protocol.latzero.LatZeroMessageResult.Invalid;
import io.tokenworks.protocol.latzero.LatZeroMessageResult.Message;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class LatZeroMessageCodecTest {

  private final LatZeroMessageCodec codec = new LatZeroMessageCodec();

  @Test
  void parsesTheHandshakeEnvelope() {
    Message message = message(parse("{\"type\":\"handshake\",\"app_id\":\"a\"}"));
    assertThat(message.type()).isEqualTo("handshake");
    assertThat(message.json().get("app_id").textValue()).isEqualTo("a");
    assertThat(message.json().size()).isEqualTo(2);
  }

  @Test
  void parsesTheBodyOfADecodedFrameInPlace() {
    byte[] frame = codec.encode(JsonNodeFactory.instance.objectNode().put("type", "emit"));
    UnsafeBuffer in = new UnsafeBuffer(new byte[frame.length + 11]);
    in.putBytes(6, frame);
    LatZeroFrameDecoder decoder = new LatZeroFrameDecoder();
    assertThat(decoder.decode(in, 6, frame.length)).isEqualTo(LatZeroDecodeResult.FRAME);
    LatZeroMessageResult result = codec.parse(in, decoder.payloadOffset(), decoder.payloadLength());
    assertThat(message(result).type()).isEqualTo("emit");
  }

  @Test
  void parsesBodiesInDirectAndSlicedBuffers() {
    byte[] body = "xx{\"type\":\"t\"}yy".getBytes(StandardCharsets.UTF_8);
    ByteBuffer direct = ByteBuffer.allocateDirect(body.length).put(body);
    assertThat(message(codec.parse(new UnsafeBuffer(direct), 2, body.length - 4)).type())
        .isEqualTo("t");
    UnsafeBuffer slice = new UnsafeBuffer(body, 1, body.length - 2);
    assertThat(message(codec.parse(slice, 1, body.length - 4)).type()).isEqualTo("t");
  }

  @Test
  void invalidUtf8IsAnErrorNotReplacementCharacters() {
    // {"type":"<C3 28>"}: C3 opens a two-byte sequence that 28 '(' cannot continue.
    Invalid invalid = invalid(parseHex("7b2274797065223a22" + "c328" + "227d"));
    assertThat(invalid.error()).isEqualTo(LatZeroMessageError.MALFORMED_UTF8);
    assertThat(invalid.detail()).isEqualTo("invalid UTF-8 at byte 9");
  }

  @Test
  void overlongSurrogateAndTruncatedSequencesAreInvalidUtf8() {
    String[] bodies = {
      "7b2274797065223a22" + "c0af" + "227d", // overlong '/'
      "7b2274797065223a22" + "eda080" + "227d", // encoded surrogate U+D800
      "7b2274797065223a22" + "f4908080" + "227d", // above U+10FFFF
      "7b2274797065223a22" + "ff" + "227d",
      "7b2274797065223a2261227d" + "e282", // truncated at the end
    };
    for (String body : bodies) {
      assertThat(invalid(parseHex(body)).error())
          .as(body)
          .isEqualTo(LatZeroMessageError.MALFORMED_UTF8);
    }
  }

  @Test
  void zeroBytesAreNeverReadAsUtf16() {
    // "{}" in UTF-16LE; a guessing parser would accept it.
    assertThat(invalid(parseHex("7b007d00")).error()).isEqualTo(LatZeroMessageError.MALFORMED_JSON);
    assertThat(invalid(parseHex("007b007d")).error()).isEqualTo(LatZeroMessageError.MALFORMED_JSON);
  }

  @Test
  void aByteOrderMarkIsMalformedJsonAsUpstreamJsonParseHasIt() {
    assertThat(invalid(parseHex("efbbbf" + "7b2274797065223a2261227d")).error())
        .isEqualTo(LatZeroMessageError.MALFORMED_JSON);
  }

  @Test
  void truncatedJsonIsMalformed() {
    Invalid invalid = invalid(parse("{\"type\":\"handshake\""));
    assertThat(invalid.error()).isEqualTo(LatZeroMessageError.MALFORMED_JSON);
    assertThat(invalid.detail()).contains("line 1");
  }

  @Test
  void anythingButWhitespaceAfterTheValueIsMalformed() {
    assertThat(invalid(parse("{}x")).error()).isEqualTo(LatZeroMessageError.MALFORMED_JSON);
    assertThat(invalid(parse("{\"type\":\"a\"} {}")).error())
        .isEqualTo(LatZeroMessageError.MALFORMED_JSON);
    assertThat(invalid(parse("{\"type\":\"a\"}]")).error())
        .isEqualTo(LatZeroMessageError.MALFORMED_JSON);
    assertThat(message(parse(" \t{\"type\":\"a\"}\r\n ")).type()).isEqualTo("a");
  }

  @Test
  void duplicateKeysAreMalformedAtAnyDepth() {
    Invalid invalid = invalid(parse("{\"type\":\"a\",\"type\":\"b\"}"));
    assertThat(invalid.error()).isEqualTo(LatZeroMessageError.MALFORMED_JSON);
    assertThat(invalid.detail()).contains("Duplicate field 'type'");
    assertThat(invalid(parse("{\"type\":\"a\",\"p\":{\"x\":1,\"x\":1}}")).error())
        .isEqualTo(LatZeroMessageError.MALFORMED_JSON);
  }

  @Test
  void emptyAndBlankBodiesAreMalformed() {
    assertThat(invalid(parse("")).error()).isEqualTo(LatZeroMessageError.MALFORMED_JSON);
    assertThat(invalid(parse("  \n")).error()).isEqualTo(LatZeroMessageError.MALFORMED_JSON);
  }

  @Test
  void nonStandardJsonIsMalformed() {
    for (String json :
        new String[] {
          "{'type':'a'}",
          "{\"type\":\"a\",}",
          "{\"type\":\"a\"/*c*/}",
          "{\"type\":\"a\",\"n\":NaN}",
          "{\"type\":\"a\",\"n\":01}",
          "{type:\"a\"}",
          "{\"type\":\"a\tb\"}"
        }) {
      assertThat(invalid(parse(json)).error())
          .as(json)
          .isEqualTo(LatZeroMessageError.MALFORMED_JSON);
    }
  }

  @Test
  void unpairedSurrogateEscapesAreRefusedInKeysButKeptInValues() {
    assertThat(invalid(parse("{\"type\":\"a\",\"\\ud800\":1}")).error())
        .isEqualTo(LatZeroMessageError.MALFORMED_JSON);
    Message message = message(parse("{\"type\":\"a\",\"v\":\"\\ud800\"}"));
    assertThat(message.json().get("v").textValue()).isEqualTo("\ud800");
  }

  @Test
  void topLevelValuesOtherThanObjectsAreRefused() {
    Invalid invalid = invalid(parse("[{\"type\":\"handshake\"}]"));
    assertThat(invalid.error()).isEqualTo(LatZeroMessageError.NOT_AN_OBJECT);
    assertThat(invalid.detail()).isEqualTo("top-level value is an array, not an object");
    for (String json : new String[] {"\"handshake\"", "42", "null", "true"}) {
      assertThat(invalid(parse(json)).error())
          .as(json)
          .isEqualTo(LatZeroMessageError.NOT_AN_OBJECT);
    }
  }

  @Test
  void anObjectWithoutAStringTypeIsRefused() {
    for (String json :
        new String[] {
          "{\"app_id\":\"a\"}",
          "{}",
          "{\"type\":1}",
          "{\"type\":null}",
          "{\"type\":\"\"}",
          "{\"type\":{\"name\":\"a\"}}",
          "{\"type\":7,\"action\":\"trigger\"}",
          "{\"action\":5}",
          "{\"action\":\"\"}"
        }) {
      assertThat(invalid(parse(json)).error()).as(json).isEqualTo(LatZeroMessageError.MISSING_TYPE);
    }
    assertThat(invalid(parse("{\"type\":1}")).detail())
        .isEqualTo("\"type\" is a number, not a non-empty string");
  }

  @Test
  void theReadmeActionSpellingIsTheTypeWhenTypeIsAbsent() {
    Message message = message(parse("{\"action\":\"trigger\",\"process\":\"p\"}"));
    assertThat(message.type()).isEqualTo("trigger");
    assertThat(message.json().has("type")).as("the object is not rewritten").isFalse();
    assertThat(message(parse("{\"type\":\"emit\",\"action\":\"trigger\"}")).type())
        .isEqualTo("emit");
  }

  @Test
  void nestingTenThousandDeepIsRefusedWithoutOverflowingTheStack() {
    String arrays = "{\"type\":\"a\",\"p\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
    Invalid invalid = invalid(parse(arrays));
    assertThat(invalid.error()).isEqualTo(LatZeroMessageError.NESTING_TOO_DEEP);
    assertThat(invalid.detail()).startsWith("nesting deeper than MAX_NESTING_DEPTH=256");
    String objects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    assertThat(invalid(parse(objects)).error()).isEqualTo(LatZeroMessageError.NESTING_TOO_DEEP);
    String unclosed = "[".repeat(10_000);
    assertThat(invalid(parse(unclosed)).error()).isEqualTo(LatZeroMessageError.NESTING_TOO_DEEP);
  }

  @Test
  void nestingUpToTheCapIsAcceptedAndEncodedButNotBeyond() {
    ObjectNode atCap = nested(LatZeroMessageCodec.MAX_NESTING_DEPTH);
    byte[] frame = codec.encode(atCap);
    LatZeroMessageResult parsed = codec.parse(new UnsafeBuffer(frame), 4, frame.length - 4);
    assertThat(message(parsed).json()).isEqualTo(atCap);

    ObjectNode beyond = nested(LatZeroMessageCodec.MAX_NESTING_DEPTH + 1);
    assertThatThrownBy(() -> codec.encode(beyond))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("message nests deeper than MAX_NESTING_DEPTH=256");
    String json = beyond.toString();
    assertThat(invalid(parse(json)).error()).isEqualTo(LatZeroMessageError.NESTING_TOO_DEEP);
  }

  @Test
  void numbersLongerThanAThousandCharactersAreMalformed() {
    assertThat(message(parse("{\"type\":\"a\",\"n\":" + "9".repeat(1000) + "}")).type())
        .isEqualTo("a");
    Invalid invalid = invalid(parse("{\"type\":\"a\",\"n\":" + "9".repeat(1001) + "}"));
    assertThat(invalid.error()).isEqualTo(LatZeroMessageError.MALFORMED_JSON);
    assertThat(invalid.detail()).contains("Number value length");
  }

  @Test
  void longKeysAndStringsAreFineWithinTheFrameLimit() {
    String key = "k".repeat(100_000);
    Message message = message(parse("{\"type\":\"a\",\"" + key + "\":\"" + key + "\"}"));
    assertThat(message.json().get(key).textValue()).isEqualTo(key);
  }

  @Test
  void encodeWritesTheObjectAsItIsAndParsesBack() {
    ObjectNode trigger = JsonNodeFactory.instance.objectNode();
    trigger.put("type", "trigger").put("trigger", "échange 😀").put("ttl", 30000);
    ArrayNode pools = trigger.putArray("pools");
    pools.add("default").add("b");
    trigger.putObject("payload").put("x", 1.5).putNull("y");
    byte[] frame = codec.encode(trigger);
    LatZeroFrameDecoder decoder = new LatZeroFrameDecoder();
    UnsafeBuffer in = new UnsafeBuffer(frame);
    assertThat(decoder.decode(in, 0, frame.length)).isEqualTo(LatZeroDecodeResult.FRAME);
    Message message = message(codec.parse(in, decoder.payloadOffset(), decoder.payloadLength()));
    assertThat(message.json()).isEqualTo(trigger);
    assertThat(message.type()).isEqualTo("trigger");
  }

  @Test
  void encodeRefusesBodiesOverTheConfiguredLimit() {
    ObjectNode big = JsonNodeFactory.instance.objectNode().put("type", "x".repeat(100));
    assertThatThrownBy(() -> new LatZeroMessageCodec(100).encode(big))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bodyLength=111 must be in [1, 100]");
    assertThat(new LatZeroMessageCodec(111).encode(big)).hasSize(115);
    assertThat(new LatZeroMessageCodec(111).maxFrameLength()).isEqualTo(111);
  }

  @Test
  void parsingAllocatesInProportionToTheBody() {
    StringBuilder json = new StringBuilder("{\"type\":\"trigger\",\"payload\":[");
    for (int i = 0; i < 1000; i++) {
      json.append(i == 0 ? "" : ",").append("{\"k").append(i).append("\":\"v\"}");
    }
    byte[] body = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    UnsafeBuffer in = new UnsafeBuffer(body);
    codec.parse(in, 0, body.length);
    long before = Bytes.allocatedBytes();
    LatZeroMessageResult result = codec.parse(in, 0, body.length);
    long allocated = Bytes.allocatedBytes() - before;
    assertThat(message(result).json().get("payload").size()).isEqualTo(1000);
    assertThat(allocated).isLessThanOrEqualTo(64L * body.length + 64 * 1024);
  }

  @Test
  void aBodyOutsideTheBufferIsMisuseNotBadBytes() {
    UnsafeBuffer in = new UnsafeBuffer(new byte[8]);
    assertThatThrownBy(() -> codec.parse(in, 4, 5)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  private static ObjectNode nested(int depth) {
    ObjectNode root = JsonNodeFactory.instance.objectNode().put("type", "deep");
    ObjectNode current = root;
    for (int level = 1; level < depth; level++) {
      current = current.putObject("a");
    }
    return root;
  }

  private LatZeroMessageResult parse(String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return codec.parse(new UnsafeBuffer(body), 0, body.length);
  }

  private LatZeroMessageResult parseHex(String hex) {
    byte[] body = hex(hex);
    return codec.parse(new UnsafeBuffer(body), 0, body.length);
  }

  private static Message message(LatZeroMessageResult result) {
    assertThat(result).isInstanceOf(Message.class);
    return (Message) result;
  }

  private static Invalid invalid(LatZeroMessageResult result) {
    assertThat(result).isInstanceOf(Invalid.class);
    return (Invalid) result;
  }
}
