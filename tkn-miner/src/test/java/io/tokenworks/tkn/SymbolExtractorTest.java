package io.tokenworks.tkn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class SymbolExtractorTest {

  private final SymbolTable table = new SymbolTable();
  private final SymbolExtractor extractor = new SymbolExtractor(table);

  private static UnsafeBuffer utf8(String text) {
    return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
  }

  private List<String> values(int count) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      values.add(table.value(extractor.symbols()[i]));
    }
    return values;
  }

  private List<String> json(String payload) {
    UnsafeBuffer buffer = utf8(payload);
    return values(extractor.extractJson(buffer, 0, buffer.capacity()));
  }

  @Test
  void stringPayloadIsOneSymbol() {
    UnsafeBuffer buffer = utf8("hello world");
    assertThat(extractor.extractString(buffer, 0, buffer.capacity())).isEqualTo(1);
    assertThat(values(1)).containsExactly("hello world");
    assertThat(extractor.count()).isEqualTo(1);
  }

  @Test
  void stringPayloadWithBadBytesIsRepairedNotRejected() {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[] {'o', (byte) 0xC3, 'k'});
    extractor.extractString(buffer, 0, 3);
    assertThat(values(1)).containsExactly("o\uFFFDk");
  }

  @Test
  void emptyStringPayloadIsTheEmptySymbol() {
    assertThat(extractor.extractString(utf8(""), 0, 0)).isEqualTo(1);
    assertThat(values(1)).containsExactly("");
  }

  @Test
  void binaryPayloadIsOneDecimalSymbolPerByte() {
    UnsafeBuffer buffer = new UnsafeBuffer(new byte[] {1, 2, 3, (byte) 0xFF, 'A'});
    assertThat(extractor.extractBinary(buffer, 0, 5)).isEqualTo(5);
    assertThat(values(5)).containsExactly("1", "2", "3", "255", "65");
  }

  @Test
  void largeBinaryPayloadGrowsTheIdBuffer() {
    byte[] payload = new byte[1000];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }
    assertThat(extractor.extractBinary(new UnsafeBuffer(payload), 0, 1000)).isEqualTo(1000);
    assertThat(table.value(extractor.symbols()[999])).isEqualTo(String.valueOf(999 & 0xFF));
  }

  @Test
  void jsonTopLevelArrayIsOneSymbolPerElement() {
    assertThat(json("[\"a\",\"b\",\"a\",\"b\"]")).containsExactly("a", "b", "a", "b");
    assertThat(json("[]")).isEmpty();
  }

  @Test
  void jsonPrimitivesBecomeTheirJavaScriptStrings() {
    assertThat(
            json("[1, 1.5, 1.50, -0, 0.0, 1e21, 1e20, 1e-7, 0.000001, 123e-20, true, false, null]"))
        .containsExactly(
            "1",
            "1.5",
            "1.5",
            "0",
            "0",
            "1e+21",
            "100000000000000000000",
            "1e-7",
            "0.000001",
            "1.23e-18",
            "true",
            "false",
            "null");
    assertThat(json("12345678901234567890123")).containsExactly("1.2345678901234568e+22");
    assertThat(json("1e400")).containsExactly("Infinity");
    assertThat(json("-1.7976931348623157e308")).containsExactly("-1.7976931348623157e+308");
    assertThat(json("5e-324")).containsExactly("5e-324");
    assertThat(json("0.30000000000000004")).containsExactly("0.30000000000000004");
  }

  @Test
  void numberAndStringOfTheSameTextAreOneSymbolAsUpstream() {
    List<String> symbols = json("[1, \"1\"]");
    assertThat(symbols).containsExactly("1", "1");
    assertThat(extractor.symbols()[0]).isEqualTo(extractor.symbols()[1]);
  }

  @Test
  void jsonNonArrayValueIsOneSymbol() {
    assertThat(json("\"just text\"")).containsExactly("just text");
    assertThat(json(" 42 ")).containsExactly("42");
    assertThat(json("{\"a\": 1, \"b\": [true, null, \"x\"]}"))
        .containsExactly("{\"a\":1,\"b\":[true,null,\"x\"]}");
  }

  @Test
  void nestedValuesAreStringifiedAsJavaScriptDoes() {
    assertThat(json("[{\"b\":1,\"a\":2}, [1, [2.50]], {\"x\": 1e400}]"))
        .containsExactly("{\"b\":1,\"a\":2}", "[1,[2.5]]", "{\"x\":null}");
  }

  @Test
  void objectKeysFollowJavaScriptPropertyOrder() {
    // Array-index keys first in ascending order, then the others in insertion order; a repeated
    // key keeps its first position and its last value.
    assertThat(json("{\"b\":1,\"10\":2,\"a\":3,\"2\":4,\"01\":5,\"b\":6,\"4294967295\":7}"))
        .containsExactly("{\"2\":4,\"10\":2,\"b\":6,\"a\":3,\"01\":5,\"4294967295\":7}");
  }

  @Test
  void stringifyEscapesLikeJavaScript() {
    assertThat(json("[[\"q\\\"b\\\\s/\\u0001\\n\\t\\b\\f\\r\\u2028é\\ud800\\ud83d\\ude00\"]]"))
        .containsExactly("[\"q\\\"b\\\\s/\\u0001\\n\\t\\b\\f\\r\u2028é\\ud800\uD83D\uDE00\"]");
  }

  @Test
  void jsonLoneSurrogateEscapeIsItsOwnSymbol() {
    assertThat(json("[\"\\ud800\"]")).containsExactly("\uD800");
  }

  @Test
  void jsonWithBadUtf8IsRepairedBeforeParsing() {
    byte[] payload = {'[', '"', 'a', (byte) 0xFF, '"', ']'};
    assertThat(values(extractor.extractJson(new UnsafeBuffer(payload), 0, payload.length)))
        .containsExactly("a\uFFFD");
  }

  @Test
  void jsonWithByteOrderMarkParses() {
    byte[] payload = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '[', '1', ']'};
    assertThat(values(extractor.extractJson(new UnsafeBuffer(payload), 0, payload.length)))
        .containsExactly("1");
  }

  @Test
  void jsonIsReadFromItsRangeOfAnOffHeapBuffer() {
    ByteBuffer direct = ByteBuffer.allocateDirect(32);
    direct.put("xx[\"p\",2]yy".getBytes(StandardCharsets.US_ASCII));
    assertThat(values(extractor.extractJson(new UnsafeBuffer(direct), 2, 7)))
        .containsExactly("p", "2");
  }

  @Test
  void malformedJsonThrowsAndInternsNothing() {
    for (String bad :
        List.of(
            "",
            "   ",
            "[\"a\",\"b\"",
            "[1,]",
            "{\"a\" 1}",
            "[1] x",
            "1 2",
            "NaN",
            "[01]",
            "// c\n[1]",
            "'a'",
            "[\"a\u0001\"]",
            "[\"\\x\"]",
            "{\"a\":1,}")) {
      UnsafeBuffer buffer = utf8(bad);
      assertThatThrownBy(() -> extractor.extractJson(buffer, 0, buffer.capacity()))
          .as(bad)
          .isInstanceOf(MalformedJsonException.class)
          .hasMessageStartingWith("malformed JSON payload: ");
      assertThat(extractor.count()).isZero();
    }
    assertThat(table.size()).isZero();
  }

  @Test
  void malformedJsonReportsWhereTheProblemIs() {
    UnsafeBuffer buffer = utf8("[1, 2] 3");
    assertThatThrownBy(() -> extractor.extractJson(buffer, 0, buffer.capacity()))
        .isInstanceOfSatisfying(
            MalformedJsonException.class, e -> assertThat(e.offset()).isEqualTo(7))
        .hasMessageContaining("content after the JSON value");
  }

  @Test
  void zeroBytesUpFrontAreNotTakenForUtf16() {
    byte[] payload = {'1', 0, 0, 0};
    assertThatThrownBy(() -> extractor.extractJson(new UnsafeBuffer(payload), 0, 4))
        .isInstanceOf(MalformedJsonException.class);
  }

  @Test
  void tooDeepNestingIsMalformed() {
    String deep =
        "[".repeat(JsonSymbols.MAX_NESTING_DEPTH + 1)
            + "]".repeat(JsonSymbols.MAX_NESTING_DEPTH + 1);
    UnsafeBuffer buffer = utf8(deep);
    assertThatThrownBy(() -> extractor.extractJson(buffer, 0, buffer.capacity()))
        .isInstanceOf(MalformedJsonException.class);
  }

  @Test
  void fullTableFailsTheWholeFrameWithNothingToMine() {
    SymbolTable small = new SymbolTable(2);
    SymbolExtractor limited = new SymbolExtractor(small);
    UnsafeBuffer payload = utf8("[\"a\",\"b\",\"c\"]");
    assertThatThrownBy(() -> limited.extractJson(payload, 0, payload.capacity()))
        .isInstanceOf(SymbolTableFullException.class);
    assertThat(limited.count()).isZero();
    assertThat(small.size()).isEqualTo(2);

    UnsafeBuffer bytes = new UnsafeBuffer(new byte[] {9});
    assertThatThrownBy(() -> limited.extractBinary(bytes, 0, 1))
        .isInstanceOf(SymbolTableFullException.class);
    assertThatThrownBy(() -> limited.extractString(utf8("z"), 0, 1))
        .isInstanceOf(SymbolTableFullException.class);
    assertThat(limited.count()).isZero();
  }

  @Test
  void rangeOutsideTheBufferIsRejected() {
    UnsafeBuffer buffer = utf8("[1]");
    assertThatThrownBy(() -> extractor.extractJson(buffer, 1, 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> extractor.extractBinary(buffer, 0, 4))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> extractor.extractString(buffer, 2, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void v1LoopBugFrameMinesAllFourSymbols() {
    // Upstream v1 mined only the first symbol of the JSON frame ["a","b","a","b"].
    RecordingListener listener = new RecordingListener();
    TknMiner miner = new TknMiner(MinerConfig.defaults(), listener);
    UnsafeBuffer payload = utf8("[\"a\",\"b\",\"a\",\"b\"]");
    miner.accept(extractor.symbols(), 0, extractor.extractJson(payload, 0, payload.capacity()));
    miner.flush();
    assertThat(miner.symbolsMined()).isEqualTo(4);
    assertThat(listener.asText(table)).containsExactly("a", "b", "ab");
  }
}
