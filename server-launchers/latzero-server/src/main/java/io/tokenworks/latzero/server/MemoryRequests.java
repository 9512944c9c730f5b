package io.tokenworks.latzero.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.tokenworks.latzero.BlockData;
import io.tokenworks.latzero.CallRequest;
import io.tokenworks.latzero.FabricException;
import io.tokenworks.latzero.FabricSession;
import io.tokenworks.latzero.SessionMemory;
import io.tokenworks.latzero.memory.AttachMode;
import io.tokenworks.latzero.memory.Attachment;
import io.tokenworks.latzero.memory.BlockInfo;
import io.tokenworks.latzero.memory.BlockPermissions;
import io.tokenworks.latzero.memory.BlockType;
import io.tokenworks.latzero.memory.LockGrant;
import io.tokenworks.latzero.memory.LockInfo;
import io.tokenworks.latzero.memory.MemoryException;
import io.tokenworks.latzero.server.LatZeroConnection.Answer;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code memory} operations over the wire: create, attach, detach, read, write, lock, unlock,
 * subscribe, unsubscribe, notify, inspect, list and delete, each acting through the session's
 * {@link SessionMemory} (which checks membership, the pool's keys and the block's permissions).
 * Bytes travel as base64. Runs off the event loop.
 */
final class MemoryRequests {

  private static final Logger LOG = LoggerFactory.getLogger(MemoryRequests.class);

  private final LatZeroConnection connection;
  private final Frames frames;

  MemoryRequests(LatZeroConnection connection, ServerContext server) {
    this.connection = connection;
    this.frames = server.frames();
  }

  /** A block named on the wire: {@code "<pool>:<block>"}, or a block and the {@code pool} field. */
  record BlockName(String pool, String block) {
    String id() {
      return pool + ":" + block;
    }

    static BlockName parse(String blockId, String pool) {
      int colon = blockId.indexOf(':');
      if (colon >= 0) {
        return new BlockName(blockId.substring(0, colon), blockId.substring(colon + 1));
      }
      return new BlockName(pool == null ? CallRequest.DEFAULT_POOL : pool, blockId);
    }
  }

  Answer handle(FabricSession session, ObjectNode json, String id) {
    try {
      return Answer.of(execute(session.memory(), json, id));
    } catch (WireException e) {
      return Answer.of(connection.errorFrame(id, e.code(), e.getMessage()));
    } catch (FabricException e) {
      return Answer.of(connection.errorFrame(id, e.error().wireName(), e.getMessage()));
    } catch (MemoryException e) {
      return Answer.of(connection.errorFrame(id, e.error().name(), e.getMessage()));
    } catch (Frames.TooLarge e) {
      return Answer.of(connection.errorFrame(id, WireException.FRAME_TOO_LARGE, e.getMessage()));
    } catch (RuntimeException e) {
      LOG.warn("memory request of {} failed", session.appId(), e);
      return Answer.of(
          connection.errorFrame(id, WireException.INTERNAL_ERROR, "internal error: " + e));
    }
  }

  /** The admin {@code inspect_block}: the same view as the memory {@code inspect}. */
  ByteBuf inspectBlock(FabricSession session, String blockId, String id) {
    try {
      BlockName name = BlockName.parse(blockId, null);
      BlockInfo info = session.memory().inspect(name.pool(), name.block());
      return frames.response(connection.alloc(), id, out -> inspectView(out, info));
    } catch (MemoryException e) {
      return connection.errorFrame(id, e.error().name(), e.getMessage());
    }
  }

  private ByteBuf execute(SessionMemory memory, ObjectNode json, String id) {
    String operation = Wire.requiredText(json, "operation");
    String pool = Wire.text(json, "pool");
    if (operation.equals("list")) {
      String named = Wire.text(json, "block_id");
      String listed = pool != null ? pool : named == null ? CallRequest.DEFAULT_POOL : named;
      int colon = listed.indexOf(':');
      List<BlockInfo> blocks = memory.list(colon < 0 ? listed : listed.substring(0, colon));
      return respond(
          id,
          out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("blocks");
            for (BlockInfo info : blocks) {
              inspectView(out, info);
            }
            out.writeEndArray();
            out.writeEndObject();
          });
    }
    BlockName name = BlockName.parse(Wire.requiredText(json, "block_id"), pool);
    String p = name.pool();
    String b = name.block();
    return switch (operation) {
      case "create" -> created(id, name, create(memory, json, name));
      case "attach" -> {
        BlockInfo info = memory.attach(p, b, mode(json));
        yield respond(
            id,
            out -> {
              out.writeStartObject();
              out.writeStringField("block_id", name.id());
              out.writeNumberField("size", info.record().size());
              out.writeNumberField("version", info.version());
              out.writeStringField("path", info.file().toAbsolutePath().toString());
              out.writeEndObject();
            });
      }
      case "detach" -> {
        memory.detach(p, b, mode(json));
        yield flag(id, name, "detached", true);
      }
      case "read" -> read(memory, json, id, name);
      case "write" -> {
        long version = memory.write(p, b, offset(json), base64(json));
        yield respond(
            id,
            out -> {
              out.writeStartObject();
              out.writeStringField("block_id", name.id());
              out.writeNumberField("version", version);
              out.writeEndObject();
            });
      }
      case "lock" -> {
        LockGrant grant = memory.lock(p, b);
        yield respond(
            id,
            out -> {
              out.writeStartObject();
              out.writeStringField("block_id", name.id());
              out.writeNumberField("lock_id", grant.lockId());
              out.writeNumberField("expires_at", grant.expiresAtEpochMs());
              out.writeEndObject();
            });
      }
      case "unlock" -> {
        long lockId = Wire.integer(json, "lock_id", -1, 0, Long.MAX_VALUE);
        if (lockId < 0) {
          throw WireException.invalid("field lock_id is required (the lock's lock_id)");
        }
        memory.unlock(p, b, lockId);
        yield flag(id, name, "unlocked", true);
      }
      case "subscribe" -> {
        memory.subscribe(p, b);
        yield flag(id, name, "subscribed", true);
      }
      case "unsubscribe" -> {
        memory.unsubscribe(p, b);
        yield flag(id, name, "subscribed", false);
      }
      case "notify" -> {
        int told = memory.notify(p, b, Wire.payload(json, false));
        yield respond(
            id,
            out -> {
              out.writeStartObject();
              out.writeStringField("block_id", name.id());
              out.writeNumberField("notified", told);
              out.writeEndObject();
            });
      }
      case "inspect" -> {
        BlockInfo info = memory.inspect(p, b);
        yield respond(id, out -> inspectView(out, info));
      }
      case "delete" -> {
        memory.delete(p, b, Wire.bool(json, "force", false));
        yield flag(id, name, "deleted", true);
      }
      default ->
          throw WireException.invalid(
              "unknown memory operation="
                  + Requests.clip(operation)
                  + " (create, attach, detach, read, write, lock, unlock, subscribe, unsubscribe,"
                  + " notify, inspect, list, delete)");
    };
  }

  private static BlockInfo create(SessionMemory memory, ObjectNode json, BlockName name) {
    long size = Wire.integer(json, "size", -1, 1, Integer.MAX_VALUE);
    if (size < 0) {
      throw WireException.invalid("field size is required (bytes, at least 1)");
    }
    ObjectNode permissions = Wire.object(json, "permissions");
    BlockPermissions acl =
        permissions == null
            ? BlockPermissions.EVERYONE
            : new BlockPermissions(
                listOr(permissions, "read", BlockPermissions.EVERYONE.read()),
                listOr(permissions, "write", BlockPermissions.EVERYONE.write()));
    return memory.create(
        name.pool(),
        name.block(),
        (int) size,
        BlockType.fromWire(blockType(json)),
        acl,
        Wire.bool(json, "persistent", false));
  }

  /**
   * The block type: {@code block_type}, else a {@code type} that is not {@code memory} (upstream's
   * test client's duplicate key leaves the block type there), else {@code shared}.
   */
  private static String blockType(ObjectNode json) {
    String type = Wire.text(json, "block_type");
    if (type != null) {
      return type;
    }
    String messageType = Wire.text(json, "type");
    return messageType == null || messageType.equals("memory") ? "shared" : messageType;
  }

  private static List<String> listOr(ObjectNode container, String name, List<String> fallback) {
    return container.has(name) ? Wire.strings(container, name) : fallback;
  }

  private ByteBuf created(String id, BlockName name, BlockInfo info) {
    return respond(
        id,
        out -> {
          out.writeStartObject();
          out.writeStringField("block_id", name.id());
          out.writeStringField("pool", name.pool());
          out.writeStringField("block", name.block());
          out.writeNumberField("size", info.record().size());
          out.writeNumberField("version", info.version());
          out.writeStringField("path", info.file().toAbsolutePath().toString());
          out.writeEndObject();
        });
  }

  private ByteBuf read(SessionMemory memory, ObjectNode json, String id, BlockName name) {
    int offset = offset(json);
    long length = Wire.integer(json, "length", -1, 0, Integer.MAX_VALUE);
    if (length < 0) {
      length = Math.max(0, memory.inspect(name.pool(), name.block()).record().size() - offset);
    }
    BlockData data = memory.read(name.pool(), name.block(), offset, (int) length);
    return respond(
        id,
        out -> {
          out.writeStartObject();
          out.writeStringField("block_id", name.id());
          out.writeFieldName("data");
          out.writeBinary(data.data());
          out.writeNumberField("version", data.version());
          out.writeEndObject();
        });
  }

  private ByteBuf flag(String id, BlockName name, String field, boolean value) {
    return respond(
        id,
        out -> {
          out.writeStartObject();
          out.writeStringField("block_id", name.id());
          out.writeBooleanField(field, value);
          out.writeEndObject();
        });
  }

  private ByteBuf respond(String id, Frames.Body result) {
    return frames.response(connection.alloc(), id, result);
  }

  private static AttachMode mode(ObjectNode json) {
    return AttachMode.fromWire(Wire.textOr(json, "mode", "read"));
  }

  private static int offset(ObjectNode json) {
    return (int) Wire.integer(json, "offset", 0, 0, Integer.MAX_VALUE);
  }

  private static byte[] base64(ObjectNode json) {
    JsonNode data = json.get("data");
    if (data == null || !data.isTextual()) {
      throw WireException.invalid("field data is required: the bytes to write, base64");
    }
    try {
      return Base64.getDecoder().decode(data.textValue());
    } catch (IllegalArgumentException e) {
      throw WireException.invalid("field data is not valid base64: " + e.getMessage());
    }
  }

  static void inspectView(JsonGenerator out, BlockInfo info) throws IOException {
    out.writeStartObject();
    out.writeStringField("block_id", info.record().pool() + ":" + info.record().block());
    out.writeStringField("pool", info.record().pool());
    out.writeStringField("block", info.record().block());
    out.writeNumberField("size", info.record().size());
    out.writeStringField("block_type", info.record().type().wireName());
    out.writeBooleanField("persistent", info.record().persistent());
    out.writeObjectFieldStart("permissions");
    Frames.writeStrings(out, "read", info.record().permissions().read());
    Frames.writeStrings(out, "write", info.record().permissions().write());
    out.writeEndObject();
    out.writeStringField("created_by", info.record().createdBy());
    out.writeNumberField("created", info.record().createdAtEpochMs());
    out.writeNumberField("version", info.version());
    out.writeArrayFieldStart("attachments");
    for (Attachment attachment : info.attachments()) {
      out.writeStartObject();
      out.writeStringField("app_id", attachment.appId());
      out.writeNumberField("read", attachment.readCount());
      out.writeNumberField("write", attachment.writeCount());
      out.writeEndObject();
    }
    out.writeEndArray();
    out.writeFieldName("lock");
    if (info.lock().isPresent()) {
      LockInfo lock = info.lock().get();
      out.writeStartObject();
      out.writeNumberField("lock_id", lock.fencingToken());
      out.writeNumberField("owner_id", lock.ownerId());
      out.writeNumberField("expires_at", lock.expiresAtEpochMs());
      out.writeEndObject();
    } else {
      out.writeNull();
    }
    out.writeNumberField("last_access", info.lastAccessEpochMs());
    out.writeStringField("path", info.file().toAbsolutePath().toString());
    out.writeEndObject();
  }
}
