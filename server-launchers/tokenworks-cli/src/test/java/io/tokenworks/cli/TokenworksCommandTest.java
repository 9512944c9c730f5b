package io.tokenworks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import io.tokenworks.cli.tau.TauReplCommand;
import io.tokenworks.protocol.latzero.client.LatZeroClient;
import io.tokenworks.protocol.latzero.client.LatZeroClientOptions;
import io.tokenworks.protocol.tau.TauClient;
import io.tokenworks.protocol.tau.TauLabel;
import io.tokenworks.protocol.tkn.TknClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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

  @ParameterizedTest
  @ValueSource(strings = {"tau", "tkn", "latzero start", "bench tau", "bench tkn"})
  void everyCommandWithAVersionOptionPrintsTheVersion(String command) {
    String[] args = (command + " -V").split(" ");
    assertThat(run(args)).isZero();
    assertThat(out.toString().trim()).isEqualTo("tokenworks " + Version.current());
  }

  @Test
  void upListsEveryEngineStartsTauTknAndLatZeroAndStopsCleanly(@TempDir Path data)
      throws Exception {
    UpCommand up =
        new UpCommand(
            Map.ofEntries(
                Map.entry("TAU_PORT", "0"),
                Map.entry("TAU_METRICS_PORT", "0"),
                Map.entry("TAU_DATA_DIR", data.resolve("tau").toString()),
                Map.entry("TKN_PORT", "0"),
                Map.entry("METRICS_PORT", "0"),
                Map.entry("TKN_BOLT_PORT", "0"),
                Map.entry("TKN_DATA_DIR", data.resolve("tkn").toString()),
                Map.entry("LATZERO_PORT", "0"),
                Map.entry("LATZERO_METRICS_PORT", "0"),
                Map.entry("LATZERO_DATA_DIR", data.resolve("latzero").toString()),
                Map.entry("LATZERO_MEMORY_DIR", data.resolve("latzero-memory").toString())));
    CommandLine commandLine = new CommandLine(up);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    AtomicInteger exit = new AtomicInteger(-1);
    Thread running = new Thread(() -> exit.set(commandLine.execute()));
    running.start();
    Matcher port = waitFor(Pattern.compile("tau: listening on [^ ]*:(\\d+),"));
    Matcher tkn =
        waitFor(Pattern.compile("tkn: listening on [^ ]*:(\\d+) .* graph (bolt://[0-9.:]+)"));
    Matcher latzero = waitFor(Pattern.compile("latzero: listening on [^ ]*:(\\d+),"));
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
    try (LatZeroClient echo =
            LatZeroClient.connect(
                "127.0.0.1",
                Integer.parseInt(latzero.group(1)),
                "up-echo",
                LatZeroClientOptions.builder().trigger("echo", call -> call.payload()).build());
        LatZeroClient caller =
            LatZeroClient.connect("latzero://up-caller@127.0.0.1:" + latzero.group(1))) {
      assertThat(caller.call("default", "echo", new TextNode("up")).get(10, TimeUnit.SECONDS))
          .isEqualTo(new TextNode("up"));
    }
    // `latzero stop` stops LatZero alone: up keeps running Tau and TKN until it is stopped.
    StringWriter stopOut = new StringWriter();
    assertThat(
            TokenworksCommand.commandLine(
                    new PrintWriter(stopOut, true), new PrintWriter(err, true), Map.of())
                .execute("latzero", "stop", "--data-dir", data.resolve("latzero").toString()))
        .isZero();
    assertThat(stopOut.toString()).contains("latzero: stopped");
    assertThat(running.isAlive()).isTrue();
    up.stop();
    running.join(30_000);
    assertThat(exit.get()).isZero();
    assertThat(out.toString())
        .contains("Tau", "TKN", "LatZero", "Tokenly", "TokenStream")
        .contains("7701", "8080", "45227", "7071")
        .containsPattern("LatZero .* server and fabric");
  }

  @Test
  void upStopsTauAndTknWhenLatZeroCannotStart(@TempDir Path data) throws Exception {
    UpCommand up =
        new UpCommand(
            Map.of(
                "TAU_PORT", "0",
                "TAU_METRICS_PORT", "0",
                "TAU_DATA_DIR", data.resolve("tau").toString(),
                "TKN_PORT", "0",
                "METRICS_PORT", "0",
                "TKN_BOLT_PORT", "0",
                "TKN_DATA_DIR", data.resolve("tkn").toString(),
                "LATZERO_PORT", "seventy"));
    CommandLine commandLine = new CommandLine(up);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));

    assertThat(commandLine.execute()).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo(
            "latzero: invalid port=\"seventy\" from environment LATZERO_PORT: not an integer");
    int tauPort =
        Integer.parseInt(waitFor(Pattern.compile("tau: listening on [^ ]*:(\\d+),")).group(1));
    try (Socket socket = new Socket()) {
      assertThatThrownBy(() -> socket.connect(new InetSocketAddress("127.0.0.1", tauPort), 2_000))
          .isInstanceOf(IOException.class);
    }
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
