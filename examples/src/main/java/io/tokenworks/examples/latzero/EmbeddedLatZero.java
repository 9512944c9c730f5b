package io.tokenworks.examples.latzero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.tokenworks.latzero.BlockData;
import io.tokenworks.latzero.CallRequest;
import io.tokenworks.latzero.Delivery;
import io.tokenworks.latzero.FabricConfig;
import io.tokenworks.latzero.FabricError;
import io.tokenworks.latzero.FabricSession;
import io.tokenworks.latzero.Handshake;
import io.tokenworks.latzero.IncomingCall;
import io.tokenworks.latzero.LatZeroFabric;
import io.tokenworks.latzero.memory.AttachMode;
import io.tokenworks.latzero.memory.BlockPermissions;
import io.tokenworks.latzero.memory.BlockType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Embeds the LatZero fabric: an app that handles {@code greet} calls, an app that calls it and
 * emits an event, and a shared-memory block both use. The README's "Embedding" snippet is {@link
 * #run}.
 */
public final class EmbeddedLatZero {

  private EmbeddedLatZero() {}

  public static void main(String[] args) {
    Path dataDir = Path.of(args.length > 0 ? args[0] : "latzero-example-data");
    run(dataDir, dataDir.resolve("memory"));
  }

  static void run(Path dataDir, Path memoryRoot) {
    FabricConfig config = FabricConfig.builder(dataDir).memoryRoot(memoryRoot).build();
    try (LatZeroFabric fabric = LatZeroFabric.open(config)) {
      // The handler: answers every greet call from its own session.
      AtomicReference<FabricSession> greeter = new AtomicReference<>();
      greeter.set(
          fabric.handshake(
              Handshake.builder("greeter").pools("demo").triggers("greet", "hello").build(),
              new Inbox() {
                @Override
                public boolean onCall(IncomingCall call) {
                  String name = call.payload().path("name").asText("stranger");
                  greeter.get().reply(call.dispatchId(), text("hello, " + name));
                  return true;
                }

                @Override
                public void onEmit(String origin, String pool, String name, JsonNode payload) {
                  System.out.println("greeter heard " + name + " from " + origin + ": " + payload);
                }
              }));

      // The caller: results arrive through its delivery, here completing a future.
      Inbox callerInbox = new Inbox();
      FabricSession caller =
          fabric.handshake(Handshake.builder("caller").pools("demo").build(), callerInbox);
      JsonNode payload = JsonNodeFactory.instance.objectNode().put("name", "Ada");
      caller.call(CallRequest.of("call-1", "greet", payload).inPool("demo").withTtlMs(5_000));
      System.out.println("result: " + callerInbox.result.join().asText());
      caller.emit("demo", "hello", text("a fire-and-forget event"));

      // A block both apps map: the caller writes, the greeter reads the same bytes.
      caller
          .memory()
          .create("demo", "board", 64, BlockType.SHARED, BlockPermissions.EVERYONE, false);
      caller.memory().attach("demo", "board", AttachMode.WRITE);
      caller.memory().write("demo", "board", 0, "shared hello".getBytes(StandardCharsets.UTF_8));
      greeter.get().memory().attach("demo", "board", AttachMode.READ);
      BlockData read = greeter.get().memory().read("demo", "board", 0, 12);
      System.out.println(
          "block says: "
              + new String(read.data(), StandardCharsets.UTF_8)
              + " (version "
              + read.version()
              + ")");
      caller.memory().delete("demo", "board", true);
    }
  }

  private static JsonNode text(String value) {
    return JsonNodeFactory.instance.textNode(value);
  }

  /** A delivery that completes {@link #result} with the first call result and ignores the rest. */
  private static class Inbox implements Delivery {
    final CompletableFuture<JsonNode> result = new CompletableFuture<>();

    @Override
    public boolean onCall(IncomingCall call) {
      return false; // this app handles no calls
    }

    @Override
    public void onResult(String callId, JsonNode value) {
      result.complete(value);
    }

    @Override
    public void onCallFailed(String callId, FabricError error, String message) {
      result.completeExceptionally(new IllegalStateException(error + ": " + message));
    }

    @Override
    public void onEmit(String origin, String pool, String name, JsonNode payload) {}
  }
}
