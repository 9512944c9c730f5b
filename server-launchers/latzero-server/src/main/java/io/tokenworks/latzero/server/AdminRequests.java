package io.tokenworks.latzero.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.tokenworks.latzero.AppInfo;
import io.tokenworks.latzero.FabricError;
import io.tokenworks.latzero.FabricException;
import io.tokenworks.latzero.FabricSession;
import io.tokenworks.latzero.FabricStatus;
import io.tokenworks.latzero.pool.PoolInfo;
import io.tokenworks.latzero.pool.PoolPolicies;
import io.tokenworks.latzero.pool.PoolSpec;
import io.tokenworks.latzero.pool.PoolType;
import io.tokenworks.latzero.security.TripleKey;
import io.tokenworks.latzero.server.LatZeroConnection.Answer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code admin} operations: {@code list_pools}, {@code inspect_pool}, {@code create_pool},
 * {@code delete_pool}, {@code list_apps}, {@code inspect_block}, {@code server_status} and {@code
 * shutdown}. Parameters come from {@code params}, or from the message itself (and {@code target}
 * for a name), as upstream's clients put them in either place. The fabric decides who may do what:
 * listing apps, the status and shutdown are for fabric admins. Runs off the event loop.
 */
final class AdminRequests {

  private static final Logger LOG = LoggerFactory.getLogger(AdminRequests.class);

  private final LatZeroConnection connection;
  private final ServerContext server;
  private final Frames frames;
  private final MemoryRequests memory;

  AdminRequests(LatZeroConnection connection, ServerContext server, MemoryRequests memory) {
    this.connection = connection;
    this.server = server;
    this.frames = server.frames();
    this.memory = memory;
  }

  Answer handle(FabricSession session, ObjectNode json, String id) {
    try {
      return execute(session, json, id);
    } catch (WireException e) {
      return Answer.of(connection.errorFrame(id, e.code(), e.getMessage()));
    } catch (FabricException e) {
      return Answer.of(connection.errorFrame(id, e.error().wireName(), e.getMessage()));
    } catch (Frames.TooLarge e) {
      return Answer.of(connection.errorFrame(id, WireException.FRAME_TOO_LARGE, e.getMessage()));
    } catch (RuntimeException e) {
      LOG.warn("admin request of {} failed", session.appId(), e);
      return Answer.of(
          connection.errorFrame(id, WireException.INTERNAL_ERROR, "internal error: " + e));
    }
  }

  private Answer execute(FabricSession session, ObjectNode json, String id) {
    String operation = Wire.requiredText(json, "operation");
    ObjectNode params = Wire.object(json, "params");
    if (operation.equals("shutdown")) {
      requireAdmin(session);
      LOG.info("shutdown requested by {}", session.appId());
      return new Answer(
          frames.response(
              connection.alloc(),
              id,
              out -> {
                out.writeStartObject();
                out.writeBooleanField("shutting_down", true);
                out.writeEndObject();
              }),
          server.shutdown());
    }
    if (operation.equals("inspect_block")) {
      return Answer.of(memory.inspectBlock(session, blockId(json, params), id));
    }
    return Answer.of(query(session, operation, json, params, id));
  }

  private ByteBuf query(
      FabricSession session, String operation, ObjectNode json, ObjectNode params, String id) {
    switch (operation) {
      case "list_pools" -> {
        List<PoolInfo> pools = session.listPools();
        return frames.response(
            connection.alloc(),
            id,
            out -> {
              out.writeStartObject();
              out.writeArrayFieldStart("pools");
              for (PoolInfo pool : pools) {
                Views.pool(out, pool);
              }
              out.writeEndArray();
              out.writeEndObject();
            });
      }
      case "inspect_pool" -> {
        PoolInfo pool = session.inspectPool(name(json, params));
        return frames.response(connection.alloc(), id, out -> Views.pool(out, pool));
      }
      case "create_pool" -> {
        PoolInfo pool = session.createPool(poolSpec(json, params));
        try {
          return frames.response(connection.alloc(), id, out -> Views.createdPool(out, pool));
        } finally {
          // The keys leave the server once, in this frame; the fabric kept only verifiers.
          pool.issuedKeys().ifPresent(TripleKey::destroy);
        }
      }
      case "delete_pool" -> {
        String name = name(json, params);
        session.deletePool(name);
        return frames.response(
            connection.alloc(),
            id,
            out -> {
              out.writeStartObject();
              out.writeStringField("deleted", name);
              out.writeEndObject();
            });
      }
      case "list_apps" -> {
        List<AppInfo> apps = session.listApps();
        return frames.response(
            connection.alloc(),
            id,
            out -> {
              out.writeStartObject();
              out.writeArrayFieldStart("apps");
              for (AppInfo app : apps) {
                Views.app(out, app, frames.mapper());
              }
              out.writeEndArray();
              out.writeEndObject();
            });
      }
      case "server_status" -> {
        return status(session, id);
      }
      default ->
          throw WireException.invalid(
              "unknown admin operation="
                  + Requests.clip(operation)
                  + " (list_pools, inspect_pool, create_pool, delete_pool, list_apps, inspect_block,"
                  + " server_status, shutdown)");
    }
  }

  private ByteBuf status(FabricSession session, String id) {
    FabricStatus status = session.status();
    long now = System.currentTimeMillis();
    LatZeroServerConfig config = server.config();
    return frames.response(
        connection.alloc(),
        id,
        out -> {
          out.writeStartObject();
          out.writeStringField("server_version", Frames.SERVER_VERSION);
          out.writeStringField("protocol_version", Frames.PROTOCOL_VERSION);
          out.writeNumberField("pid", ProcessHandle.current().pid());
          out.writeNumberField("started", server.startedMs());
          out.writeNumberField("uptime_ms", now - server.startedMs());
          out.writeNumberField("connections", server.connections().getAsInt());
          out.writeStringField("data_dir", config.dataDirectory().toAbsolutePath().toString());
          out.writeBooleanField("tls", config.enableTls());
          out.writeFieldName("fabric");
          Views.status(out, status);
          out.writeEndObject();
        });
  }

  private static String blockId(ObjectNode json, ObjectNode params) {
    String blockId = params == null ? null : Wire.text(params, "block_id");
    if (blockId == null) {
      blockId = Wire.text(json, "block_id", "target");
    }
    if (blockId == null || blockId.isEmpty()) {
      throw WireException.invalid("params.block_id is required (\"<pool>:<block>\")");
    }
    return blockId;
  }

  /** Fabric admins only (the admin apps of the config, and the token-holding admin app). */
  private static void requireAdmin(FabricSession session) {
    if (!session.isAdmin()) {
      throw new FabricException(
          FabricError.ACCESS_DENIED, "app " + session.appId() + " is not a fabric admin");
    }
  }

  /** The pool name: {@code params.name}, else {@code name}, else {@code target}. */
  private static String name(ObjectNode json, ObjectNode params) {
    String name = params == null ? null : Wire.text(params, "name");
    if (name == null) {
      name = Wire.text(json, "name", "target");
    }
    if (name == null || name.isEmpty()) {
      throw WireException.invalid("params.name is required (the pool name)");
    }
    return name;
  }

  private static PoolSpec poolSpec(ObjectNode json, ObjectNode params) {
    ObjectNode source = params == null ? json : params;
    PoolSpec.Builder spec = PoolSpec.builder(name(json, params));
    // Without params the message's own "type" is "admin": the pool type is then pool_type.
    String type =
        source == json ? Wire.text(source, "pool_type") : Wire.text(source, "type", "pool_type");
    if (type != null) {
      spec.type(PoolType.fromWireName(type));
    }
    ObjectNode policies = Wire.object(source, "policies");
    if (policies != null) {
      Map<String, List<String>> map = new LinkedHashMap<>();
      for (String policy : List.of("read", "write", "execute", "admin")) {
        if (policies.has(policy)) {
          map.put(policy, Wire.strings(policies, policy));
        }
      }
      spec.policies(PoolPolicies.fromMap(map));
    }
    List<String> owners = Wire.strings(source, "owners");
    spec.owners(owners.toArray(String[]::new));
    String description = Wire.text(source, "description");
    if (description != null) {
      spec.description(description);
    }
    return spec.build();
  }
}
