package io.tokenworks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TokenworksCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return TokenworksCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
        .execute(args);
  }

  @Test
  void helpListsTheSubcommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("Usage: tokenworks").contains("version").contains("up");
  }

  @Test
  void noArgumentsPrintsUsage() {
    assertThat(run()).isZero();
    assertThat(out.toString()).contains("Usage: tokenworks");
  }

  @Test
  void versionPrintsTheBuildVersionNotAPlaceholder() {
    assertThat(run("version")).isZero();
    assertThat(out.toString()).startsWith("tokenworks 0.").doesNotContain("${").contains("java 1");
  }

  @Test
  void versionOptionMatchesVersionCommand() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString().trim()).isEqualTo("tokenworks " + Version.current());
  }

  @Test
  void upListsEveryEngineAndExitsZero() {
    assertThat(run("up")).isZero();
    assertThat(out.toString())
        .contains("Tau", "TKN", "LatZero", "Tokenly", "TokenStream")
        .contains("7701", "8080", "45227", "7071");
  }

  @Test
  void unknownOptionGivesOneClearLineAndExitCodeTwo() {
    assertThat(run("up", "--no-such-option")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("tokenworks: Unknown option: '--no-such-option'")
        .contains("tokenworks up --help")
        .doesNotContain("Exception");
  }

  @Test
  void unknownSubcommandIsAnError() {
    assertThat(run("launch-rockets")).isEqualTo(2);
    assertThat(err.toString()).contains("launch-rockets");
  }
}
