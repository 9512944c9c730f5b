package io.tokenworks.tkn;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.agrona.DirectBuffer;

/**
 * Parses a JSON frame payload into its symbol strings, as upstream v1 did with {@code
 * JSON.parse(new TextDecoder().decode(payload))}: a top-level array gives one symbol per element,
 * any other value one symbol. The whole payload is parsed before any symbol is returned, so a
 * malformed payload yields nothing.
 */
final class JsonSymbols {

  /** Deeper nesting is refused as malformed (JavaScript engines also stop somewhere). */
  static final int MAX_NESTING_DEPTH = 1000;

  private final JsonFactory factory =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_NESTING_DEPTH)
                  // A frame is already bounded; JSON.parse bounds neither numbers nor strings.
                  .maxNumberLength(Integer.MAX_VALUE)
                  .maxStringLength(Integer.MAX_VALUE)
                  .maxNameLength(Integer.MAX_VALUE)
                  .maxDocumentLength(-1)
                  .build())
          .build();
  private final List<String> symbols = new ArrayList<>();
  private byte[] copy = new byte[256];

  /** The payload's symbols; the list is reused by the next call. */
  List<String> parse(DirectBuffer buffer, int offset, int length) {
    symbols.clear();
    Object value;
    try (JsonParser parser = open(buffer, offset, length)) {
      value = readDocument(parser);
    } catch (JsonProcessingException e) {
      throw new MalformedJsonException(e.getOriginalMessage(), offsetOf(e.getLocation()), e);
    } catch (IOException e) {
      throw new MalformedJsonException(String.valueOf(e.getMessage()), -1, e);
    }
    if (value instanceof List<?> elements) {
      for (Object element : elements) {
        symbols.add(JsValues.symbol(element));
      }
    } else {
      symbols.add(JsValues.symbol(value));
    }
    return symbols;
  }

  /**
   * Well-formed UTF-8 is parsed in place. Anything else is first decoded to text as {@code
   * TextDecoder} would (repairing bad bytes, dropping a BOM); so is a payload with a zero byte
   * among its first four, which Jackson's byte reader would take for UTF-16 or UTF-32.
   */
  private JsonParser open(DirectBuffer buffer, int offset, int length) throws IOException {
    int bom = Utf8.bomLength(buffer, offset, length);
    offset += bom;
    length -= bom;
    boolean zeroUpFront = false;
    for (int i = 0; i < Math.min(4, length); i++) {
      zeroUpFront |= buffer.getByte(offset + i) == 0;
    }
    if (zeroUpFront || !Utf8.isWellFormed(buffer, offset, length)) {
      return factory.createParser(Utf8.decode(buffer, offset, length));
    }
    byte[] array = buffer.byteArray();
    if (array != null) {
      return factory.createParser(array, buffer.wrapAdjustment() + offset, length);
    }
    if (copy.length < length) {
      copy = new byte[Math.max(length, copy.length * 2)];
    }
    buffer.getBytes(offset, copy, 0, length);
    return factory.createParser(copy, 0, length);
  }

  private static Object readDocument(JsonParser parser) throws IOException {
    JsonToken first = parser.nextToken();
    if (first == null) {
      throw new MalformedJsonException("no JSON value", offsetOf(parser.currentLocation()), null);
    }
    Object value = read(parser, first);
    if (parser.nextToken() != null) {
      throw new MalformedJsonException(
          "content after the JSON value", offsetOf(parser.currentTokenLocation()), null);
    }
    return value;
  }

  private static long offsetOf(JsonLocation at) {
    return at == null ? -1 : Math.max(at.getByteOffset(), at.getCharOffset());
  }

  private static Object read(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case START_ARRAY:
        List<Object> list = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          list.add(read(parser, t));
        }
        return list;
      case START_OBJECT:
        Map<String, Object> object = JsValues.newObject();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
          String name = parser.currentName();
          object.put(name, read(parser, parser.nextToken()));
        }
        return object;
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        // JSON.parse reads every number as the nearest double; parseDouble rounds correctly.
        return Double.parseDouble(parser.getText());
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return JsValues.NULL;
      default:
        throw new IllegalStateException("unexpected JSON token " + token);
    }
  }
}
