package io.tokenworks.tkn.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.tokenworks.tkn.SymbolTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Cypher queries documented in the README run, on a real Neo4j, and answer what they claim. */
class GraphQueriesDocTest {

  private static List<String> documentedQueries() throws Exception {
    String markdown = Files.readString(Path.of("../README.md"));
    Matcher blocks = Pattern.compile("```cypher\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
    List<String> queries = new ArrayList<>();
    while (blocks.find()) {
      queries.add(blocks.group(1));
    }
    return queries;
  }

  @Test
  @SuppressWarnings("unchecked")
  void documentedQueriesAnswerOnAWrittenSession() throws Exception {
    EmbeddedNeo4j neo4j = EmbeddedNeo4j.shared();
    String tenant = "docs-tenant";
    SymbolTable symbols = new SymbolTable();
    String[] tokens = {"t", "h", "e", " ", "t", "he", " ", "t", "h"};
    int[][] ids = new int[tokens.length][];
    for (int i = 0; i < tokens.length; i++) {
      ids[i] = tokens[i].chars().map(c -> symbols.intern(Character.toString(c))).toArray();
    }
    try (BoltGraphSink sink = BoltGraphSink.open(neo4j.boltConfig())) {
      sink.write(new TokenBatch(tenant, "doc-session", symbols, 0, ids, false));
    }
    List<String> queries = documentedQueries();
    assertThat(queries).hasSize(3);

    List<Map<String, Object>> successors = neo4j.rows(queries.get(0), Map.of("tenant", tenant));
    assertThat(successors)
        .containsExactly(
            Map.of("successor", "h", "times", 2L), Map.of("successor", "he", "times", 1L));

    List<Map<String, Object>> containing =
        neo4j.rows(queries.get(1), Map.of("tenant", tenant, "symbol", "e"));
    assertThat(containing)
        .extracting(row -> row.get("position"), row -> row.get("length"))
        .containsExactly(tuple(0L, 1L), tuple(1L, 2L));

    List<Map<String, Object>> path =
        neo4j.rows(queries.get(2), Map.of("tenant", tenant, "session", "doc-session"));
    assertThat(path)
        .extracting(row -> String.join("", (List<String>) row.get("symbols")))
        .containsExactly("t", "h", "e", " ", "t", "he", " ", "t");
  }
}
