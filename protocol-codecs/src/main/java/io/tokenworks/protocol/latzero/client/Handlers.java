package io.tokenworks.protocol.latzero.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * A {@link LatZeroClient}'s trigger handlers and listeners, run on the handler executor: each call
 * the server dispatches is answered with a {@code response} quoting its dispatch id, success or
 * error, and nothing a handler does can stall the reader.
 */
final class Handlers {

  private final String appId;
  private final ClientFrames frames;
  private final ClientConnection connection;
  private final Executor executor;
  private final Map<String, TriggerHandler> triggers = new ConcurrentHashMap<>();
  private final Map<String, List<Consumer<Emitted>>> emitListeners = new ConcurrentHashMap<>();
  private final List<Consumer<LatZeroClientException>> errorListeners =
      new CopyOnWriteArrayList<>();

  Handlers(String appId, ClientFrames frames, ClientConnection connection, Executor executor) {
    this.appId = appId;
    this.frames = frames;
    this.connection = connection;
    this.executor = executor;
  }

  /** A handler from the options; a trigger declared without one gets it later. */
  void putIfGiven(String trigger, TriggerHandler handler) {
    if (handler != null) {
      triggers.put(trigger, handler);
    }
  }

  void trigger(String trigger, TriggerHandler handler) {
    triggers.put(trigger, handler);
  }

  void emit(String trigger, Consumer<Emitted> listener) {
    emitListeners.computeIfAbsent(trigger, t -> new CopyOnWriteArrayList<>()).add(listener);
  }

  void error(Consumer<LatZeroClientException> listener) {
    errorListeners.add(listener);
  }

  /** A call dispatched to this client (reader thread): answered on the handler executor. */
  void onTrigger(TriggerRequest request) {
    run(
        () -> {
          TriggerHandler handler = triggers.get(request.trigger());
          byte[] answer;
          if (handler == null) {
            answer =
                answerError(request, "app " + appId + " has no handler for " + request.trigger());
          } else {
            answer = answer(request, handler);
          }
          sendQuietly(answer);
        });
  }

  private byte[] answer(TriggerRequest request, TriggerHandler handler) {
    JsonNode result;
    try {
      result = handler.handle(request);
    } catch (Exception e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return answerError(request, message);
    }
    try {
      return frames.frame(
          "response",
          ClientFrames.uuid(),
          json -> {
            json.writeStringField("in_reply_to", request.dispatchId());
            json.writeStringField("status", "success");
            frames.tree(json, "result", result);
          });
    } catch (IllegalArgumentException e) {
      return answerError(request, "the result is too large: " + e.getMessage());
    }
  }

  private byte[] answerError(TriggerRequest request, String message) {
    return frames.frame(
        "response",
        ClientFrames.uuid(),
        json -> {
          json.writeStringField("in_reply_to", request.dispatchId());
          json.writeStringField("status", "error");
          json.writeStringField("error", message);
        });
  }

  private void sendQuietly(byte[] frame) {
    try {
      connection.send(frame);
    } catch (LatZeroClientException e) {
      // The connection is gone: the server fails the call for its caller (HANDLER_GONE).
    }
  }

  void onEmit(Emitted event) {
    List<Consumer<Emitted>> listeners = emitListeners.get(event.trigger());
    if (listeners != null) {
      for (Consumer<Emitted> listener : listeners) {
        run(() -> listener.accept(event));
      }
    }
  }

  /** An error frame answering no pending request. */
  void onUnmatchedError(LatZeroClientException error) {
    for (Consumer<LatZeroClientException> listener : errorListeners) {
      run(() -> listener.accept(error));
    }
  }

  void run(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      // Closing: handlers no longer run.
    }
  }
}
