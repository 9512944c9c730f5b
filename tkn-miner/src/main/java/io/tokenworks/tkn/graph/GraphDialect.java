package io.tokenworks.tkn.graph;

import java.util.List;
import java.util.Locale;

/**
 * The schema statements of each Bolt server we write to. Everything else (the write statements) is
 * Cypher that both accept; only schema syntax differs.
 */
enum GraphDialect {
  /**
   * Neo4j 5: composite property-uniqueness constraints (allowed in Community Edition since 5.0),
   * each backed by a range index, so every MERGE and MATCH on (tenant, value) or (tenant, key) is
   * an index seek. The D1 index serves queries that walk one session in order.
   */
  NEO4J(
      List.of(
          "CREATE CONSTRAINT tkn_tenant_value IF NOT EXISTS"
              + " FOR (n:Tkn) REQUIRE (n.tenant, n.value) IS UNIQUE",
          "CREATE CONSTRAINT value_dictionary_tenant_key IF NOT EXISTS"
              + " FOR (n:ValueDictionary) REQUIRE (n.tenant, n.key) IS UNIQUE",
          "CREATE CONSTRAINT tkn_session_tenant_id IF NOT EXISTS"
              + " FOR (n:TknSession) REQUIRE (n.tenant, n.id) IS UNIQUE",
          "CREATE INDEX d1_session_idx IF NOT EXISTS FOR ()-[r:D1]-() ON (r.session, r.idx)")),

  /**
   * Memgraph (2.x): its own {@code ASSERT} syntax for uniqueness, which, unlike Neo4j's, creates no
   * index, so label-property indexes are created beside. Memgraph has no {@code IF NOT EXISTS};
   * re-creating an existing index or constraint is reported as a notice or an "already exists"
   * error, which {@link BoltGraphSink} ignores. Schema statements must run outside explicit
   * transactions there, which is how the sink runs them.
   *
   * <p><b>Untested here:</b> no Memgraph server is available to the build; written from Memgraph's
   * documentation.
   */
  MEMGRAPH(
      List.of(
          "CREATE INDEX ON :Tkn(value)",
          "CREATE INDEX ON :ValueDictionary(key)",
          "CREATE INDEX ON :TknSession(id)",
          "CREATE CONSTRAINT ON (n:Tkn) ASSERT n.tenant, n.value IS UNIQUE",
          "CREATE CONSTRAINT ON (n:ValueDictionary) ASSERT n.tenant, n.key IS UNIQUE",
          "CREATE CONSTRAINT ON (n:TknSession) ASSERT n.tenant, n.id IS UNIQUE"));

  private final List<String> schema;

  GraphDialect(List<String> schema) {
    this.schema = schema;
  }

  List<String> schemaStatements() {
    return schema;
  }

  /**
   * From the Bolt server agent: Neo4j says {@code Neo4j/5.26.17}; Memgraph's agent names Memgraph
   * (by default {@code Neo4j/v5.11.0 compatible graph database server - Memgraph}), so look for the
   * word anywhere before assuming Neo4j.
   */
  static GraphDialect fromAgent(String agent) {
    if (agent != null && agent.toLowerCase(Locale.ROOT).contains("memgraph")) {
      return MEMGRAPH;
    }
    return NEO4J;
  }
}
