package io.tokenworks.latzero.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validates JSON against the subset of JSON Schema (draft-07) that {@code
 * latzero-protocol.schema.json} uses: {@code type}, {@code const}, {@code enum}, {@code required},
 * {@code properties}, {@code additionalProperties}, {@code items}, {@code pattern}, {@code
 * minLength}, {@code maxLength}, {@code minimum}, {@code oneOf}, {@code anyOf} and local {@code
 * $ref}s. A keyword outside that subset fails loudly, so the schema cannot silently outgrow it.
 */
final class SchemaValidator {

  private static final List<String> KNOWN =
      List.of(
          "$schema",
          "$id",
          "title",
          "description",
          "definitions",
          "type",
          "const",
          "enum",
          "required",
          "properties",
          "additionalProperties",
          "items",
          "pattern",
          "minLength",
          "maxLength",
          "minimum",
          "oneOf",
          "anyOf",
          "$ref");

  private static final SchemaValidator PROTOCOL = load();

  private final JsonNode root;

  private SchemaValidator(JsonNode root) {
    this.root = root;
  }

  static SchemaValidator protocol() {
    return PROTOCOL;
  }

  private static SchemaValidator load() {
    try (InputStream in =
        SchemaValidator.class.getResourceAsStream("/latzero-protocol.schema.json")) {
      return new SchemaValidator(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The problems of {@code value} against the definition at {@code pointer}; empty when valid. */
  List<String> validate(JsonNode value, String pointer) {
    List<String> problems = new ArrayList<>();
    check(resolve(pointer), value, "$", problems);
    return problems;
  }

  private JsonNode resolve(String pointer) {
    if (!pointer.startsWith("#")) {
      throw new IllegalArgumentException("only local references: " + pointer);
    }
    JsonNode node = root.at(pointer.substring(1));
    if (node.isMissingNode()) {
      throw new IllegalArgumentException("no definition at " + pointer);
    }
    return node;
  }

  private void check(JsonNode schema, JsonNode value, String path, List<String> problems) {
    Iterator<String> keywords = schema.fieldNames();
    while (keywords.hasNext()) {
      String keyword = keywords.next();
      if (!KNOWN.contains(keyword)) {
        throw new IllegalStateException("schema keyword " + keyword + " is not supported");
      }
    }
    if (schema.has("$ref")) {
      check(resolve(schema.get("$ref").asText()), value, path, problems);
    }
    if (schema.has("type") && !typeMatches(schema.get("type"), value)) {
      problems.add(path + ": " + kind(value) + " is not " + schema.get("type"));
      return;
    }
    if (schema.has("const") && !schema.get("const").equals(value)) {
      problems.add(path + ": " + value + " is not " + schema.get("const"));
    }
    if (schema.has("enum") && !contains(schema.get("enum"), value)) {
      problems.add(path + ": " + value + " is not one of " + schema.get("enum"));
    }
    if (value.isTextual()) {
      checkString(schema, value.textValue(), path, problems);
    }
    if (value.isNumber() && schema.has("minimum")) {
      if (value.asDouble() < schema.get("minimum").asDouble()) {
        problems.add(path + ": " + value + " is below " + schema.get("minimum"));
      }
    }
    if (value.isObject()) {
      checkObject(schema, value, path, problems);
    }
    if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        check(schema.get("items"), value.get(i), path + "[" + i + "]", problems);
      }
    }
    if (schema.has("oneOf")) {
      int matches = 0;
      List<String> why = new ArrayList<>();
      for (JsonNode option : schema.get("oneOf")) {
        List<String> sub = new ArrayList<>();
        check(option, value, path, sub);
        if (sub.isEmpty()) {
          matches++;
        } else {
          why.add(String.join("; ", sub));
        }
      }
      if (matches != 1) {
        problems.add(path + ": matches " + matches + " of oneOf (need 1): " + why);
      }
    }
    if (schema.has("anyOf")) {
      boolean any = false;
      for (JsonNode option : schema.get("anyOf")) {
        List<String> sub = new ArrayList<>();
        check(option, value, path, sub);
        any |= sub.isEmpty();
      }
      if (!any) {
        problems.add(path + ": matches none of anyOf");
      }
    }
  }

  private static void checkString(JsonNode schema, String text, String path, List<String> out) {
    if (schema.has("minLength") && text.length() < schema.get("minLength").asInt()) {
      out.add(path + ": shorter than " + schema.get("minLength"));
    }
    if (schema.has("maxLength") && text.length() > schema.get("maxLength").asInt()) {
      out.add(path + ": longer than " + schema.get("maxLength"));
    }
    if (schema.has("pattern")
        && !Pattern.compile(schema.get("pattern").asText()).matcher(text).find()) {
      out.add(path + ": \"" + text + "\" does not match " + schema.get("pattern"));
    }
  }

  private void checkObject(JsonNode schema, JsonNode value, String path, List<String> problems) {
    if (schema.has("required")) {
      for (JsonNode name : schema.get("required")) {
        if (!value.has(name.asText())) {
          problems.add(path + ": missing " + name.asText());
        }
      }
    }
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.get("additionalProperties");
    Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String where = path + "." + field.getKey();
      if (properties.has(field.getKey())) {
        check(properties.get(field.getKey()), field.getValue(), where, problems);
      } else if (additional != null && additional.isBoolean() && !additional.booleanValue()) {
        problems.add(where + ": not allowed");
      } else if (additional != null && additional.isObject()) {
        check(additional, field.getValue(), where, problems);
      }
    }
  }

  private static boolean typeMatches(JsonNode type, JsonNode value) {
    if (type.isArray()) {
      for (JsonNode option : type) {
        if (typeMatches(option, value)) {
          return true;
        }
      }
      return false;
    }
    return switch (type.asText()) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      case "null" -> value.isNull();
      default -> throw new IllegalStateException("unknown type " + type);
    };
  }

  private static boolean contains(JsonNode options, JsonNode value) {
    for (JsonNode option : options) {
      if (option.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static String kind(JsonNode value) {
    return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
