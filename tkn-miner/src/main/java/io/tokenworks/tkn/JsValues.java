package io.tokenworks.tkn;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON values as upstream's JavaScript turns them into symbol strings: {@code String(v)} for
 * primitives and {@code JSON.stringify(v)} for objects and arrays. Values are the tree {@link
 * JsonSymbols} builds: {@code String}, {@code Double}, {@code Boolean}, {@link #NULL}, {@code List}
 * and {@code LinkedHashMap} (insertion order, a repeated key keeping its first position and last
 * value, as a JavaScript object does).
 */
final class JsValues {

  /** JSON {@code null}; a map or list cannot hold Java {@code null} usefully. */
  static final Object NULL = new Object();

  private static final long MAX_ARRAY_INDEX = 4_294_967_294L;

  private JsValues() {}

  /** {@code String(v)} for a primitive, {@code JSON.stringify(v)} for an object or array. */
  static String symbol(Object value) {
    if (value instanceof String text) {
      return text;
    }
    if (value instanceof Double number) {
      return numberToString(number);
    }
    if (value instanceof Boolean bool) {
      return bool.toString();
    }
    if (value == NULL) {
      return "null";
    }
    StringBuilder out = new StringBuilder();
    stringify(value, out);
    return out.toString();
  }

  /** JavaScript's {@code Number.prototype.toString()} (radix 10). */
  static String numberToString(double value) {
    if (value == 0) {
      return "0"; // both zeros
    }
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "Infinity" : "-Infinity";
    }
    // Jackson's Schubfach gives the shortest digits that round-trip, nearest the exact value:
    // the digits JavaScript's algorithm picks, in Java's layout, on any JDK.
    String java = NumberOutput.toString(Math.abs(value), true);
    int e = java.indexOf('E');
    String mantissa = e < 0 ? java : java.substring(0, e);
    int exponent = e < 0 ? 0 : Integer.parseInt(java.substring(e + 1));
    int dot = mantissa.indexOf('.');
    StringBuilder digits = new StringBuilder(mantissa.length());
    digits.append(mantissa, 0, dot).append(mantissa, dot + 1, mantissa.length());
    // value = 0.digits x 10^n in JavaScript's terms, with n the decimal point's position.
    int n = dot + exponent;
    int lead = 0;
    while (digits.charAt(lead) == '0') {
      lead++;
    }
    int end = digits.length();
    while (digits.charAt(end - 1) == '0') {
      end--;
    }
    String s = digits.substring(lead, end);
    n -= lead;
    if (s.length() == 2) {
      // Java never prints fewer than two digits (4.9E-324 where JavaScript prints 5e-324).
      BigDecimal oneDigit = oneDigitRoundTrip(Math.abs(value));
      if (oneDigit != null) {
        s = oneDigit.unscaledValue().toString();
        n = 1 - oneDigit.scale();
      }
    }
    return (value < 0 ? "-" : "") + layout(s, n);
  }

  /** The one-digit decimal nearest {@code value} that parses back to it, if there is one. */
  private static BigDecimal oneDigitRoundTrip(double value) {
    BigDecimal exact = new BigDecimal(value);
    BigDecimal best = null;
    for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
      BigDecimal candidate = exact.round(new MathContext(1, mode)).stripTrailingZeros();
      if (candidate.signum() == 0 || Double.parseDouble(candidate.toString()) != value) {
        continue;
      }
      if (best == null) {
        best = candidate;
        continue;
      }
      int closer = exact.subtract(candidate).abs().compareTo(exact.subtract(best).abs());
      if (closer < 0 || (closer == 0 && !candidate.unscaledValue().testBit(0))) {
        best = candidate;
      }
    }
    return best;
  }

  /** ECMAScript Number::toString steps for digits {@code s} (k digits) and point position n. */
  private static String layout(String s, int n) {
    int k = s.length();
    if (k <= n && n <= 21) {
      return s + "0".repeat(n - k);
    }
    if (0 < n && n <= 21) {
      return s.substring(0, n) + "." + s.substring(n);
    }
    if (-6 < n && n <= 0) {
      return "0." + "0".repeat(-n) + s;
    }
    int e = n - 1;
    String exponent = (e >= 0 ? "e+" : "e-") + Math.abs(e);
    return k == 1 ? s + exponent : s.charAt(0) + "." + s.substring(1) + exponent;
  }

  /** {@code JSON.stringify}: compact, strings quoted as JavaScript quotes them. */
  static void stringify(Object value, StringBuilder out) {
    if (value instanceof String text) {
      quote(text, out);
    } else if (value instanceof Double number) {
      out.append(Double.isFinite(number) ? numberToString(number) : "null");
    } else if (value instanceof Boolean bool) {
      out.append(bool.booleanValue());
    } else if (value == NULL) {
      out.append("null");
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        stringify(list.get(i), out);
      }
      out.append(']');
    } else if (value instanceof Map<?, ?> map) {
      stringifyObject(map, out);
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass());
    }
  }

  /**
   * A JavaScript object lists its array-index keys ("0" .. "4294967294", canonical) first in
   * ascending order, then its other keys in insertion order; JSON.stringify follows that order.
   */
  private static void stringifyObject(Map<?, ?> map, StringBuilder out) {
    List<String> indexKeys = new ArrayList<>();
    for (Object key : map.keySet()) {
      if (arrayIndex((String) key) >= 0) {
        indexKeys.add((String) key);
      }
    }
    indexKeys.sort((a, b) -> Long.compare(arrayIndex(a), arrayIndex(b)));
    out.append('{');
    boolean first = true;
    for (String key : indexKeys) {
      first = member(key, map.get(key), first, out);
    }
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = (String) entry.getKey();
      if (arrayIndex(key) < 0) {
        first = member(key, entry.getValue(), first, out);
      }
    }
    out.append('}');
  }

  private static boolean member(String key, Object value, boolean first, StringBuilder out) {
    if (!first) {
      out.append(',');
    }
    quote(key, out);
    out.append(':');
    stringify(value, out);
    return false;
  }

  /** The key's array index, or -1 if it is not a canonical one. */
  static long arrayIndex(String key) {
    int length = key.length();
    if (length == 0 || length > 10 || (length > 1 && key.charAt(0) == '0')) {
      return -1;
    }
    long index = 0;
    for (int i = 0; i < length; i++) {
      char c = key.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      index = index * 10 + (c - '0');
    }
    return index <= MAX_ARRAY_INDEX ? index : -1;
  }

  /** JSON.stringify's QuoteJSONString, including escaping of lone surrogates (ES2019). */
  static void quote(String text, StringBuilder out) {
    out.append('"');
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            unicodeEscape(c, out);
          } else if (Character.isHighSurrogate(c)
              && i + 1 < n
              && Character.isLowSurrogate(text.charAt(i + 1))) {
            out.append(c).append(text.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            unicodeEscape(c, out);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static void unicodeEscape(char c, StringBuilder out) {
    out.append("\\u");
    String hex = Integer.toHexString(c);
    out.append("0".repeat(4 - hex.length())).append(hex);
  }

  static Map<String, Object> newObject() {
    return new LinkedHashMap<>();
  }
}
