package io.tokenworks.tkn.graph;

import io.tokenworks.tkn.SymbolTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrona.collections.IntHashSet;

/**
 * The Cypher that writes one {@link TokenBatch}, and its parameters. Every statement takes the
 * tenant and the session as parameters and data only through {@code UNWIND} lists; nothing from a
 * client is ever spliced into the text.
 *
 * <p>Idempotence: dictionary and token nodes are MERGEd on their unique (tenant, key/value), and a
 * token's HAS_VALUE edges are created only in the transaction that creates the token. D1 edges are
 * created, not merged: a per-session watermark node ({@code :TknSession {tenant, id, lastIdx}}),
 * updated in the same transaction, says which pair indexes are already written, so a retried batch
 * skips them. (A {@code MERGE} on {@code (a)-[:D1 {session, idx}]->(b)} would scan every parallel
 * D1 edge between a and b: one edge per occurrence makes that quadratic for frequent pairs.)
 */
final class BatchStatements {

  /** Moves the watermark to the batch's last pair and returns where it was. */
  static final String SESSION =
      "MERGE (s:TknSession {tenant: $tenant, id: $session})"
          + " ON CREATE SET s.lastIdx = -1"
          + " WITH s, s.lastIdx AS previous"
          + " SET s.lastIdx = CASE WHEN previous < $lastIdx THEN $lastIdx ELSE previous END"
          + " RETURN previous";

  static final String DICTIONARY =
      "UNWIND $dict AS d"
          + " MERGE (v:ValueDictionary {tenant: $tenant, key: d.key})"
          + " ON CREATE SET v.value = d.value";

  /**
   * The {@code pendingValues} flag marks nodes this statement created, so that only they get their
   * HAS_VALUE edges; it is removed before the transaction ends.
   */
  static final String TOKENS =
      "UNWIND $tokens AS t"
          + " MERGE (n:Tkn {tenant: $tenant, value: t.value})"
          + " ON CREATE SET n.lookupKeys = t.value, n.pendingValues = true"
          + " WITH n, t WHERE n.pendingValues = true"
          + " REMOVE n.pendingValues"
          + " WITH n, t"
          + " UNWIND range(0, size(t.keys) - 1) AS position"
          + " MATCH (v:ValueDictionary {tenant: $tenant, key: t.keys[position]})"
          + " CREATE (n)-[:HAS_VALUE {order: position}]->(v)";

  static final String PAIRS =
      "UNWIND $pairs AS p"
          + " MATCH (a:Tkn {tenant: $tenant, value: p.source})"
          + " MATCH (b:Tkn {tenant: $tenant, value: p.target})"
          + " CREATE (a)-[:D1 {session: $session, idx: p.idx}]->(b)";

  private static final char KEY_SEPARATOR = '|';

  final String tenant;
  final String session;
  final long lastPairIdx;
  final List<Map<String, Object>> dictionary;
  final List<Map<String, Object>> tokens;
  private final long firstIndex;
  private final String[] values;

  private BatchStatements(TokenBatch batch) {
    this.tenant = batch.tenant();
    this.session = batch.sessionId();
    this.firstIndex = batch.firstIndex();
    this.lastPairIdx = batch.lastIndex() - 1;
    SymbolTable symbols = batch.symbols();
    int n = batch.tokenCount();
    values = new String[n];
    IntHashSet seenSymbols = new IntHashSet();
    dictionary = new ArrayList<>();
    Map<String, List<String>> distinctTokens = new LinkedHashMap<>();
    StringBuilder value = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int[] token = batch.token(i);
      List<String> keys = new ArrayList<>(token.length);
      value.setLength(0);
      for (int position = 0; position < token.length; position++) {
        int id = token[position];
        String key = symbols.key(id);
        if (seenSymbols.add(id)) {
          dictionary.add(Map.of("key", key, "value", symbols.value(id)));
        }
        if (position > 0) {
          value.append(KEY_SEPARATOR);
        }
        value.append(key);
        keys.add(key);
      }
      values[i] = value.toString();
      distinctTokens.putIfAbsent(values[i], keys);
    }
    tokens = new ArrayList<>(distinctTokens.size());
    distinctTokens.forEach((v, keys) -> tokens.add(Map.of("value", v, "keys", keys)));
  }

  static BatchStatements of(TokenBatch batch) {
    return new BatchStatements(batch);
  }

  /** The graph value of the batch's token {@code i}: its symbol keys joined by {@code |}. */
  String value(int i) {
    return values[i];
  }

  /** The pairs whose index is above the session's watermark {@code previous}. */
  List<Map<String, Object>> pairsAfter(long previous) {
    List<Map<String, Object>> pairs = new ArrayList<>(Math.max(0, values.length - 1));
    for (int i = 0; i + 1 < values.length; i++) {
      long idx = firstIndex + i;
      if (idx > previous) {
        pairs.add(Map.of("source", values[i], "target", values[i + 1], "idx", idx));
      }
    }
    return pairs;
  }
}
