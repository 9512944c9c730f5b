package io.tokenworks.server.kit;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One setting of a server: its name (the CLI long option without dashes and the config-file key,
 * e.g. {@code data-dir}), its default, how to parse it and how to print it. The environment
 * variable is derived from the name and a server prefix ({@code TAU} + {@code data-dir} = {@code
 * TAU_DATA_DIR}).
 *
 * @param <T> the value type
 */
public final class ConfigKey<T> {

  private final String name;
  private final T defaultValue;
  private final Function<String, T> parser;
  private final Function<T, String> printer;
  private final String description;
  private final List<String> environmentVariables;

  private ConfigKey(
      String name,
      T defaultValue,
      Function<String, T> parser,
      Function<T, String> printer,
      String description) {
    this(name, defaultValue, parser, printer, description, List.of());
  }

  private ConfigKey(
      String name,
      T defaultValue,
      Function<String, T> parser,
      Function<T, String> printer,
      String description,
      List<String> environmentVariables) {
    if (!name.matches("[a-z][a-z0-9-]*")) {
      throw new IllegalArgumentException("config key name=" + name + " must be kebab-case");
    }
    this.name = name;
    this.defaultValue = defaultValue;
    this.parser = Objects.requireNonNull(parser, "parser");
    this.printer = Objects.requireNonNull(printer, "printer");
    this.description = Objects.requireNonNull(description, "description");
    this.environmentVariables = List.copyOf(environmentVariables);
  }

  /**
   * A setting parsed by {@code parser}, which throws {@link IllegalArgumentException} with a short
   * reason ("must be 1..65535") for a bad value.
   */
  public static <T> ConfigKey<T> of(
      String name, T defaultValue, Function<String, T> parser, String description) {
    return new ConfigKey<>(name, defaultValue, parser, String::valueOf, description);
  }

  /** A string setting; any value is accepted. */
  public static ConfigKey<String> string(String name, String defaultValue, String description) {
    return of(name, defaultValue, value -> value, description);
  }

  /** An integer setting within {@code [min, max]}. */
  public static ConfigKey<Integer> integer(
      String name, int defaultValue, int min, int max, String description) {
    return of(
        name,
        defaultValue,
        value -> {
          int parsed;
          try {
            parsed = Integer.parseInt(value.trim());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer");
          }
          if (parsed < min || parsed > max) {
            throw new IllegalArgumentException("must be " + min + ".." + max);
          }
          return parsed;
        },
        description);
  }

  /**
   * A duration setting: a number with a unit ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}),
   * a plain number of seconds, or ISO-8601 ({@code PT30S}); never negative.
   */
  public static ConfigKey<Duration> duration(
      String name, Duration defaultValue, String description) {
    return new ConfigKey<>(
        name, defaultValue, ConfigKey::parseDuration, ConfigKey::printDuration, description);
  }

  /** An enum setting, matched case-insensitively by constant name. */
  public static <E extends Enum<E>> ConfigKey<E> enumeration(
      String name, Class<E> type, E defaultValue, String description) {
    return new ConfigKey<>(
        name,
        defaultValue,
        value -> {
          for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.trim())) {
              return constant;
            }
          }
          throw new IllegalArgumentException(
              "must be one of "
                  + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
        },
        value -> value.name().toLowerCase(Locale.ROOT),
        description);
  }

  /** The same setting printed by {@code printer} (e.g. to hide a secret). */
  public ConfigKey<T> printedAs(Function<T, String> printer) {
    return new ConfigKey<>(name, defaultValue, parser, printer, description, environmentVariables);
  }

  /**
   * The same setting read from these environment variables instead of the derived {@code
   * PREFIX_NAME}, the first one set winning: for the names an upstream system already uses (e.g.
   * {@code METRICS_PORT}, {@code MEMGRAPH_URI} with {@code NEO4J_URI} as an alias).
   */
  public ConfigKey<T> environment(String... variables) {
    if (variables.length == 0) {
      throw new IllegalArgumentException("config key=" + name + ": no environment variable given");
    }
    return new ConfigKey<>(name, defaultValue, parser, printer, description, List.of(variables));
  }

  public String name() {
    return name;
  }

  public T defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /**
   * The environment variable for this setting under {@code prefix}, e.g. {@code TAU_DATA_DIR}, or
   * the first of the variables given to {@link #environment(String...)}.
   */
  public String environmentVariable(String prefix) {
    return environmentVariables(prefix).get(0);
  }

  /** Every environment variable read for this setting, in the order they are tried. */
  public List<String> environmentVariables(String prefix) {
    if (!environmentVariables.isEmpty()) {
      return environmentVariables;
    }
    return List.of(prefix + "_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  /** Parses a value; throws {@link IllegalArgumentException} with the reason. */
  T parse(String value) {
    return parser.apply(value);
  }

  String print(T value) {
    return value == null ? "(none)" : printer.apply(value);
  }

  static Duration parseDuration(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    try {
      Duration duration;
      if (value.startsWith("pt")) {
        duration = Duration.parse(value.toUpperCase(Locale.ROOT));
      } else if (value.endsWith("ms")) {
        duration = Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2).trim()));
      } else if (value.endsWith("s")) {
        duration =
            Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1).trim()));
      } else if (value.endsWith("m")) {
        duration =
            Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1).trim()));
      } else if (value.endsWith("h")) {
        duration = Duration.ofHours(Long.parseLong(value.substring(0, value.length() - 1).trim()));
      } else {
        duration = Duration.ofSeconds(Long.parseLong(value));
      }
      if (duration.isNegative()) {
        throw new IllegalArgumentException("must not be negative");
      }
      return duration;
    } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("not a duration (use e.g. 500ms, 30s, 5m)");
    }
  }

  static String printDuration(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 1000 != 0) {
      return millis + "ms";
    }
    return (millis / 1000) + "s";
  }

  @Override
  public String toString() {
    return name;
  }
}
