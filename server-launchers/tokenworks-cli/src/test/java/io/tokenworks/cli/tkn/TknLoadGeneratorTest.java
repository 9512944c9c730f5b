package io.tokenworks.cli.tkn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.cli.tkn.TknLoadGenerator.Mode;
import io.tokenworks.cli.tkn.TknLoadGenerator.Result;
import io.tokenworks.cli.tkn.TknLoadGenerator.Settings;
import io.tokenworks.protocol.tkn.TknClientException;
import io.tokenworks.tkn.server.TknServer;
import io.tokenworks.tkn.server.TknServerConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TknLoadGeneratorTest {

  @TempDir Path data;

  @Test
  void helloRunIsAcknowledgedSymbolForSymbolAndFlushes() throws Exception {
    try (TknServer server = start(Map.of())) {
      Result result = new TknLoadGenerator(settings(server, Mode.HELLO, 2, true)).run();

      assertThat(result.errors()).isZero();
      assertThat(result.failedConnections()).isZero();
      assertThat(result.firstFailure()).isNull();
      assertThat(result.frames()).isPositive();
      assertThat(result.symbols()).isEqualTo(result.frames() * 100);
      assertThat(result.sentFrames()).isGreaterThanOrEqualTo(result.frames());
      assertThat(result.serverFrames()).isEqualTo(result.sentFrames());
      assertThat(result.serverSymbols()).isEqualTo(result.sentSymbols());
      assertThat(result.serverTokens()).isPositive().isLessThanOrEqualTo(result.serverSymbols());
      assertThat(result.latencyNanos().getTotalCount()).isPositive();
      assertThat(result.drainNanos()).isNotNegative();
      assertThat(result.tokensWritten()).isGreaterThanOrEqualTo(result.serverTokens());
      // Every BATCH of 100 one-byte symbols: outer header plus 100 items of header and byte.
      assertThat(result.bytes()).isEqualTo(result.frames() * (5 + 100 * 6));
      assertThat(result.symbolBytes()).isEqualTo(result.symbols());
      assertThat(result.describe(2))
          .contains("frames/s", "frame-ack latency", "last ACKs", "flush: drain");
    }
  }

  @Test
  void compatRunSendsEverySymbolTheServerMines() throws Exception {
    try (TknServer server = start(Map.of())) {
      Result result = new TknLoadGenerator(settings(server, Mode.COMPAT, 1, false)).run();

      assertThat(result.errors()).isZero();
      assertThat(result.failedConnections()).isZero();
      assertThat(result.frames()).isPositive();
      assertThat(result.latencyNanos().getTotalCount()).isZero();
      assertThat(result.drainNanos()).isEqualTo(-1);
      assertThat(result.describe(1)).contains("frames/s").doesNotContain("latency", "flush");
      // Compatibility mode reports nothing; the server's counter catches up once the socket closes.
      assertThat(awaitSymbolsMined(server, result.sentSymbols())).isEqualTo(result.sentSymbols());
    }
  }

  @Test
  void batchAboveTheServersMaxPayloadIsRefusedBeforeSending() throws Exception {
    try (TknServer server = start(Map.of("max-frame", 500))) {
      TknLoadGenerator generator = new TknLoadGenerator(settings(server, Mode.HELLO, 1, false));

      assertThatThrownBy(generator::run)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("600 bytes")
          .hasMessageContaining("max payload length 500");
      assertThat(symbolsMined(server)).isZero();
      // The connection was closed, not leaked: the server sees it go (asynchronously).
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (server.activeConnections() != 0 && System.nanoTime() - deadline < 0) {
        Thread.sleep(20);
      }
      assertThat(server.activeConnections()).isZero();
    }
  }

  @Test
  void unreachableServerFailsTheRunWithTheAddress() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Settings settings =
        new Settings(
            "127.0.0.1",
            port,
            Mode.HELLO,
            null,
            1,
            10,
            1,
            null,
            Duration.ofSeconds(1),
            Duration.ZERO,
            false,
            Duration.ofSeconds(5));

    assertThatThrownBy(() -> new TknLoadGenerator(settings).run())
        .isInstanceOf(TknClientException.class)
        .hasMessageContaining("127.0.0.1:" + port);
  }

  @Test
  void flushInCompatModeIsRefused() {
    assertThatThrownBy(
            () ->
                new TknLoadGenerator(
                    new Settings(
                        "127.0.0.1",
                        1,
                        Mode.COMPAT,
                        null,
                        1,
                        10,
                        1,
                        null,
                        Duration.ofSeconds(1),
                        Duration.ZERO,
                        true,
                        Duration.ofSeconds(5))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("flush needs HELLO mode");
  }

  private TknServer start(Map<String, Object> overrides) {
    Map<String, Object> values = new HashMap<>();
    values.put("port", 0);
    values.put("metrics-port", 0);
    values.put("graph", "none");
    values.put("data-dir", data.toString());
    values.putAll(overrides);
    return TknServer.start(TknServerConfig.of(values));
  }

  private static Settings settings(TknServer server, Mode mode, int connections, boolean flush) {
    return new Settings(
        "127.0.0.1",
        server.port(),
        mode,
        mode == Mode.HELLO ? "bench-test" : null,
        connections,
        100,
        1,
        null,
        Duration.ofMillis(800),
        Duration.ofMillis(200),
        flush,
        Duration.ofSeconds(30));
  }

  private static long awaitSymbolsMined(TknServer server, long expected)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    long mined = -1;
    while (System.nanoTime() - deadline < 0) {
      mined = symbolsMined(server);
      if (mined >= expected) {
        return mined;
      }
      Thread.sleep(20);
    }
    return mined;
  }

  private static long symbolsMined(TknServer server) throws IOException, InterruptedException {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    for (String line : body.split("\n")) {
      if (line.startsWith("tkn_symbols_total ")) {
        return (long) Double.parseDouble(line.substring("tkn_symbols_total ".length()).trim());
      }
    }
    return 0;
  }
}
