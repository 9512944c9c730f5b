package io.tokenworks.server.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

  enum Mode {
    FAST,
    SAFE
  }

  private static final ConfigKey<Integer> PORT = ConfigKey.integer("port", 7701, 0, 65535, "port");
  private static final ConfigKey<String> BIND = ConfigKey.string("bind", "127.0.0.1", "address");
  private static final ConfigKey<Duration> IDLE =
      ConfigKey.duration("idle-timeout", Duration.ofSeconds(30), "idle");
  private static final ConfigKey<Mode> MODE =
      ConfigKey.enumeration("mode", Mode.class, Mode.SAFE, "mode");
  private static final ConfigKey<String> SECRET =
      ConfigKey.string("secret", "s3cr3t", "secret").printedAs(value -> "(hidden)");
  private static final List<ConfigKey<?>> KEYS = List.of(PORT, BIND, IDLE, MODE, SECRET);

  @TempDir Path dir;

  private Path file(String content) throws Exception {
    Path file = dir.resolve("server.properties");
    Files.writeString(file, content);
    return file;
  }

  @Test
  void commandLineBeatsEnvironmentBeatsFileBeatsDefault() throws Exception {
    Path file = file("port=1001\nbind=10.0.0.1\nidle-timeout=5s\n");
    Config config =
        Config.builder("TAU")
            .keys(KEYS)
            .commandLine(PORT, 1003)
            .commandLine(BIND, null)
            .environment(Map.of("TAU_PORT", "1002", "TAU_BIND", "10.0.0.2", "OTHER_PORT", "9"))
            .file(file)
            .resolve();
    assertThat(config.get(PORT)).isEqualTo(1003);
    assertThat(config.source(PORT)).isEqualTo(Config.Source.COMMAND_LINE);
    assertThat(config.get(BIND)).isEqualTo("10.0.0.2");
    assertThat(config.source(BIND)).isEqualTo(Config.Source.ENVIRONMENT);
    assertThat(config.get(IDLE)).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.source(IDLE)).isEqualTo(Config.Source.FILE);
    assertThat(config.get(MODE)).isEqualTo(Mode.SAFE);
    assertThat(config.source(MODE)).isEqualTo(Config.Source.DEFAULT);
  }

  @Test
  void describePrintsEverySettingWithItsOriginAndHidesSecrets() {
    Config config =
        Config.builder("TAU")
            .keys(KEYS)
            .environment(Map.of("TAU_MODE", "fast", "TAU_SECRET", "x"))
            .resolve();
    assertThat(config.describe())
        .containsExactly(
            "port         = 7701 (default)",
            "bind         = 127.0.0.1 (default)",
            "idle-timeout = 30s (default)",
            "mode         = fast (environment TAU_MODE)",
            "secret       = (hidden) (environment TAU_SECRET)");
  }

  @Test
  void anUnknownFileKeyIsOneLineNamingItAndTheKnownKeys() throws Exception {
    Path file = file("# comment\nprot=1\nport=2\nbnd=x\n");
    assertThatThrownBy(() -> Config.builder("TAU").keys(KEYS).file(file).resolve())
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "config file "
                + file
                + ": unknown keys bnd, prot (known keys: port, bind, idle-timeout, mode, secret)")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void aBadValueNamesTheSettingAndWhereItCameFrom() throws Exception {
    assertThatThrownBy(
            () -> Config.builder("TAU").keys(KEYS).environment(Map.of("TAU_PORT", "abc")).resolve())
        .isInstanceOf(ConfigException.class)
        .hasMessage("invalid port=\"abc\" from environment TAU_PORT: not an integer");
    assertThatThrownBy(() -> Config.builder("TAU").keys(KEYS).commandLine(PORT, 70000).resolve())
        .hasMessage("invalid port=\"70000\" from command line --port: must be 0..65535");
    Path file = file("mode=turbo\n");
    assertThatThrownBy(() -> Config.builder("TAU").keys(KEYS).file(file).resolve())
        .hasMessage(
            "invalid mode=\"turbo\" from config file " + file + ": must be one of [fast, safe]");
  }

  @Test
  void aMissingFileIsOneLine() {
    Path missing = dir.resolve("nope.properties");
    assertThatThrownBy(() -> Config.builder("TAU").keys(KEYS).file(missing).resolve())
        .isInstanceOf(ConfigException.class)
        .hasMessage("config file " + missing + " does not exist");
  }

  @Test
  void durationsAcceptUnitsPlainSecondsAndIso() {
    assertThat(ConfigKey.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(ConfigKey.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(ConfigKey.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(ConfigKey.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(ConfigKey.parseDuration("45")).isEqualTo(Duration.ofSeconds(45));
    assertThat(ConfigKey.parseDuration("PT0.25S")).isEqualTo(Duration.ofMillis(250));
    assertThat(ConfigKey.parseDuration("0")).isEqualTo(Duration.ZERO);
    assertThatThrownBy(() -> ConfigKey.parseDuration("soon"))
        .hasMessageContaining("not a duration");
    assertThatThrownBy(() -> ConfigKey.parseDuration("-5s")).hasMessageContaining("negative");
    assertThat(ConfigKey.printDuration(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(ConfigKey.printDuration(Duration.of(30, TimeUnit.SECONDS.toChronoUnit())))
        .isEqualTo("30s");
  }

  @Test
  void environmentVariablesAreDerivedFromTheName() {
    assertThat(ConfigKey.string("data-dir", "x", "d").environmentVariable("TAU"))
        .isEqualTo("TAU_DATA_DIR");
    assertThatThrownBy(() -> ConfigKey.string("DataDir", "x", "d"))
        .hasMessageContaining("kebab-case");
  }

  @Test
  void explicitEnvironmentVariablesReplaceTheDerivedOneFirstSetWinning() {
    ConfigKey<String> uri =
        ConfigKey.string("graph-uri", "none", "uri").environment("MEMGRAPH_URI", "NEO4J_URI");
    List<ConfigKey<?>> keys = List.of(uri);

    Config alias =
        Config.builder("TKN").keys(keys).environment(Map.of("NEO4J_URI", "bolt://b")).resolve();
    Config both =
        Config.builder("TKN")
            .keys(keys)
            .environment(
                Map.of("NEO4J_URI", "bolt://b", "MEMGRAPH_URI", "bolt://a", "TKN_GRAPH_URI", "x"))
            .resolve();
    Config derivedIgnored =
        Config.builder("TKN").keys(keys).environment(Map.of("TKN_GRAPH_URI", "x")).resolve();

    assertThat(alias.get(uri)).isEqualTo("bolt://b");
    assertThat(alias.describe()).containsExactly("graph-uri = bolt://b (environment NEO4J_URI)");
    assertThat(both.get(uri)).isEqualTo("bolt://a");
    assertThat(derivedIgnored.get(uri)).isEqualTo("none");
    assertThat(uri.environmentVariable("TKN")).isEqualTo("MEMGRAPH_URI");
    assertThatThrownBy(() -> ConfigKey.string("a", "x", "d").environment())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void declaringAKeyTwiceOrPassingAnUndeclaredOneIsAProgrammingError() {
    assertThatThrownBy(() -> Config.builder("T").keys(List.of(PORT, PORT)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Config.builder("T").keys(List.of(BIND)).commandLine(PORT, 1).resolve())
        .isInstanceOf(IllegalArgumentException.class);
  }
}
