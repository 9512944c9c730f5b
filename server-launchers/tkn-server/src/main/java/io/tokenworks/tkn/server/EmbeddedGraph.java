package io.tokenworks.tkn.server;

import io.tokenworks.server.kit.ServerStartException;
import java.nio.file.Path;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.internal.helpers.HostnamePort;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TKN server's zero-setup graph: a Neo4j 5.26 running inside the server process, stored under
 * the data directory, with its Bolt connector on 127.0.0.1 so the server's own sink and any Cypher
 * tool ({@code cypher-shell -a bolt://127.0.0.1:7687}) reach it the same way. Authentication is off
 * because the connector only listens on loopback.
 */
final class EmbeddedGraph implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedGraph.class);

  /** Enough page cache for millions of tokens while leaving the heap to the server. */
  private static final long PAGE_CACHE_BYTES = 256L * 1024 * 1024;

  private final DatabaseManagementService dbms;
  private final int boltPort;

  private EmbeddedGraph(DatabaseManagementService dbms, int boltPort) {
    this.dbms = dbms;
    this.boltPort = boltPort;
  }

  /** Starts the database under {@code home}; {@code boltPort} 0 picks a free port. */
  static EmbeddedGraph start(Path home, int boltPort) {
    long started = System.nanoTime();
    DatabaseManagementService dbms;
    try {
      dbms =
          new DatabaseManagementServiceBuilder(home.toAbsolutePath())
              .setConfig(BoltConnector.enabled, true)
              .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", boltPort))
              .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", boltPort))
              .setConfig(GraphDatabaseSettings.auth_enabled, false)
              .setConfig(GraphDatabaseSettings.pagecache_memory, PAGE_CACHE_BYTES)
              .build();
    } catch (RuntimeException e) {
      throw new ServerStartException(
          "tkn: cannot start the embedded graph under "
              + home
              + " with Bolt on 127.0.0.1:"
              + boltPort
              + ": "
              + rootMessage(e)
              + " (set --bolt-port, or --graph bolt with MEMGRAPH_URI, or --graph none)",
          e);
    }
    int port;
    try {
      GraphDatabaseAPI database =
          (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
      HostnamePort bolt =
          database
              .getDependencyResolver()
              .resolveDependency(ConnectorPortRegister.class)
              .getLocalAddress(ConnectorType.BOLT);
      if (bolt == null) {
        throw new IllegalStateException("the Bolt connector did not start");
      }
      port = bolt.getPort();
    } catch (RuntimeException e) {
      dbms.shutdown();
      throw new ServerStartException(
          "tkn: the embedded graph started without Bolt: " + rootMessage(e), e);
    }
    LOG.info(
        "embedded graph: Neo4j under {} with Bolt on 127.0.0.1:{} ({} ms)",
        home.toAbsolutePath(),
        port,
        (System.nanoTime() - started) / 1_000_000);
    return new EmbeddedGraph(dbms, port);
  }

  int boltPort() {
    return boltPort;
  }

  String boltUri() {
    return "bolt://127.0.0.1:" + boltPort;
  }

  @Override
  public void close() {
    dbms.shutdown();
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }
}
