package io.tokenworks.server.kit;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The effective settings of a server, each taken from the first place that sets it: a command-line
 * option, then an environment variable ({@code PREFIX_NAME}), then the config file, then the
 * default. Resolve once at startup with {@link #builder(String)}; print {@link #describe()}.
 *
 * <p>The config file is a Java properties file, one {@code key=value} per line, with the same key
 * names as the long CLI options ({@code port=7701}, {@code data-dir=/var/lib/tau}); {@code #}
 * starts a comment. A key the server does not know is an error, so a typo never goes unnoticed.
 */
public final class Config {

  /** Where a setting's value came from. */
  public enum Source {
    COMMAND_LINE("command line"),
    ENVIRONMENT("environment"),
    FILE("config file"),
    DEFAULT("default");

    private final String description;

    Source(String description) {
      this.description = description;
    }

    @Override
    public String toString() {
      return description;
    }
  }

  private record Entry(Object value, Source source, String origin) {}

  private final Map<ConfigKey<?>, Entry> entries;

  private Config(Map<ConfigKey<?>, Entry> entries) {
    this.entries = entries;
  }

  /** Starts resolving settings whose environment variables begin with {@code prefix_}. */
  public static Builder builder(String environmentPrefix) {
    return new Builder(environmentPrefix);
  }

  /** The effective value of {@code key}. */
  @SuppressWarnings("unchecked")
  public <T> T get(ConfigKey<T> key) {
    Entry entry = entries.get(key);
    if (entry == null) {
      throw new IllegalArgumentException("config key=" + key.name() + " was not declared");
    }
    return (T) entry.value;
  }

  /** Where the value of {@code key} came from. */
  public Source source(ConfigKey<?> key) {
    return entries.get(key).source;
  }

  /**
   * One line per setting, in declaration order: name, printed value and where it came from, e.g.
   * {@code port = 7701 (environment TAU_PORT)}.
   */
  public List<String> describe() {
    int width = 0;
    for (ConfigKey<?> key : entries.keySet()) {
      width = Math.max(width, key.name().length());
    }
    List<String> lines = new ArrayList<>();
    for (Map.Entry<ConfigKey<?>, Entry> e : entries.entrySet()) {
      lines.add(
          String.format(
              "%-" + width + "s = %s (%s)",
              e.getKey().name(),
              print(e.getKey()),
              e.getValue().origin));
    }
    return lines;
  }

  @SuppressWarnings("unchecked")
  private <T> String print(ConfigKey<T> key) {
    return key.print((T) entries.get(key).value);
  }

  /** Collects the sources, then {@link #resolve()}s every declared key at once. */
  public static final class Builder {
    private final String prefix;
    private final Map<String, ConfigKey<?>> keys = new LinkedHashMap<>();
    private final Map<String, String> commandLine = new LinkedHashMap<>();
    private Map<String, String> environment = Map.of();
    private Path file;

    private Builder(String prefix) {
      this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    public Builder keys(List<ConfigKey<?>> declared) {
      for (ConfigKey<?> key : declared) {
        if (keys.putIfAbsent(key.name(), key) != null) {
          throw new IllegalArgumentException("config key=" + key.name() + " declared twice");
        }
      }
      return this;
    }

    /** A value given on the command line for {@code key}; {@code null} means not given. */
    public Builder commandLine(ConfigKey<?> key, Object value) {
      if (value != null) {
        commandLine.put(key.name(), String.valueOf(value));
      }
      return this;
    }

    /** The process environment (pass {@code System.getenv()}, or a map in tests). */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /** The config file, or {@code null} for none. */
    public Builder file(Path file) {
      this.file = file;
      return this;
    }

    /**
     * Resolves every key.
     *
     * @throws ConfigException for an unreadable file, an unknown file key or a bad value
     */
    public Config resolve() {
      for (String name : commandLine.keySet()) {
        if (!keys.containsKey(name)) {
          throw new IllegalArgumentException("command-line key=" + name + " was not declared");
        }
      }
      Map<String, String> fileValues = readFile();
      Map<ConfigKey<?>, Entry> entries = new LinkedHashMap<>();
      for (ConfigKey<?> key : keys.values()) {
        entries.put(key, resolve(key, fileValues));
      }
      return new Config(entries);
    }

    private Entry resolve(ConfigKey<?> key, Map<String, String> fileValues) {
      if (commandLine.containsKey(key.name())) {
        String origin = "command line --" + key.name();
        return new Entry(
            parse(key, commandLine.get(key.name()), origin), Source.COMMAND_LINE, origin);
      }
      for (String variable : key.environmentVariables(prefix)) {
        if (environment.containsKey(variable)) {
          String origin = "environment " + variable;
          return new Entry(
              parse(key, environment.get(variable), origin), Source.ENVIRONMENT, origin);
        }
      }
      if (fileValues.containsKey(key.name())) {
        String origin = "config file " + file;
        return new Entry(parse(key, fileValues.get(key.name()), origin), Source.FILE, origin);
      }
      return new Entry(key.defaultValue(), Source.DEFAULT, "default");
    }

    private static Object parse(ConfigKey<?> key, String value, String origin) {
      try {
        return key.parse(value);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            "invalid " + key.name() + "=\"" + value + "\" from " + origin + ": " + e.getMessage());
      }
    }

    private Map<String, String> readFile() {
      if (file == null) {
        return Map.of();
      }
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (NoSuchFileException e) {
        throw new ConfigException("config file " + file + " does not exist");
      } catch (IOException | IllegalArgumentException e) {
        throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
      }
      TreeSet<String> unknown = new TreeSet<>(properties.stringPropertyNames());
      unknown.removeAll(keys.keySet());
      if (!unknown.isEmpty()) {
        throw new ConfigException(
            "config file "
                + file
                + ": unknown key"
                + (unknown.size() == 1 ? " " : "s ")
                + String.join(", ", unknown)
                + " (known keys: "
                + String.join(", ", keys.keySet())
                + ")");
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (String name : properties.stringPropertyNames()) {
        values.put(name, properties.getProperty(name).trim());
      }
      return values;
    }
  }
}
