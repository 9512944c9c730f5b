package io.tokenworks.tkn.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.tokenworks.tkn.SymbolTable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BoltGraphSinkTest {

  private static final AtomicInteger TENANTS = new AtomicInteger();

  private static EmbeddedNeo4j neo4j;
  private static BoltGraphSink sink;

  @BeforeAll
  static void startNeo4j() throws GraphWriteException {
    neo4j = EmbeddedNeo4j.shared();
    sink = BoltGraphSink.open(neo4j.boltConfig());
  }

  @AfterAll
  static void closeSink() {
    if (sink != null) {
      sink.close();
    }
  }

  /** Each test writes to its own tenant, so tests share the database without seeing each other. */
  private static String newTenant() {
    return "tenant-" + TENANTS.incrementAndGet();
  }

  private static TokenBatch batch(
      String tenant, String session, SymbolTable symbols, long first, String... tokens) {
    int[][] ids = new int[tokens.length][];
    for (int i = 0; i < tokens.length; i++) {
      String token = tokens[i];
      ids[i] = token.codePoints().map(c -> symbols.intern(Character.toString(c))).toArray();
    }
    return new TokenBatch(tenant, session, symbols, first, ids, false);
  }

  private static long count(String cypher, String tenant) {
    return neo4j.count(cypher, Map.of("tenant", tenant));
  }

  @Test
  void schemaCreationIsIdempotentAndUsesCompositeUniqueConstraints() throws GraphWriteException {
    try (BoltGraphSink second = BoltGraphSink.open(neo4j.boltConfig())) {
      second.ensureSchema();
      assertThat(second.dialect()).isEqualTo(GraphDialect.NEO4J);
    }
    List<Map<String, Object>> constraints =
        neo4j.rows(
            "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties"
                + " RETURN name, type, labelsOrTypes, properties ORDER BY name",
            Map.of());
    assertThat(constraints)
        .extracting(row -> row.get("name"), row -> row.get("type"), row -> row.get("properties"))
        .containsExactly(
            tuple("tkn_session_tenant_id", "UNIQUENESS", List.of("tenant", "id")),
            tuple("tkn_tenant_value", "UNIQUENESS", List.of("tenant", "value")),
            tuple("value_dictionary_tenant_key", "UNIQUENESS", List.of("tenant", "key")));
    assertThat(
            neo4j.count(
                "SHOW INDEXES YIELD name WHERE name = 'd1_session_idx' RETURN count(*)", Map.of()))
        .isEqualTo(1);
  }

  @Test
  void batchWritesDictionaryTokensValuesAndPairs() throws GraphWriteException {
    String tenant = newTenant();
    SymbolTable symbols = new SymbolTable();
    sink.write(batch(tenant, "s1", symbols, 0, "a", "b", "ab", "a"));
    String a = symbols.key(symbols.intern("a"));
    String b = symbols.key(symbols.intern("b"));
    String ab = a + "|" + b;

    assertThat(
            neo4j.rows(
                "MATCH (v:ValueDictionary {tenant: $tenant}) RETURN v.key AS key, v.value AS value"
                    + " ORDER BY value",
                Map.of("tenant", tenant)))
        .containsExactly(Map.of("key", a, "value", "a"), Map.of("key", b, "value", "b"));
    assertThat(
            neo4j.rows(
                "MATCH (t:Tkn {tenant: $tenant}) RETURN t.value AS value, t.lookupKeys AS keys",
                Map.of("tenant", tenant)))
        .containsExactlyInAnyOrder(
            Map.of("value", a, "keys", a),
            Map.of("value", b, "keys", b),
            Map.of("value", ab, "keys", ab));
    assertThat(
            neo4j.rows(
                "MATCH (t:Tkn {tenant: $tenant})-[h:HAS_VALUE]->(v:ValueDictionary)"
                    + " RETURN t.value AS token, h.order AS order, v.value AS symbol",
                Map.of("tenant", tenant)))
        .containsExactlyInAnyOrder(
            Map.of("token", a, "order", 0L, "symbol", "a"),
            Map.of("token", b, "order", 0L, "symbol", "b"),
            Map.of("token", ab, "order", 0L, "symbol", "a"),
            Map.of("token", ab, "order", 1L, "symbol", "b"));
    assertThat(
            neo4j.rows(
                "MATCH (x:Tkn {tenant: $tenant})-[d:D1]->(y:Tkn)"
                    + " RETURN d.idx AS idx, d.session AS session, x.value AS source,"
                    + " y.value AS target ORDER BY idx",
                Map.of("tenant", tenant)))
        .containsExactly(
            Map.of("idx", 0L, "session", "s1", "source", a, "target", b),
            Map.of("idx", 1L, "session", "s1", "source", b, "target", ab),
            Map.of("idx", 2L, "session", "s1", "source", ab, "target", a));
  }

  @Test
  void writingTheSameBatchAgainCreatesNothingNew() throws GraphWriteException {
    String tenant = newTenant();
    SymbolTable symbols = new SymbolTable();
    TokenBatch first = batch(tenant, "s1", symbols, 0, "th", "e", " ", "th", "e");
    sink.write(first);
    String snapshot =
        "MATCH (n {tenant: $tenant}) OPTIONAL MATCH (n)-[r]->()"
            + " RETURN count(DISTINCT n) * 1000000 + count(r)";
    long before = count(snapshot, tenant);

    sink.write(first);
    sink.write(first);

    assertThat(count(snapshot, tenant)).isEqualTo(before);
    assertThat(count("MATCH (:Tkn {tenant: $tenant})-[d:D1]->() RETURN count(d)", tenant))
        .isEqualTo(4);
  }

  @Test
  void aBatchCarryingThePreviousTokenLinksAcrossBatchesWithoutDuplicates()
      throws GraphWriteException {
    String tenant = newTenant();
    SymbolTable symbols = new SymbolTable();
    TokenBatch first = batch(tenant, "s1", symbols, 0, "a", "b", "c");
    TokenBatch plain = batch(tenant, "s1", symbols, 2, "c", "a", "b");
    TokenBatch second =
        new TokenBatch(
            tenant,
            "s1",
            symbols,
            2,
            new int[][] {plain.token(0), plain.token(1), plain.token(2)},
            true);
    sink.write(first);
    sink.write(second);

    assertThat(count("MATCH (t:Tkn {tenant: $tenant}) RETURN count(t)", tenant)).isEqualTo(3);
    assertThat(
            neo4j.rows(
                "MATCH (:Tkn {tenant: $tenant})-[d:D1]->() RETURN d.idx AS idx ORDER BY idx",
                Map.of("tenant", tenant)))
        .extracting(row -> row.get("idx"))
        .containsExactly(0L, 1L, 2L, 3L);
  }

  @Test
  void twoTenantsWithTheSameTokensStaySeparate() throws GraphWriteException {
    String red = newTenant();
    String blue = newTenant();
    SymbolTable symbols = new SymbolTable();
    sink.write(batch(red, "s1", symbols, 0, "x", "y", "x"));
    sink.write(batch(blue, "s1", symbols, 0, "x", "y", "x"));

    for (String tenant : List.of(red, blue)) {
      assertThat(count("MATCH (t:Tkn {tenant: $tenant}) RETURN count(t)", tenant)).isEqualTo(2);
      assertThat(count("MATCH (v:ValueDictionary {tenant: $tenant}) RETURN count(v)", tenant))
          .isEqualTo(2);
      assertThat(count("MATCH (:Tkn {tenant: $tenant})-[d:D1]->() RETURN count(d)", tenant))
          .isEqualTo(2);
    }
    assertThat(
            neo4j.count(
                "MATCH (a {tenant: $red})-[r]-(b {tenant: $blue}) RETURN count(r)",
                Map.of("red", red, "blue", blue)))
        .isZero();
  }

  @Test
  void aSingleTokenSessionWritesOneNodeAndNoSelfLoop() throws GraphWriteException {
    String tenant = newTenant();
    SymbolTable symbols = new SymbolTable();
    sink.write(batch(tenant, "lonely", symbols, 0, "q"));

    assertThat(count("MATCH (t:Tkn {tenant: $tenant}) RETURN count(t)", tenant)).isEqualTo(1);
    assertThat(count("MATCH (:Tkn {tenant: $tenant})-[d:D1]->() RETURN count(d)", tenant)).isZero();
  }

  @Test
  void symbolValuesThatLookLikeCypherAreStoredVerbatim() throws GraphWriteException {
    String tenant = "t'}) DETACH DELETE n //" + TENANTS.incrementAndGet();
    SymbolTable symbols = new SymbolTable();
    String hostile = "x\"}) MATCH (n) DETACH DELETE n RETURN `$tenant` //";
    int id = symbols.intern(hostile);
    int other = symbols.intern("'");
    sink.write(new TokenBatch(tenant, "s'1", symbols, 0, new int[][] {{id}, {other, id}}, false));

    assertThat(
            neo4j.rows(
                "MATCH (v:ValueDictionary {tenant: $tenant}) RETURN v.value AS value",
                Map.of("tenant", tenant)))
        .extracting(row -> row.get("value"))
        .containsExactlyInAnyOrder(hostile, "'");
    assertThat(
            neo4j.rows(
                "MATCH (:Tkn {tenant: $tenant})-[d:D1]->() RETURN d.session AS session",
                Map.of("tenant", tenant)))
        .extracting(row -> row.get("session"))
        .containsExactly("s'1");
    assertThat(neo4j.count("MATCH (n:Tkn) RETURN count(n)", Map.of())).isPositive();
  }

  @Test
  void readyAndDescribedWhenTheDatabaseIsUp() {
    assertThat(sink.ready()).isTrue();
    assertThat(sink.describe()).contains(neo4j.boltUri()).contains("Neo4j/");
  }

  @Test
  void describeNeverShowsThePassword() throws GraphWriteException {
    BoltConfig config = new BoltConfig(neo4j.boltUri(), "", "", "");
    assertThat(config.toString()).doesNotContain("secret");
    BoltConfig withPassword = new BoltConfig("bolt://127.0.0.1:1", "neo4j", "secret", "");
    assertThat(withPassword.toString()).doesNotContain("secret").contains("****");
  }
}
