package io.tokenworks.tkn.graph;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * A real Neo4j 5.26 (Community) started in-process for tests: Bolt on 127.0.0.1 (an ephemeral port
 * unless one is given), no authentication, no HTTP, data under the test's temporary directory.
 * Assertions query it through the embedded API, independently of the driver under test.
 *
 * <p>Starting Neo4j takes tens of seconds on a busy two-core machine, so the test classes share one
 * instance per test JVM ({@link #shared()}), each test writing to its own tenant; it is shut down
 * and its directory deleted when the JVM exits.
 */
public final class EmbeddedNeo4j implements AutoCloseable {

  private static EmbeddedNeo4j shared;

  private final DatabaseManagementService dbms;
  private final GraphDatabaseService db;
  private final int boltPort;

  private EmbeddedNeo4j(Path directory, int port) {
    dbms =
        new DatabaseManagementServiceBuilder(directory)
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
            .setConfig(HttpConnector.enabled, false)
            .setConfig(GraphDatabaseSettings.auth_enabled, false)
            .setConfig(GraphDatabaseSettings.pagecache_memory, 16L * 1024 * 1024)
            .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
            .build();
    db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
    boltPort =
        ((GraphDatabaseAPI) db)
            .getDependencyResolver()
            .resolveDependency(ConnectorPortRegister.class)
            .getLocalAddress(ConnectorType.BOLT)
            .getPort();
  }

  /** The instance shared by this test JVM, started on first use. */
  public static synchronized EmbeddedNeo4j shared() {
    if (shared == null) {
      Path directory;
      try {
        directory = Files.createTempDirectory("tkn-neo4j-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedNeo4j started = start(directory);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    started.close();
                    deleteRecursively(directory);
                  },
                  "embedded-neo4j-shutdown"));
      shared = started;
    }
    return shared;
  }

  private static void deleteRecursively(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // best effort at JVM exit
    }
  }

  /** Starts with Bolt on an ephemeral port. */
  public static EmbeddedNeo4j start(Path directory) {
    return new EmbeddedNeo4j(directory, 0);
  }

  /** Starts with Bolt on {@code port}. */
  public static EmbeddedNeo4j start(Path directory, int port) {
    return new EmbeddedNeo4j(directory, port);
  }

  public String boltUri() {
    return "bolt://127.0.0.1:" + boltPort;
  }

  public BoltConfig boltConfig() {
    return new BoltConfig(boltUri(), "", "", "");
  }

  /** Rows of a read query, each column by name. */
  public List<Map<String, Object>> rows(String cypher, Map<String, Object> parameters) {
    return db.executeTransactionally(
        cypher,
        parameters,
        result -> {
          List<Map<String, Object>> rows = new ArrayList<>();
          result.forEachRemaining(rows::add);
          return rows;
        });
  }

  /** The single number a counting query returns. */
  public long count(String cypher, Map<String, Object> parameters) {
    List<Map<String, Object>> rows = rows(cypher, parameters);
    return ((Number) rows.get(0).values().iterator().next()).longValue();
  }

  @Override
  public void close() {
    dbms.shutdown();
  }
}
