package io.tokenworks.protocol.latzero.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;

/**
 * A client of a LatZero server (Gen-1 protocol: 4-byte big-endian length + UTF-8 JSON), bound to
 * one app id for its whole life: it handshakes on connect, then calls triggers of other apps,
 * answers calls to its own, emits events, administers pools and uses shared-memory blocks ({@link
 * #memory()}).
 *
 * <pre>{@code
 * try (LatZeroClient echo = LatZeroClient.connect("latzero://echo-app",
 *         LatZeroClientOptions.builder().trigger("echo", call -> call.payload()).build());
 *     LatZeroClient caller = LatZeroClient.connect("latzero://caller")) {
 *   JsonNode result = caller.call("default", "echo", payload).get();
 * }
 * }</pre>
 *
 * <p><b>Pipelining.</b> Any number of requests (up to {@link
 * LatZeroClientOptions#maxOutstanding()}) may await their answers on one connection; answers are
 * matched by id. Writes from many threads are serialized and flushed as a group. One more request
 * than the limit fails at once with {@link LatZeroClientException#OVERLOADED}, sending nothing.
 *
 * <p><b>Threads.</b> A reader thread receives everything and completes futures, so stages chained
 * to them without an {@code ...Async} variant run there and must not block on this client. Trigger
 * handlers, emit and block listeners run on the handler executor, never on the reader. All methods
 * are thread-safe.
 *
 * <p><b>Errors.</b> A refused or failed request completes its future exceptionally with a {@link
 * LatZeroClientException} whose {@link LatZeroClientException#code()} is the server's {@code
 * error_code}; blocking methods throw it. When the connection ends, every pending request fails
 * with the reason (the server's last connection-level error, e.g. {@code SERVICE_UNAVAILABLE}, or
 * {@link LatZeroClientException#CONNECTION_CLOSED}).
 */
public final class LatZeroClient implements AutoCloseable {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 45227;

  private static final String SCHEME = "latzero://";

  private final String appId;
  private final LatZeroClientOptions options;
  private final ClientFrames frames;
  private final Requests requests;
  private final ClientConnection connection;
  private final ExecutorService ownExecutor;
  private final Handlers handlers;
  private final RemoteMemory memory;
  private volatile List<String> pools = List.of();
  private volatile List<String> triggers = List.of();
  private volatile boolean rehydrated;
  private volatile boolean closing;

  private LatZeroClient(String appId, LatZeroClientOptions options, Socket socket, String peer)
      throws IOException {
    this.appId = appId;
    this.options = options;
    this.frames = new ClientFrames(options.maxFrameBytes());
    this.requests = new Requests(options.maxOutstanding(), options.requestTimeout());
    Executor handlerExecutor;
    if (options.handlerExecutor() != null) {
      handlerExecutor = options.handlerExecutor();
      this.ownExecutor = null;
    } else {
      this.ownExecutor =
          Executors.newFixedThreadPool(
              options.handlerThreads(),
              task -> {
                Thread thread = new Thread(task, "latzero-client-handler " + appId);
                thread.setDaemon(true);
                return thread;
              });
      handlerExecutor = ownExecutor;
    }
    this.memory = new RemoteMemory(this);
    this.connection =
        new ClientConnection(
            socket, options.maxFrameBytes(), new Dispatcher(this), appId + " " + peer);
    this.handlers = new Handlers(appId, frames, connection, handlerExecutor);
    options.triggers().forEach(handlers::putIfGiven);
  }

  /**
   * Connects to {@code latzero://APP_ID} (127.0.0.1:45227) or {@code latzero://APP_ID@host:port}
   * with the default options, and handshakes.
   */
  public static LatZeroClient connect(String uri) {
    return connect(uri, LatZeroClientOptions.defaults());
  }

  /** Connects to a {@code latzero://} URI with {@code options}, and handshakes. */
  public static LatZeroClient connect(String uri, LatZeroClientOptions options) {
    Objects.requireNonNull(uri, "uri");
    if (!uri.startsWith(SCHEME)) {
      throw new IllegalArgumentException("uri=" + uri + " must start with latzero://");
    }
    String rest = uri.substring(SCHEME.length());
    String host = DEFAULT_HOST;
    int port = DEFAULT_PORT;
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      String address = rest.substring(at + 1);
      rest = rest.substring(0, at);
      int colon = address.lastIndexOf(':');
      if (colon >= 0) {
        try {
          port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("uri=" + uri + " has a bad port");
        }
        address = address.substring(0, colon);
      }
      if (!address.isEmpty()) {
        host = address;
      }
    }
    return connect(host, port, rest, options);
  }

  /**
   * Connects to {@code host:port} as {@code appId}, handshakes and waits for the acknowledgement.
   *
   * @throws LatZeroClientException {@link LatZeroClientException#CONNECTION_CLOSED} when the server
   *     cannot be reached, or the server's code when it refuses the handshake ({@code
   *     HANDSHAKE_ERROR}, {@code POOL_NOT_FOUND}, {@code ACCESS_DENIED}, ...)
   */
  public static LatZeroClient connect(
      String host, int port, String appId, LatZeroClientOptions options) {
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(options, "options");
    Socket socket = null;
    LatZeroClient client;
    String peer = host + ":" + port;
    try {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), (int) options.connectTimeout().toMillis());
      if (options.sslContext() != null) {
        SSLSocket tls =
            (SSLSocket)
                options.sslContext().getSocketFactory().createSocket(socket, host, port, true);
        tls.startHandshake();
        socket = tls;
      }
      client = new LatZeroClient(appId, options, socket, peer);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new LatZeroClientException(
          LatZeroClientException.CONNECTION_CLOSED,
          "cannot connect to " + peer + ": " + e.getMessage(),
          e);
    }
    client.connection.start();
    try {
      client.handshake();
    } catch (RuntimeException e) {
      client.abort(e);
      throw e;
    }
    return client;
  }

  private void handshake() {
    JsonNode ack =
        requests.await(
            requests.send(
                connection,
                frames,
                "handshake",
                false,
                json -> {
                  json.writeStringField("app_id", appId);
                  if (!options.pools().isEmpty()) {
                    ClientFrames.strings(json, "pools", options.pools());
                  }
                  ClientFrames.strings(
                      json, "triggers", new ArrayList<>(options.triggers().keySet()));
                  if (options.metadata() != null) {
                    frames.tree(json, "metadata", options.metadata());
                  }
                  json.writeBooleanField("rehydrate", options.rehydrate());
                  if (!options.credentials().isEmpty()) {
                    json.writeObjectFieldStart("credentials");
                    for (var pool : options.credentials().entrySet()) {
                      json.writeObjectFieldStart(pool.getKey());
                      for (var key : pool.getValue().entrySet()) {
                        json.writeStringField(key.getKey(), key.getValue());
                      }
                      json.writeEndObject();
                    }
                    json.writeEndObject();
                  }
                  if (options.adminToken() != null) {
                    json.writeStringField("admin_token", options.adminToken());
                  }
                }));
    JsonNode assigned = ack.path("assigned");
    pools = strings(assigned.path("pools"));
    triggers = strings(assigned.path("triggers"));
    rehydrated = assigned.path("rehydrated").asBoolean(false);
  }

  /** The app id this client is bound to. */
  public String appId() {
    return appId;
  }

  /** The pools the server assigned at the handshake. */
  public List<String> pools() {
    return pools;
  }

  /** The triggers the server assigned at the handshake (for a rehydration, the stored ones). */
  public List<String> triggers() {
    return triggers;
  }

  /** Whether the server restored this app's stored pools and triggers. */
  public boolean rehydrated() {
    return rehydrated;
  }

  /** Requests awaiting an answer now. */
  public int outstanding() {
    return requests.outstanding();
  }

  /**
   * Answers calls to {@code trigger} with {@code handler} from now on, replacing any earlier one.
   *
   * @throws IllegalArgumentException when the handshake did not register {@code trigger} (the
   *     server would never route it here): declare it in {@link
   *     LatZeroClientOptions.Builder#triggers}
   */
  public LatZeroClient onTrigger(String trigger, TriggerHandler handler) {
    requireRegistered(trigger);
    handlers.trigger(trigger, Objects.requireNonNull(handler, "handler"));
    return this;
  }

  /** Hears events emitted under {@code trigger} in this client's pools. */
  public LatZeroClient onEmit(String trigger, Consumer<Emitted> listener) {
    requireRegistered(trigger);
    handlers.emit(trigger, Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Hears error frames that answer no pending request: a refused emit, or the server's reason for
   * closing the connection. Runs on the handler executor.
   */
  public LatZeroClient onServerError(Consumer<LatZeroClientException> listener) {
    handlers.error(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  private void requireRegistered(String trigger) {
    if (!triggers.contains(trigger)) {
      throw new IllegalArgumentException(
          "trigger="
              + trigger
              + " is not registered for app "
              + appId
              + "; registered: "
              + triggers);
    }
  }

  /** Calls {@code trigger} in {@code pool} on the next handler, with the server's default ttl. */
  public CompletableFuture<JsonNode> call(String pool, String trigger, JsonNode payload) {
    return call(pool, trigger, payload, null, null);
  }

  /** Calls {@code trigger} in {@code pool} on the next handler, with deadline {@code deadline}. */
  public CompletableFuture<JsonNode> call(
      String pool, String trigger, JsonNode payload, Duration deadline) {
    return call(pool, trigger, payload, null, deadline);
  }

  /**
   * Calls {@code trigger} in {@code pool} on app {@code destination} (or round-robin when null),
   * with deadline {@code deadline} (or the server's default, 30 s, when null).
   *
   * @return completes with the handler's result, or exceptionally with a {@link
   *     LatZeroClientException}: {@code TIMEOUT}, {@code HANDLER_GONE}, {@code HANDLER_ERROR},
   *     {@code OVERLOADED}, {@code NOT_MEMBER}, {@code TRIGGER_ROUTING_ERROR}, ...
   */
  public CompletableFuture<JsonNode> call(
      String pool, String trigger, JsonNode payload, String destination, Duration deadline) {
    Objects.requireNonNull(trigger, "trigger");
    return requests.send(
        connection,
        frames,
        "trigger",
        true,
        json -> {
          json.writeStringField("trigger", trigger);
          frames.tree(json, "payload", payload);
          json.writeStringField("pool", pool == null ? "default" : pool);
          if (destination != null) {
            json.writeStringField("destination", destination);
          }
          if (deadline != null) {
            json.writeNumberField("ttl", Math.max(1, deadline.toMillis()));
          }
        });
  }

  /**
   * Emits an event to every handler of {@code trigger} in {@code pool}. Nothing answers a delivered
   * emit; a refusal reaches {@link #onServerError} listeners.
   */
  public void emit(String pool, String trigger, JsonNode payload) {
    Objects.requireNonNull(trigger, "trigger");
    connection.send(
        frames.frame(
            "emit",
            ClientFrames.uuid(),
            json -> {
              json.writeStringField("trigger", trigger);
              frames.tree(json, "payload", payload);
              json.writeStringField("pool", pool == null ? "default" : pool);
            }));
  }

  /** Sends {@code ping}; completes with the server's {@code pong}. */
  public CompletableFuture<JsonNode> ping() {
    return requests.send(connection, frames, "ping", false, json -> {});
  }

  /** Shared-memory blocks over the wire, and zero-copy on the same host. */
  public RemoteMemory memory() {
    return memory;
  }

  /**
   * Sends an {@code admin} operation with {@code params} (may be null); completes with its result.
   */
  public CompletableFuture<JsonNode> admin(String operation, ObjectNode params) {
    return requests.send(
        connection,
        frames,
        "admin",
        true,
        json -> {
          json.writeStringField("operation", operation);
          if (params != null) {
            frames.tree(json, "params", params);
          }
        });
  }

  /**
   * Creates a pool of {@code type} ({@code local} or {@code encrypted}). For an encrypted pool the
   * result's {@code keys} holds its three keys; the server does not keep them and will never send
   * them again.
   */
  public ObjectNode createPool(String name, String type) {
    ObjectNode params = frames.mapper().createObjectNode().put("name", name).put("type", type);
    return (ObjectNode) await(admin("create_pool", params));
  }

  /** Creates a pool from full parameters: {@code name}, {@code type}, {@code policies}, ... */
  public ObjectNode createPool(ObjectNode params) {
    return (ObjectNode) await(admin("create_pool", params));
  }

  public void deletePool(String name) {
    await(admin("delete_pool", frames.mapper().createObjectNode().put("name", name)));
  }

  public List<ObjectNode> listPools() {
    return objects(await(admin("list_pools", null)).path("pools"));
  }

  public ObjectNode inspectPool(String name) {
    return (ObjectNode)
        await(admin("inspect_pool", frames.mapper().createObjectNode().put("name", name)));
  }

  /** Every app the server knows (fabric admins only). */
  public List<ObjectNode> listApps() {
    return objects(await(admin("list_apps", null)).path("apps"));
  }

  /** The server's status (fabric admins only). */
  public ObjectNode serverStatus() {
    return (ObjectNode) await(admin("server_status", null));
  }

  /** Asks the server to stop (fabric admins only); returns once it has acknowledged. */
  public void shutdownServer() {
    await(admin("shutdown", null));
  }

  /** Waits for {@code answer} up to the request timeout; rethrows its failure. */
  JsonNode await(CompletableFuture<JsonNode> answer) {
    return requests.await(answer);
  }

  /** Sends a memory operation; used by {@link RemoteMemory}. */
  JsonNode memoryRequest(String operation, String blockId, ClientFrames.Body fields) {
    return await(
        requests.send(
            connection,
            frames,
            "memory",
            true,
            json -> {
              json.writeStringField("operation", operation);
              json.writeStringField("block_id", blockId);
              fields.write(json);
            }));
  }

  ClientFrames frames() {
    return frames;
  }

  /**
   * Closes gracefully: stops taking requests, lets handlers that are running send their answers,
   * half-closes so the server reads every frame sent, then closes. Pending requests fail with
   * {@link LatZeroClientException#CONNECTION_CLOSED}. Idempotent.
   */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    if (ownExecutor != null) {
      ownExecutor.shutdown();
      try {
        ownExecutor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    requests.closing();
    connection.shutdownOutput();
    try {
      connection.awaitReader(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connection.fail(
        new LatZeroClientException(LatZeroClientException.CONNECTION_CLOSED, "the client closed"));
    if (ownExecutor != null) {
      ownExecutor.shutdownNow();
    }
  }

  /** Closes at once, without the graceful wait: nothing was agreed that needs flushing. */
  private void abort(RuntimeException reason) {
    closing = true;
    requests.closing();
    connection.fail(
        new LatZeroClientException(
            LatZeroClientException.CONNECTION_CLOSED, "handshake failed: " + reason.getMessage()));
    if (ownExecutor != null) {
      ownExecutor.shutdownNow();
    }
  }

  Handlers handlers() {
    return handlers;
  }

  Requests requests() {
    return requests;
  }

  RemoteMemory remoteMemory() {
    return memory;
  }

  static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    for (JsonNode element : array) {
      values.add(element.asText());
    }
    return List.copyOf(values);
  }

  static List<ObjectNode> objects(JsonNode array) {
    List<ObjectNode> values = new ArrayList<>();
    for (JsonNode element : array) {
      if (element instanceof ObjectNode object) {
        values.add(object);
      }
    }
    return values;
  }

  private static void closeQuietly(Socket socket) {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // Nothing to add to the connect failure.
      }
    }
  }
}
