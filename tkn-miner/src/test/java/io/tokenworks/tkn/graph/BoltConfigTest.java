package io.tokenworks.tkn.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BoltConfigTest {

  @Test
  void readsUpstreamMemgraphVariables() {
    BoltConfig config =
        BoltConfig.fromEnvironment(
                Map.of(
                    "MEMGRAPH_URI", "bolt://graph:7687",
                    "MEMGRAPH_USER", "memgraph",
                    "MEMGRAPH_PASS", "secret",
                    "MEMGRAPH_DB_NAME", "tkn"))
            .orElseThrow();
    assertThat(config).isEqualTo(new BoltConfig("bolt://graph:7687", "memgraph", "secret", "tkn"));
    assertThat(config.authenticated()).isTrue();
  }

  @Test
  void readsNeo4jAliasesIncludingUsername() {
    assertThat(
            BoltConfig.fromEnvironment(
                Map.of(
                    "NEO4J_URI", "neo4j://db:7687",
                    "NEO4J_USERNAME", "neo4j",
                    "NEO4J_PASSWORD", "pw",
                    "NEO4J_DATABASE", "graph")))
        .contains(new BoltConfig("neo4j://db:7687", "neo4j", "pw", "graph"));
    assertThat(
            BoltConfig.fromEnvironment(
                Map.of("NEO4J_URI", "bolt://db", "NEO4J_USER", "a", "NEO4J_USERNAME", "b")))
        .hasValueSatisfying(config -> assertThat(config.user()).isEqualTo("a"));
  }

  @Test
  void memgraphVariablesWinAndCredentialsNeverMixFamilies() {
    BoltConfig config =
        BoltConfig.fromEnvironment(
                Map.of(
                    "MEMGRAPH_URI", "bolt://memgraph:7687",
                    "NEO4J_URI", "bolt://neo4j:7687",
                    "NEO4J_USER", "neo4j",
                    "NEO4J_PASSWORD", "neo4j-secret"))
            .orElseThrow();
    assertThat(config.uri()).isEqualTo("bolt://memgraph:7687");
    assertThat(config.user()).isEmpty();
    assertThat(config.password()).isEmpty();
    assertThat(config.authenticated()).isFalse();
  }

  @Test
  void noUriMeansNoBoltConfigAndBlankValuesCountAsUnset() {
    assertThat(BoltConfig.fromEnvironment(Map.of())).isEmpty();
    assertThat(BoltConfig.fromEnvironment(Map.of("MEMGRAPH_URI", "  ", "MEMGRAPH_USER", "x")))
        .isEmpty();
  }

  @Test
  void rejectsUnsupportedOrMalformedUris() {
    assertThatThrownBy(
            () -> BoltConfig.fromEnvironment(Map.of("MEMGRAPH_URI", "memgraph://localhost:7687")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("uri=memgraph://localhost:7687")
        .hasMessageContaining("bolt://");
    assertThatThrownBy(() -> new BoltConfig("localhost:7687", "", "", ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BoltConfig("bolt://bad host", "", "", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a URI");
  }

  @Test
  void toStringHidesThePassword() {
    assertThat(new BoltConfig("bolt://h:1", "u", "hunter2", "").toString())
        .doesNotContain("hunter2")
        .contains("****");
  }

  @Test
  void dialectComesFromTheServerAgent() {
    assertThat(GraphDialect.fromAgent("Neo4j/5.26.17")).isEqualTo(GraphDialect.NEO4J);
    assertThat(GraphDialect.fromAgent("Neo4j/v5.11.0 compatible graph database server - Memgraph"))
        .isEqualTo(GraphDialect.MEMGRAPH);
    assertThat(GraphDialect.fromAgent("Memgraph/2.15.1")).isEqualTo(GraphDialect.MEMGRAPH);
    assertThat(GraphDialect.fromAgent(null)).isEqualTo(GraphDialect.NEO4J);
  }
}
