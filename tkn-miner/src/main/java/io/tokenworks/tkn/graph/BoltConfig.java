package io.tokenworks.tkn.graph;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where the {@link BoltGraphSink} connects. An empty {@code user} means no authentication (a
 * Memgraph started without users); an empty {@code database} means the server's default database.
 *
 * @param uri {@code bolt://host:port} or {@code neo4j://host:port}, optionally with {@code +s} or
 *     {@code +ssc} for TLS
 */
public record BoltConfig(String uri, String user, String password, String database) {

  private static final Set<String> SCHEMES =
      Set.of("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc");

  public BoltConfig {
    Objects.requireNonNull(uri, "uri");
    user = user == null ? "" : user;
    password = password == null ? "" : password;
    database = database == null ? "" : database;
    validateUri(uri);
  }

  private static void validateUri(String uri) {
    String scheme;
    try {
      scheme = new URI(uri).getScheme();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("graph uri=" + uri + " is not a URI: " + e.getMessage());
    }
    if (scheme == null || !SCHEMES.contains(scheme)) {
      throw new IllegalArgumentException(
          "graph uri="
              + uri
              + " needs one of the schemes "
              + String.join(", ", SCHEMES.stream().sorted().toList())
              + ", e.g. bolt://localhost:7687");
    }
  }

  /**
   * Reads the graph connection from environment variables, upstream's names first:
   *
   * <ul>
   *   <li>{@code MEMGRAPH_URI}, {@code MEMGRAPH_USER}, {@code MEMGRAPH_PASS}, {@code
   *       MEMGRAPH_DB_NAME} (upstream's names);
   *   <li>{@code NEO4J_URI}, {@code NEO4J_USER} or {@code NEO4J_USERNAME}, {@code NEO4J_PASSWORD},
   *       {@code NEO4J_DATABASE} (aliases).
   * </ul>
   *
   * <p>The family whose URI is set is used as a whole, so credentials meant for one server never go
   * to the other; when both URIs are set, {@code MEMGRAPH_*} wins. Blank values count as unset.
   *
   * @return empty when neither URI is set (the caller picks its default store)
   * @throws IllegalArgumentException if the URI is malformed or has an unsupported scheme
   */
  public static Optional<BoltConfig> fromEnvironment(Map<String, String> env) {
    String memgraphUri = get(env, "MEMGRAPH_URI");
    if (memgraphUri != null) {
      return Optional.of(
          new BoltConfig(
              memgraphUri,
              get(env, "MEMGRAPH_USER"),
              get(env, "MEMGRAPH_PASS"),
              get(env, "MEMGRAPH_DB_NAME")));
    }
    String neo4jUri = get(env, "NEO4J_URI");
    if (neo4jUri != null) {
      String user = get(env, "NEO4J_USER");
      return Optional.of(
          new BoltConfig(
              neo4jUri,
              user != null ? user : get(env, "NEO4J_USERNAME"),
              get(env, "NEO4J_PASSWORD"),
              get(env, "NEO4J_DATABASE")));
    }
    return Optional.empty();
  }

  private static String get(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** Whether a user name is configured (otherwise the driver connects without authentication). */
  public boolean authenticated() {
    return !user.isEmpty();
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "BoltConfig[uri="
        + uri
        + ", user="
        + (user.isEmpty() ? "(none)" : user)
        + ", password="
        + (password.isEmpty() ? "(none)" : "****")
        + ", database="
        + (database.isEmpty() ? "(default)" : database)
        + "]";
  }
}
