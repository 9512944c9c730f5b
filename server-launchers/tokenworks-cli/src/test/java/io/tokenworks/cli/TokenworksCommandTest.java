package io.tokenworks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.cli.tau.TauReplCommand;
import io.tokenworks.protocol.tau.TauClient;
import io.tokenworks.protocol.tau.TauLabel;
import io.tokenworks.protocol.tkn.TknClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;
import picocli.CommandLine;

class TokenworksCommandTest {

  private static final String DEVELOPMENT = TauReplCommand.DEVELOPMENT_CERTIFICATE;

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
  void upListsEveryEngineStartsTauAndTknAndStopsCleanly(@TempDir Path data) throws Exception {
    UpCommand up =
        new UpCommand(
            Map.of(
                "TAU_PORT", "0",
                "TAU_METRICS_PORT", "0",
                "TAU_DATA_DIR", data.resolve("tau").toString(),
                "TKN_PORT", "0",
                "METRICS_PORT", "0",
                "TKN_BOLT_PORT", "0",
                "TKN_DATA_DIR", data.resolve("tkn").toString()));
    CommandLine commandLine = new CommandLine(up);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    AtomicInteger exit = new AtomicInteger(-1);
    Thread running = new Thread(() -> exit.set(commandLine.execute()));
    running.start();
    Matcher port = waitFor(Pattern.compile("tau: listening on [^ ]*:(\\d+),"));
    Matcher tkn =
        waitFor(Pattern.compile("tkn: listening on [^ ]*:(\\d+) .* graph (bolt://[0-9.:]+)"));
    try (TauClient client =
        TauClient.connect(
            "127.0.0.1", Integer.parseInt(port.group(1)), HexFormat.of().parseHex(DEVELOPMENT))) {
      client.createSeries(TauLabel.of("up"));
      client.append(TauLabel.of("up"), 1, 2.5);
      assertThat(client.queryPoint(TauLabel.of("up"), 1)).hasValue(2.5);
    }
    try (TknClient client =
        TknClient.connect(
            "127.0.0.1", Integer.parseInt(tkn.group(1)), TknClient.Hello.tenant("up"))) {
      client.batch().addString("u").addString("p").addString("u").addString("p").send();
      assertThat(client.flush()).isPositive();
    }
    try (Driver driver = GraphDatabase.driver(tkn.group(2), AuthTokens.none());
        Session session = driver.session()) {
      long nodes =
          session
              .run("MATCH (t:Tkn {tenant: 'up'}) RETURN count(t) AS n")
              .single()
              .get("n")
              .asLong();
      assertThat(nodes).isPositive();
    }
    up.stop();
    running.join(30_000);
    assertThat(exit.get()).isZero();
    assertThat(out.toString())
        .contains("Tau", "TKN", "LatZero", "Tokenly", "TokenStream")
        .contains("7701", "8080", "45227", "7071");
  }

  private Matcher waitFor(Pattern pattern) throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      Matcher matcher = pattern.matcher(out.toString());
      if (matcher.find()) {
        return matcher;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("never printed " + pattern + "; output:\n" + out + err);
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
