package io.tokenworks.tkn.pipeline;

import io.tokenworks.tkn.SymbolTable;
import io.tokenworks.tkn.graph.EmbeddedNeo4j;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** A token stream over a small alphabet, and what the graph should hold after it is written. */
final class GraphFixture {

  final SymbolTable symbols = new SymbolTable();
  private final List<int[]> tokens = new ArrayList<>();

  /** {@code count} tokens of one to three symbols from a five-letter alphabet, deterministic. */
  GraphFixture(int count, int seed) {
    String alphabet = "abcde";
    long state = seed;
    for (int i = 0; i < count; i++) {
      state = state * 6364136223846793005L + 1442695040888963407L;
      int length = 1 + (int) ((state >>> 33) % 3);
      int[] token = new int[length];
      for (int j = 0; j < length; j++) {
        state = state * 6364136223846793005L + 1442695040888963407L;
        token[j] = symbols.intern(String.valueOf(alphabet.charAt((int) ((state >>> 33) % 5))));
      }
      tokens.add(token);
    }
  }

  int size() {
    return tokens.size();
  }

  void feed(TokenPipeline pipeline, int from, int to) {
    int[] reused = new int[8];
    for (int i = from; i < to; i++) {
      int[] token = tokens.get(i);
      System.arraycopy(token, 0, reused, 0, token.length);
      pipeline.onToken(i, reused, token.length);
    }
  }

  /** The graph value of token i: its symbol keys joined by "|". */
  String value(int i) {
    StringJoiner joiner = new StringJoiner("|");
    for (int id : tokens.get(i)) {
      joiner.add(symbols.key(id));
    }
    return joiner.toString();
  }

  long distinctValues() {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      values.add(value(i));
    }
    return values.stream().distinct().count();
  }

  /** Asserts the session's D1 path is exactly this stream, in order, each pair once. */
  void assertPath(EmbeddedNeo4j neo4j, String tenant, String session) {
    List<Map<String, Object>> path =
        neo4j.rows(
            "MATCH (a:Tkn {tenant: $tenant})-[d:D1 {session: $session}]->(b:Tkn)"
                + " RETURN d.idx AS idx, a.value AS source, b.value AS target ORDER BY idx",
            Map.of("tenant", tenant, "session", session));
    if (path.size() != tokens.size() - 1) {
      throw new AssertionError(
          "session " + session + " has " + path.size() + " D1 edges, expected " + (size() - 1));
    }
    for (int i = 0; i < path.size(); i++) {
      Map<String, Object> row = path.get(i);
      if (!row.equals(Map.of("idx", (long) i, "source", value(i), "target", value(i + 1)))) {
        throw new AssertionError("D1 edge " + i + " of session " + session + " is " + row);
      }
    }
  }
}
