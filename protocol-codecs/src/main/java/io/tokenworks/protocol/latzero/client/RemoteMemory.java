package io.tokenworks.protocol.latzero.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenworks.protocol.latzero.block.BlockAccess;
import io.tokenworks.protocol.latzero.block.SharedBlock;
import io.tokenworks.protocol.latzero.block.SharedBlockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A {@link LatZeroClient}'s shared-memory blocks: every operation goes over the wire as a {@code
 * memory} message and acts as the client's session (attachments, locks and subscriptions end with
 * it). Blocks are named by pool and block name. A process on the server's host can skip the wire
 * for reads and writes with {@link #openShared}. Every method blocks up to the client's request
 * timeout and throws {@link LatZeroClientException} with the server's code ({@code
 * BLOCK_NOT_FOUND}, {@code OUT_OF_BOUNDS}, {@code ACCESS_DENIED}, {@code LOCK_HELD}, ...).
 */
public final class RemoteMemory {

  private final LatZeroClient client;
  private final Map<String, Consumer<BlockEvent>> listeners = new ConcurrentHashMap<>();

  RemoteMemory(LatZeroClient client) {
    this.client = client;
  }

  /** Creates a zeroed block of {@code size} bytes that every app may read and write. */
  public RemoteBlock create(String pool, String block, int size) {
    return create(pool, block, size, List.of("*"), List.of("*"), false);
  }

  /**
   * Creates a zeroed block.
   *
   * @param readers app ids that may read ({@code "*"} for all)
   * @param writers app ids that may write
   * @param persistent whether idle collection must keep it
   */
  public RemoteBlock create(
      String pool,
      String block,
      int size,
      List<String> readers,
      List<String> writers,
      boolean persistent) {
    JsonNode result =
        request(
            "create",
            pool,
            block,
            json -> {
              json.writeNumberField("size", size);
              json.writeObjectFieldStart("permissions");
              ClientFrames.strings(json, "read", readers);
              ClientFrames.strings(json, "write", writers);
              json.writeEndObject();
              json.writeStringField("block_type", "shared");
              json.writeBooleanField("persistent", persistent);
            });
    return remoteBlock(pool, block, result);
  }

  /** Attaches this client's session for reading, or for reading and writing. */
  public RemoteBlock attach(String pool, String block, boolean write) {
    JsonNode result =
        request("attach", pool, block, json -> json.writeStringField("mode", mode(write)));
    return remoteBlock(pool, block, result);
  }

  public void detach(String pool, String block, boolean write) {
    request("detach", pool, block, json -> json.writeStringField("mode", mode(write)));
  }

  /** Reads {@code length} bytes from {@code offset}, all from one content version. */
  public BlockRead read(String pool, String block, int offset, int length) {
    JsonNode result =
        request(
            "read",
            pool,
            block,
            json -> {
              json.writeNumberField("offset", offset);
              json.writeNumberField("length", length);
            });
    return new BlockRead(
        Base64.getDecoder().decode(result.path("data").asText("")),
        result.path("version").asLong());
  }

  /** Writes {@code data} at {@code offset} as one new version; returns it. Needs a write attach. */
  public long write(String pool, String block, int offset, byte[] data) {
    Objects.requireNonNull(data, "data");
    JsonNode result =
        request(
            "write",
            pool,
            block,
            json -> {
              json.writeNumberField("offset", offset);
              json.writeFieldName("data");
              json.writeBinary(data);
            });
    return result.path("version").asLong();
  }

  public BlockLock lock(String pool, String block) {
    JsonNode result = request("lock", pool, block, json -> {});
    return new BlockLock(result.path("lock_id").asLong(), result.path("expires_at").asLong());
  }

  public void unlock(String pool, String block, long lockId) {
    request("unlock", pool, block, json -> json.writeNumberField("lock_id", lockId));
  }

  /**
   * Subscribes to the block's writes and notifies; {@code listener} (one per block, replacing an
   * earlier one) runs on the handler executor.
   */
  public void subscribe(String pool, String block, Consumer<BlockEvent> listener) {
    listeners.put(pool + ":" + block, Objects.requireNonNull(listener, "listener"));
    request("subscribe", pool, block, json -> {});
  }

  public void unsubscribe(String pool, String block) {
    request("unsubscribe", pool, block, json -> {});
    listeners.remove(pool + ":" + block);
  }

  /** Tells the block's subscribers {@code payload}; returns how many were told. */
  public int notify(String pool, String block, JsonNode payload) {
    JsonNode result =
        request("notify", pool, block, json -> client.frames().tree(json, "payload", payload));
    return result.path("notified").asInt();
  }

  /** Everything the server knows of the block: size, version, attachments, lock, path, ... */
  public ObjectNode inspect(String pool, String block) {
    return (ObjectNode) request("inspect", pool, block, json -> {});
  }

  /** The blocks of {@code pool} this app may read or write, as {@link #inspect} describes them. */
  public List<ObjectNode> list(String pool) {
    JsonNode result =
        client.memoryRequest("list", pool, json -> json.writeStringField("pool", pool));
    return LatZeroClient.objects(result.path("blocks"));
  }

  /** Deletes a block; unless {@code force}, refused while another session is attached. */
  public void delete(String pool, String block, boolean force) {
    request("delete", pool, block, json -> json.writeBooleanField("force", force));
  }

  /**
   * Attaches the block, then maps its file for zero-copy reads (and, with {@code write}, leased
   * writes; see {@link SharedBlock}). Works only on the server's host: elsewhere the file is not
   * there. The attachment lasts until {@link #detach} or the end of the client's session; the
   * caller closes the returned block.
   *
   * @param blockId {@code "<pool>:<block>"}
   * @throws LatZeroClientException {@link LatZeroClientException#NOT_LOCAL} when the block file is
   *     not on this host, or the server's code when the attach is refused
   */
  public SharedBlock openShared(String blockId, boolean write) {
    int colon = blockId.indexOf(':');
    String pool = colon < 0 ? "default" : blockId.substring(0, colon);
    String block = colon < 0 ? blockId : blockId.substring(colon + 1);
    RemoteBlock attached = attach(pool, block, write);
    Path path = attached.path() == null ? null : Path.of(attached.path());
    if (path == null || !Files.isRegularFile(path)) {
      detach(pool, block, write);
      throw new LatZeroClientException(
          LatZeroClientException.NOT_LOCAL,
          "block " + blockId + " lives at " + attached.path() + ", which is not on this host");
    }
    try {
      return SharedBlock.open(path, write ? BlockAccess.READ_WRITE : BlockAccess.READ_ONLY);
    } catch (SharedBlockException e) {
      detach(pool, block, write);
      throw new LatZeroClientException(
          LatZeroClientException.NOT_LOCAL, "cannot map " + path + ": " + e.getMessage(), e);
    }
  }

  void onEvent(BlockEvent event) {
    Consumer<BlockEvent> listener = listeners.get(event.blockId());
    if (listener != null) {
      client.handlers().run(() -> listener.accept(event));
    }
  }

  private JsonNode request(String operation, String pool, String block, ClientFrames.Body fields) {
    return client.memoryRequest(operation, pool + ":" + block, fields);
  }

  private static String mode(boolean write) {
    return write ? "write" : "read";
  }

  private static RemoteBlock remoteBlock(String pool, String block, JsonNode result) {
    JsonNode path = result.get("path");
    return new RemoteBlock(
        pool + ":" + block,
        pool,
        block,
        result.path("size").asInt(),
        result.path("version").asLong(),
        path == null || path.isNull() ? null : path.asText());
  }
}
