package io.tokenworks.tkn.graph;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.neo4j.driver.AuthToken;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.RetryableException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.SessionExpiredException;
import org.neo4j.driver.exceptions.TransientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes token batches to Neo4j 5 or Memgraph over Bolt (neo4j-java-driver), one transaction per
 * batch. The schema keeps upstream v1.5's names, with the tenant as a property instead of a label:
 *
 * <pre>
 * (:ValueDictionary {tenant, key, value})     key = SymbolTable.key(id), value = the symbol
 * (:Tkn {tenant, value, lookupKeys})          value = lookupKeys = the token's keys joined by "|"
 * (:Tkn)-[:HAS_VALUE {order}]-&gt;(:ValueDictionary)   one per symbol position
 * (:Tkn)-[:D1 {session, idx}]-&gt;(:Tkn)          one per consecutive pair; idx = first token's index
 * (:TknSession {tenant, id, lastIdx})         highest D1 idx written for the session
 * </pre>
 *
 * <p>The server's kind comes from its Bolt agent; the schema (uniqueness constraints on (tenant,
 * value), (tenant, key), (tenant, id)) is created idempotently on first contact, which is retried
 * until the database can be reached. Thread-safe: the driver pools connections, and each write uses
 * its own Bolt session.
 *
 * <p>The driver's own retry is switched off: the pipeline retries with its own backoff and counts
 * every retry, so that trouble shows in metrics instead of as a stalled writer.
 */
public final class BoltGraphSink implements GraphSink {

  private static final Logger LOG = LoggerFactory.getLogger(BoltGraphSink.class);
  private static final long CONNECT_TIMEOUT_MS = 5_000;
  private static final long ACQUIRE_TIMEOUT_MS = 10_000;

  private final BoltConfig config;
  private final Driver driver;
  private final SessionConfig sessionConfig;
  private final Object schemaLock = new Object();
  private volatile GraphDialect dialect;
  private volatile String agent = "unknown server";

  private BoltGraphSink(BoltConfig config) {
    this.config = config;
    AuthToken auth =
        config.authenticated()
            ? AuthTokens.basic(config.user(), config.password())
            : AuthTokens.none();
    Config driverConfig =
        Config.builder()
            .withLogging(Logging.slf4j())
            .withMaxTransactionRetryTime(0, TimeUnit.MILLISECONDS)
            .withConnectionTimeout(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .withConnectionAcquisitionTimeout(ACQUIRE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .build();
    this.driver = GraphDatabase.driver(config.uri(), auth, driverConfig);
    this.sessionConfig =
        config.database().isEmpty()
            ? SessionConfig.defaultConfig()
            : SessionConfig.forDatabase(config.database());
  }

  /**
   * Creates the sink and tries to reach the database and create the schema. A database that is down
   * is not an error here (the sink reports not {@link #ready()} and tries again on the next write);
   * a permanent failure such as bad credentials is.
   *
   * @throws GraphWriteException if the database refused the connection or the schema for good
   */
  public static BoltGraphSink open(BoltConfig config) throws GraphWriteException {
    BoltGraphSink sink = new BoltGraphSink(Objects.requireNonNull(config, "config"));
    try {
      sink.ensureSchema();
    } catch (GraphWriteException e) {
      if (!e.transientFailure()) {
        sink.close();
        throw e;
      }
      LOG.warn("graph database not reachable yet at {}: {}", config.uri(), e.getMessage());
    }
    return sink;
  }

  @Override
  public void write(TokenBatch batch) throws GraphWriteException {
    ensureSchema();
    BatchStatements statements = BatchStatements.of(batch);
    Map<String, Object> names = Map.of("tenant", statements.tenant, "session", statements.session);
    try (Session session = driver.session(sessionConfig)) {
      session.executeWrite(
          tx -> {
            long previous =
                tx.run(
                        BatchStatements.SESSION,
                        Map.of(
                            "tenant", statements.tenant,
                            "session", statements.session,
                            "lastIdx", statements.lastPairIdx))
                    .single()
                    .get("previous")
                    .asLong();
            tx.run(
                    BatchStatements.DICTIONARY,
                    parameters(statements, "dict", statements.dictionary))
                .consume();
            tx.run(BatchStatements.TOKENS, parameters(statements, "tokens", statements.tokens))
                .consume();
            var pairs = statements.pairsAfter(previous);
            if (!pairs.isEmpty()) {
              tx.run(BatchStatements.PAIRS, parameters(statements, "pairs", pairs)).consume();
            }
            return null;
          });
    } catch (RuntimeException e) {
      throw failure("writing " + batch, e);
    }
  }

  private static Map<String, Object> parameters(
      BatchStatements statements, String key, Object value) {
    return Map.of("tenant", statements.tenant, "session", statements.session, key, value);
  }

  @Override
  public boolean ready() {
    try {
      driver.verifyConnectivity();
      ensureSchema();
      return true;
    } catch (GraphWriteException | RuntimeException e) {
      LOG.debug("graph database not ready at {}: {}", config.uri(), e.getMessage());
      return false;
    }
  }

  @Override
  public String describe() {
    GraphDialect known = dialect;
    return "bolt sink "
        + config.uri()
        + " ("
        + (known == null ? "not connected yet" : agent)
        + ", database "
        + (config.database().isEmpty() ? "default" : config.database())
        + ")";
  }

  /** The server kind, or null before the first successful contact. */
  GraphDialect dialect() {
    return dialect;
  }

  /**
   * Detects the server and creates the schema, once. Concurrent writers wait for the first; after a
   * failure the next caller tries again.
   */
  void ensureSchema() throws GraphWriteException {
    if (dialect != null) {
      return;
    }
    synchronized (schemaLock) {
      if (dialect != null) {
        return;
      }
      try (Session session = driver.session(sessionConfig)) {
        String serverAgent = session.run("RETURN 1").consume().server().agent();
        GraphDialect detected = GraphDialect.fromAgent(serverAgent);
        for (String statement : detected.schemaStatements()) {
          runSchemaStatement(session, detected, statement);
        }
        agent = serverAgent;
        dialect = detected;
        LOG.info("graph schema ready on {} ({}, {} dialect)", config.uri(), serverAgent, detected);
      } catch (RuntimeException e) {
        throw failure("creating the graph schema on " + config.uri(), e);
      }
    }
  }

  private static void runSchemaStatement(Session session, GraphDialect dialect, String statement) {
    try {
      session.run(statement).consume();
    } catch (ClientException e) {
      String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
      if (dialect == GraphDialect.MEMGRAPH && message.contains("already exists")) {
        return;
      }
      throw e;
    }
  }

  static GraphWriteException failure(String what, RuntimeException e) {
    boolean transientFailure =
        e instanceof RetryableException
            || e instanceof TransientException
            || e instanceof ServiceUnavailableException
            || e instanceof SessionExpiredException;
    return new GraphWriteException(what + " failed: " + e.getMessage(), e, transientFailure);
  }

  @Override
  public void close() {
    driver.close();
  }
}
