package io.tokenworks.protocol.latzero.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests of a {@link LatZeroClient} awaiting their answers, by request id, with the bound on
 * how many may wait at once. A request is settled once: whoever removes it from the table completes
 * it.
 */
final class Requests {

  /** A request's future, knowing its id and whether it completes with the {@code result} only. */
  static final class Pending extends CompletableFuture<JsonNode> {
    final String id;
    final boolean resultOnly;

    Pending(String id, boolean resultOnly) {
      this.id = id;
      this.resultOnly = resultOnly;
    }
  }

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();
  private final int max;
  private final Duration timeout;
  private volatile LatZeroClientException closed;
  private volatile LatZeroClientException serverReason;

  Requests(int max, Duration timeout) {
    this.max = max;
    this.timeout = timeout;
  }

  int outstanding() {
    return count.get();
  }

  /**
   * Sends a request and returns its future; a failure to send (closed, over the bound, a frame too
   * large) completes it exceptionally at once.
   */
  CompletableFuture<JsonNode> send(
      ClientConnection connection,
      ClientFrames frames,
      String type,
      boolean resultOnly,
      ClientFrames.Body body) {
    String id = ClientFrames.uuid();
    Pending request = new Pending(id, resultOnly);
    if (closed != null) {
      request.completeExceptionally(copy(closed));
      return request;
    }
    if (count.incrementAndGet() > max) {
      count.decrementAndGet();
      request.completeExceptionally(
          new LatZeroClientException(
              LatZeroClientException.OVERLOADED,
              "the client has maxOutstanding=" + max + " requests awaiting answers; nothing sent"));
      return request;
    }
    pending.put(id, request);
    try {
      connection.send(frames.frame(type, id, body));
    } catch (LatZeroClientException e) {
      settle(id, null, e);
    } catch (IllegalArgumentException e) {
      settle(id, null, new LatZeroClientException("VALIDATION_ERROR", e.getMessage(), e));
    }
    if (closed != null) {
      // Closed while sending: the table may have been drained before this request entered it.
      settle(id, null, copy(closed));
    }
    return request;
  }

  /** A reply for request {@code id}; returns whether it was pending. */
  boolean answer(String id, ObjectNode message) {
    JsonNode status = message.get("status");
    if (status != null && "error".equals(status.asText())) {
      return settle(id, null, errorOf(message));
    }
    return settle(id, message, null);
  }

  /** An error frame for request {@code id}; returns whether it was pending. */
  boolean fail(String id, LatZeroClientException error) {
    return settle(id, null, error);
  }

  private boolean settle(String id, ObjectNode message, LatZeroClientException error) {
    Pending request = pending.remove(id);
    if (request == null) {
      return false;
    }
    count.decrementAndGet();
    if (error != null) {
      request.completeExceptionally(error);
    } else if (request.resultOnly) {
      JsonNode result = message.get("result");
      if (result == null) {
        result = message.get("response");
      }
      request.complete(result == null ? NullNode.getInstance() : result);
    } else {
      request.complete(message);
    }
    return true;
  }

  /** The server gave a reason before closing (an error frame answering nothing). */
  void serverReason(LatZeroClientException reason) {
    this.serverReason = reason;
  }

  /** The client is closing: later requests fail at once. */
  void closing() {
    if (closed == null) {
      closed =
          new LatZeroClientException(LatZeroClientException.CONNECTION_CLOSED, "the client closed");
    }
  }

  /** The connection ended: every pending request fails with the server's reason, or this one. */
  void closed(LatZeroClientException reason) {
    LatZeroClientException why = serverReason != null ? serverReason : reason;
    if (closed == null || closed.getMessage().equals("the client closed")) {
      closed = why;
    }
    for (String id : pending.keySet()) {
      settle(id, null, copy(why));
    }
  }

  /** Waits for a request's answer up to the request timeout; rethrows its failure. */
  JsonNode await(CompletableFuture<JsonNode> answer) {
    return await(answer, timeout, this);
  }

  private static JsonNode await(
      CompletableFuture<JsonNode> answer, Duration timeout, Requests table) {
    try {
      return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof LatZeroClientException failure) {
        throw copy(failure);
      }
      throw new LatZeroClientException(
          LatZeroClientException.PROTOCOL_ERROR, String.valueOf(e.getCause()), e.getCause());
    } catch (TimeoutException e) {
      LatZeroClientException failure =
          new LatZeroClientException(
              LatZeroClientException.CLIENT_TIMEOUT, "no answer within " + timeout);
      if (answer instanceof Pending request) {
        table.settle(request.id, null, failure);
      }
      throw failure;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LatZeroClientException(
          LatZeroClientException.CLIENT_TIMEOUT, "interrupted while waiting for an answer");
    }
  }

  /** The error frame's {@code error_code} and {@code error} as an exception. */
  static LatZeroClientException errorOf(ObjectNode message) {
    JsonNode code = message.get("error_code");
    JsonNode text = message.get("error");
    return new LatZeroClientException(
        code != null && code.isTextual() ? code.textValue() : "ERROR",
        text == null ? "error" : text.isTextual() ? text.textValue() : text.toString());
  }

  /** A fresh exception per waiter, so each stack trace shows its own call. */
  private static LatZeroClientException copy(LatZeroClientException failure) {
    return new LatZeroClientException(failure.code(), failure.getMessage(), failure);
  }
}
