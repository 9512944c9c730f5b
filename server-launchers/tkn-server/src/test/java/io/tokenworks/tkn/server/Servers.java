package io.tokenworks.tkn.server;

import io.tokenworks.tkn.MinerConfig;
import io.tokenworks.tkn.SymbolTable;
import io.tokenworks.tkn.TknMiner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Test support: servers on ephemeral ports, metrics scraping, expected tokens. */
final class Servers {

  private Servers() {}

  /** A server on ephemeral ports with {@code overrides} over the test defaults (no graph). */
  static TknServer start(Path data, Map<String, ?> overrides) {
    Map<String, Object> values = new HashMap<>();
    values.put("port", 0);
    values.put("metrics-port", 0);
    values.put("bolt-port", 0);
    values.put("graph", "none");
    values.put("data-dir", data.toString());
    values.putAll(overrides);
    return TknServer.start(TknServerConfig.of(values));
  }

  static String scrape(TknServer server) throws IOException, InterruptedException {
    return get(server, "/metrics").body();
  }

  static HttpResponse<String> get(TknServer server, String path)
      throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** The value of the first sample line starting with {@code series} (name and labels). */
  static double metric(TknServer server, String series) throws IOException, InterruptedException {
    for (String line : scrape(server).split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }

  /**
   * The tokens our miner emits for one symbol per character of {@code text}, flushed at the end.
   */
  static List<String> expectedTokens(String text) {
    SymbolTable symbols = new SymbolTable();
    List<String> tokens = new ArrayList<>();
    TknMiner miner =
        new TknMiner(
            MinerConfig.defaults(),
            (index, ids, length) -> {
              StringBuilder token = new StringBuilder();
              for (int i = 0; i < length; i++) {
                token.append(symbols.value(ids[i]));
              }
              tokens.add(token.toString());
            });
    text.codePoints().forEach(c -> miner.accept(symbols.intern(new String(Character.toChars(c)))));
    miner.flush();
    return tokens;
  }
}
