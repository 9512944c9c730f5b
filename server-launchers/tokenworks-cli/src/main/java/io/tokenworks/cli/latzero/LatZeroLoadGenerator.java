package io.tokenworks.cli.latzero;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tokenworks.protocol.latzero.client.LatZeroClient;
import io.tokenworks.protocol.latzero.client.LatZeroClientException;
import io.tokenworks.protocol.latzero.client.LatZeroClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * RPC load through a LatZero server in the shape of upstream's report: caller, handler(s) and
 * server as separate processes, a fixed number of calls outstanding. It starts the echo handler
 * processes, waits until each answers a call addressed to it, then keeps {@code outstanding} calls
 * in flight over {@code connections} caller connections (closed loop: each result or error sends
 * the next call) for the warm-up and then the measured window. Latency is from just before a call
 * is sent to its result, for successful calls only, in an HdrHistogram; failures are counted by
 * error code, explicit rejections ({@code OVERLOADED}, {@code SERVER_BUSY}) apart from errors.
 */
final class LatZeroLoadGenerator {

  /** The server's explicit overload answers: counted as rejections, not errors. */
  static final List<String> REJECTIONS = List.of("OVERLOADED", "SERVER_BUSY");

  static final String TRIGGER = "bench.echo";

  /** What to run. */
  record Settings(
      String host,
      int port,
      String pool,
      int connections,
      int outstanding,
      int handlers,
      int payloadBytes,
      Duration duration,
      Duration warmup,
      Duration handlerStartTimeout) {}

  /**
   * What happened in the measured window.
   *
   * @param calls successful calls
   * @param rejected calls the server refused as overloaded
   * @param errors the other failures by error code
   */
  record Result(
      long calls, long rejected, Map<String, Long> errors, double seconds, Histogram latencyNanos) {

    /** The codes in name order, so reports compare across runs. */
    Result {
      errors = Collections.unmodifiableMap(new TreeMap<>(errors));
    }

    long errorCount() {
      return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    double callsPerSecond() {
      return calls / seconds;
    }

    /** One human-readable report. */
    String describe() {
      StringBuilder report =
          new StringBuilder(
              String.format(
                  "calls/s %,.0f   calls %,d   rejected %,d   errors %,d   latency µs p50 %.1f"
                      + "  p99 %.1f  p999 %.1f  max %.1f",
                  callsPerSecond(),
                  calls,
                  rejected,
                  errorCount(),
                  latencyNanos.getValueAtPercentile(50) / 1e3,
                  latencyNanos.getValueAtPercentile(99) / 1e3,
                  latencyNanos.getValueAtPercentile(99.9) / 1e3,
                  latencyNanos.getMaxValue() / 1e3));
      if (!errors.isEmpty()) {
        report.append(String.format("%nerrors by code:"));
        errors.forEach((code, count) -> report.append(String.format(" %s %,d", code, count)));
      }
      return report.toString();
    }
  }

  /** The handlers could not be started or never answered; the message is one line. */
  static final class HandlerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HandlerException(String message) {
      super(message, null, false, false);
    }
  }

  private static final long POLL_MILLIS = 50;
  private static final Duration DRAIN = Duration.ofSeconds(10);

  private final Settings settings;
  private final JsonNode payload;
  private final String runId;
  private final Recorder recorder = new Recorder(3);
  private final LongAdder calls = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean measuring;
  private volatile boolean running;

  LatZeroLoadGenerator(Settings settings) {
    if (settings.connections() < 1
        || settings.outstanding() < settings.connections()
        || settings.handlers() < 1
        || settings.payloadBytes() < 0) {
      throw new IllegalArgumentException(
          String.format(
              "connections=%d outstanding=%d handlers=%d payloadBytes=%d: need connections,"
                  + " handlers >= 1, outstanding >= connections, payloadBytes >= 0",
              settings.connections(),
              settings.outstanding(),
              settings.handlers(),
              settings.payloadBytes()));
    }
    this.settings = settings;
    this.payload = new TextNode("x".repeat(settings.payloadBytes()));
    this.runId =
        Long.toString(ProcessHandle.current().pid(), 36)
            + "-"
            + Long.toString(System.nanoTime() & 0xFFFFFF, 36);
  }

  /**
   * Runs warm-up then measurement and returns the measured figures.
   *
   * @throws LatZeroClientException when the server cannot be reached or refuses the callers
   * @throws HandlerException when a handler cannot start or never answers
   */
  Result run() throws InterruptedException {
    List<LatZeroClient> callers = new ArrayList<>();
    // The first caller proves the server is there before any handler JVM is started.
    callers.add(connect(0));
    List<String> handlerIds = new ArrayList<>();
    for (int i = 0; i < settings.handlers(); i++) {
      handlerIds.add("bench-echo-" + runId + "-" + i);
    }
    try (EchoHandlers handlers =
        EchoHandlers.start(
            settings.host(), settings.port(), settings.pool(), TRIGGER, handlerIds)) {
      awaitRegistered(callers.get(0), handlers);
      for (int i = 1; i < settings.connections(); i++) {
        callers.add(connect(i));
      }
      return measure(callers);
    } finally {
      running = false;
      for (LatZeroClient caller : callers) {
        caller.close();
      }
    }
  }

  private LatZeroClient connect(int index) {
    return LatZeroClient.connect(
        settings.host(),
        settings.port(),
        "bench-caller-" + runId + "-" + index,
        LatZeroClientOptions.builder()
            .pools(settings.pool())
            .maxOutstanding(Math.max(1, share(index)) + 1)
            .build());
  }

  /** Calls each handler by name until it answers: then it is connected and registered. */
  private void awaitRegistered(LatZeroClient caller, EchoHandlers handlers)
      throws InterruptedException {
    long deadline = System.nanoTime() + settings.handlerStartTimeout().toNanos();
    for (EchoHandlers.Handler handler : handlers.handlers()) {
      String lastError = "no answer yet";
      while (true) {
        EchoHandlers.Handler gone = handlers.exited();
        if (gone != null) {
          throw new HandlerException(
              "handler "
                  + gone.appId()
                  + " exited with code "
                  + gone.process().exitValue()
                  + ": "
                  + gone.lastLine());
        }
        try {
          caller
              .call(settings.pool(), TRIGGER, payload, handler.appId(), Duration.ofSeconds(5))
              .get(10, TimeUnit.SECONDS);
          break;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof LatZeroClientException failure
              && LatZeroClientException.CONNECTION_CLOSED.equals(failure.code())) {
            throw failure;
          }
          lastError = String.valueOf(e.getCause().getMessage());
        } catch (TimeoutException e) {
          lastError = "a call to it got no answer within 10 s";
        }
        if (deadline - System.nanoTime() < 0) {
          throw new HandlerException(
              "handler "
                  + handler.appId()
                  + " did not register within "
                  + settings.handlerStartTimeout().toSeconds()
                  + " s (last: "
                  + lastError
                  + ")");
        }
        Thread.sleep(POLL_MILLIS);
      }
    }
  }

  private Result measure(List<LatZeroClient> callers) throws InterruptedException {
    running = true;
    for (int i = 0; i < callers.size(); i++) {
      LatZeroClient caller = callers.get(i);
      for (int slot = 0; slot < share(i); slot++) {
        send(caller);
      }
    }
    // Outcomes count only while the window is open, so the warm-up leaves nothing to reset.
    Thread.sleep(settings.warmup().toMillis());
    measuring = true;
    long start = System.nanoTime();
    Thread.sleep(settings.duration().toMillis());
    measuring = false;
    double seconds = (System.nanoTime() - start) / 1e9;
    Histogram latency = recorder.getIntervalHistogram();
    Map<String, Long> byCode = new HashMap<>();
    errors.forEach((code, count) -> byCode.put(code, count.sum()));
    Result result = new Result(calls.sum(), rejected.sum(), byCode, seconds, latency);
    running = false;
    long drainDeadline = System.nanoTime() + DRAIN.toNanos();
    while (inFlight.get() > 0 && drainDeadline - System.nanoTime() > 0) {
      Thread.sleep(POLL_MILLIS);
    }
    return result;
  }

  /** The calls connection {@code index} keeps in flight: an equal share, the rest to the first. */
  private int share(int index) {
    int share = settings.outstanding() / settings.connections();
    return index < settings.outstanding() % settings.connections() ? share + 1 : share;
  }

  /**
   * Keeps one call in flight on {@code caller}: each outcome sends the next. Outcomes arrive on the
   * caller's reader thread, so the loop needs no thread of its own and no hand-off per call. A call
   * refused before it is sent (the connection has closed) ends the loop instead of spinning.
   */
  private void send(LatZeroClient caller) {
    while (running) {
      inFlight.incrementAndGet();
      long sentNanos = System.nanoTime();
      CompletableFuture<JsonNode> call = caller.call(settings.pool(), TRIGGER, payload);
      if (!call.isDone()) {
        call.whenComplete(
            (result, failure) -> {
              record(sentNanos, failure);
              send(caller);
            });
        return;
      }
      Throwable failure = call.handle((result, error) -> error).join();
      record(sentNanos, failure);
      if (failure != null) {
        return;
      }
    }
  }

  /** Counts one outcome if the measured window is open. */
  private void record(long sentNanos, Throwable failure) {
    long latencyNanos = System.nanoTime() - sentNanos;
    if (measuring) {
      if (failure == null) {
        recorder.recordValue(latencyNanos);
        calls.increment();
      } else {
        String code = code(failure);
        if (REJECTIONS.contains(code)) {
          rejected.increment();
        } else {
          errors.computeIfAbsent(code, c -> new LongAdder()).increment();
        }
      }
    }
    inFlight.decrementAndGet();
  }

  private static String code(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    return cause instanceof LatZeroClientException client
        ? client.code()
        : cause.getClass().getSimpleName();
  }
}
