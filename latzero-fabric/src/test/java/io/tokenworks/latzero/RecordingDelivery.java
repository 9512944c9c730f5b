package io.tokenworks.latzero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A delivery that records every push. As a handler it either holds calls (for the test to answer)
 * or, once {@link #answerAs} gave it its session, answers each at once with {@code {"by": <app>,
 * "echo": <payload>}}.
 */
class RecordingDelivery implements Delivery {

  record Failure(FabricError error, String message) {}

  record Emit(String origin, String pool, String name, JsonNode payload) {}

  record BlockEvent(String pool, String block, long version, String app, JsonNode payload) {}

  final List<IncomingCall> calls = new CopyOnWriteArrayList<>();
  final Map<String, JsonNode> results = new ConcurrentHashMap<>();
  final Map<String, Failure> failures = new ConcurrentHashMap<>();
  final List<Emit> emits = new CopyOnWriteArrayList<>();
  final List<FabricError> closes = new CopyOnWriteArrayList<>();
  final List<BlockEvent> blockWrites = new CopyOnWriteArrayList<>();
  final List<BlockEvent> blockNotes = new CopyOnWriteArrayList<>();
  private volatile FabricSession answering;
  private volatile Predicate<IncomingCall> accept = call -> true;

  /** Answers every later call at once from {@code session}. */
  RecordingDelivery answerAs(FabricSession session) {
    this.answering = session;
    return this;
  }

  /** Decides what {@link #onCall} returns. */
  RecordingDelivery accepting(Predicate<IncomingCall> rule) {
    this.accept = rule;
    return this;
  }

  static JsonNode text(String value) {
    return JsonNodeFactory.instance.textNode(value);
  }

  @Override
  public boolean onCall(IncomingCall call) {
    calls.add(call);
    if (!accept.test(call)) {
      return false;
    }
    FabricSession session = answering;
    if (session != null) {
      ObjectNode answer = JsonNodeFactory.instance.objectNode();
      answer.put("by", session.appId());
      answer.set("echo", call.payload());
      session.reply(call.dispatchId(), answer);
    }
    return true;
  }

  @Override
  public void onResult(String callId, JsonNode result) {
    results.put(callId, result);
  }

  @Override
  public void onCallFailed(String callId, FabricError error, String message) {
    failures.put(callId, new Failure(error, message));
  }

  @Override
  public void onEmit(String originAppId, String pool, String name, JsonNode payload) {
    emits.add(new Emit(originAppId, pool, name, payload));
  }

  @Override
  public void onClosed(FabricError reason, String message) {
    closes.add(reason);
  }

  @Override
  public void onBlockWritten(String pool, String block, long version, String writerAppId) {
    blockWrites.add(new BlockEvent(pool, block, version, writerAppId, null));
  }

  @Override
  public void onBlockNotified(String pool, String block, String originAppId, JsonNode payload) {
    blockNotes.add(new BlockEvent(pool, block, 0, originAppId, payload));
  }
}
