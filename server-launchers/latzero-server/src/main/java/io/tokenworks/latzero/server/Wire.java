package io.tokenworks.latzero.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading request fields, with upstream's aliases ({@code process} for {@code trigger}, {@code
 * data} for {@code payload}, {@code correlation_id} for {@code in_reply_to}, {@code response} for
 * {@code result}). A field of the wrong type is a {@link WireException} (VALIDATION_ERROR) naming
 * it; an absent optional field is {@code null}.
 */
final class Wire {

  /** Longer call ids are refused; upstream's were UUIDs. */
  static final int MAX_CALL_ID_LENGTH = 128;

  private Wire() {}

  /** The request's {@code id} as text (a number is accepted and quoted back), or null. */
  static String requestId(ObjectNode message) {
    return scalarText(message.get("id"));
  }

  /** A string or a number as text; anything else is null. */
  static String scalarText(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isIntegralNumber()) {
      return node.asText();
    }
    return null;
  }

  /** The first of {@code names} present and not null, or null. */
  static JsonNode field(ObjectNode message, String... names) {
    for (String name : names) {
      JsonNode node = message.get(name);
      if (node != null && !node.isNull()) {
        return node;
      }
    }
    return null;
  }

  /** A string field (or its alias), null when absent. */
  static String text(ObjectNode message, String... names) {
    JsonNode node = field(message, names);
    if (node == null) {
      return null;
    }
    if (!node.isTextual()) {
      throw WireException.invalid("field " + names[0] + " must be a string");
    }
    return node.textValue();
  }

  /** A non-empty string field (or its alias). */
  static String requiredText(ObjectNode message, String... names) {
    String value = text(message, names);
    if (value == null || value.isEmpty()) {
      throw WireException.invalid("field " + names[0] + " is required (a non-empty string)");
    }
    return value;
  }

  static String textOr(ObjectNode message, String name, String fallback) {
    String value = text(message, name);
    return value == null ? fallback : value;
  }

  /** A whole number field within {@code [min, max]}, or {@code fallback} when absent. */
  static long integer(JsonNode container, String name, long fallback, long min, long max) {
    JsonNode node = container == null ? null : container.get(name);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isNumber() || !node.canConvertToExactIntegral() || !node.canConvertToLong()) {
      throw WireException.invalid("field " + name + " must be a whole number");
    }
    long value = node.asLong();
    if (value < min || value > max) {
      throw WireException.invalid("field " + name + "=" + value + " must be " + min + ".." + max);
    }
    return value;
  }

  /** A boolean field, or {@code fallback} when absent. */
  static boolean bool(JsonNode container, String name, boolean fallback) {
    JsonNode node = container == null ? null : container.get(name);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isBoolean()) {
      throw WireException.invalid("field " + name + " must be true or false");
    }
    return node.booleanValue();
  }

  /** A list of strings, or an empty list when absent. */
  static List<String> strings(JsonNode container, String name) {
    JsonNode node = container == null ? null : container.get(name);
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw WireException.invalid("field " + name + " must be an array of strings");
    }
    List<String> values = new ArrayList<>(node.size());
    for (JsonNode element : node) {
      if (!element.isTextual()) {
        throw WireException.invalid("field " + name + " must hold strings only");
      }
      values.add(element.textValue());
    }
    return values;
  }

  /** An object field, or null when absent. */
  static ObjectNode object(JsonNode container, String name) {
    JsonNode node = container == null ? null : container.get(name);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw WireException.invalid("field " + name + " must be an object");
    }
    return (ObjectNode) node;
  }

  /**
   * The payload of a trigger or emit ({@code payload}, alias {@code data}); JSON null if absent.
   */
  static JsonNode payload(ObjectNode message, boolean required) {
    JsonNode node = message.get("payload");
    if (node == null) {
      node = message.get("data");
    }
    if (node == null) {
      if (required) {
        throw WireException.invalid("field payload is required (any JSON value, null included)");
      }
      return NullNode.getInstance();
    }
    return node;
  }

  /**
   * The handshake's per-pool credentials, {@code {"pool": {"sigil_key": "hex", ...}}}; string
   * values only.
   */
  static Map<String, Map<String, String>> credentials(ObjectNode message) {
    ObjectNode node = object(message, "credentials");
    if (node == null) {
      return Map.of();
    }
    Map<String, Map<String, String>> credentials = new LinkedHashMap<>();
    var pools = node.fields();
    while (pools.hasNext()) {
      var pool = pools.next();
      if (!pool.getValue().isObject()) {
        throw WireException.invalid("credentials for pool " + pool.getKey() + " must be an object");
      }
      Map<String, String> keys = new LinkedHashMap<>();
      var fields = pool.getValue().fields();
      while (fields.hasNext()) {
        var key = fields.next();
        if (!key.getValue().isTextual()) {
          throw WireException.invalid(
              "credential " + key.getKey() + " of pool " + pool.getKey() + " must be a string");
        }
        keys.put(key.getKey(), key.getValue().textValue());
      }
      credentials.put(pool.getKey(), keys);
    }
    return credentials;
  }

  /** The error text of a handler's failed answer: a string, or an object's {@code message}. */
  static String errorText(JsonNode error) {
    if (error == null || error.isNull()) {
      return "handler error";
    }
    if (error.isTextual()) {
      return error.textValue();
    }
    JsonNode message = error.get("message");
    if (message != null && message.isTextual()) {
      return message.textValue();
    }
    return error.toString();
  }
}
