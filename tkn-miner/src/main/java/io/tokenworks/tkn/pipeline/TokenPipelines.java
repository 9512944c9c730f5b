package io.tokenworks.tkn.pipeline;

import io.tokenworks.tkn.SymbolTable;
import io.tokenworks.tkn.graph.GraphSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token pipelines of one server or engine: a small pool of writer threads, shared by every
 * session, in front of one {@link GraphSink}. Each {@link #open opened} session writes its batches
 * in order, one at a time; different sessions are written in parallel.
 *
 * <p>{@link #close(Duration)} drains every open session, then stops the threads. It does not close
 * the sink, which the caller owns.
 */
public final class TokenPipelines implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TokenPipelines.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final GraphSink sink;
  private final PipelineConfig config;
  private final ScheduledThreadPoolExecutor writers;
  private final Map<String, TokenPipeline> sessions = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  public TokenPipelines(GraphSink sink, PipelineConfig config) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.config = Objects.requireNonNull(config, "config");
    int instance = INSTANCES.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.writers =
        new ScheduledThreadPoolExecutor(
            config.writerThreads(),
            task -> {
              Thread thread =
                  new Thread(
                      task, "tkn-graph-writer-" + instance + "-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    // After close has drained or failed every session, pending timers and retries are moot.
    writers.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /**
   * Opens a session's pipeline. The (tenant, session) pair must be unique while open, and a session
   * id must not be reused for a different stream later: the graph remembers how far each session
   * was written and skips pairs it already has.
   *
   * @throws IllegalStateException if closed, or if the session is already open
   */
  public TokenPipeline open(
      String tenant, String sessionId, SymbolTable symbols, PipelineListener listener) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(symbols, "symbols");
    Objects.requireNonNull(listener, "listener");
    if (tenant.isEmpty() || sessionId.isEmpty()) {
      throw new IllegalArgumentException("tenant and sessionId must not be empty");
    }
    if (closed.get()) {
      throw new IllegalStateException("token pipelines are closed");
    }
    TokenPipeline pipeline = new TokenPipeline(this, tenant, sessionId, symbols, listener);
    if (sessions.putIfAbsent(key(tenant, sessionId), pipeline) != null) {
      throw new IllegalStateException(
          "session " + sessionId + " of tenant " + tenant + " is already open");
    }
    return pipeline;
  }

  /** Sessions opened and not yet closed or failed. */
  public int openSessions() {
    return sessions.size();
  }

  /**
   * Tokens accepted and not yet written, summed over the open sessions (for a queue-depth gauge).
   */
  public long pendingTokens() {
    long pending = 0;
    for (TokenPipeline pipeline : sessions.values()) {
      pending += pipeline.pendingTokens();
    }
    return pending;
  }

  public GraphSink sink() {
    return sink;
  }

  public PipelineConfig config() {
    return config;
  }

  /**
   * Closes every session, waiting up to {@code timeout} for their queues to be written; sessions
   * still not drained then are failed, and the tokens they had not written are counted in the log
   * and in their {@link PipelineFailedException}. Idempotent.
   *
   * @return true if every session drained
   */
  public boolean close(Duration timeout) {
    if (!closed.compareAndSet(false, true)) {
      return true;
    }
    List<TokenPipeline> open = new ArrayList<>(sessions.values());
    List<CompletableFuture<Void>> closing = new ArrayList<>(open.size());
    for (TokenPipeline pipeline : open) {
      closing.add(pipeline.closeAsync());
    }
    boolean drained = true;
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
          .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      drained = false;
    } catch (ExecutionException e) {
      drained = false; // a session failed; it has logged and counted its own loss
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      drained = false;
    }
    long lost = 0;
    for (TokenPipeline pipeline : open) {
      long pending = pipeline.pendingTokens();
      if (pending > 0) {
        lost += pending;
        pipeline.fail(new TimeoutException("shutdown did not drain within " + timeout));
      }
    }
    writers.shutdown();
    try {
      if (!writers.awaitTermination(1, TimeUnit.SECONDS)) {
        writers.shutdownNow();
      }
    } catch (InterruptedException e) {
      writers.shutdownNow();
      Thread.currentThread().interrupt();
    }
    if (lost > 0) {
      LOG.error("token pipelines closed with {} tokens not written", lost);
    }
    return drained && lost == 0;
  }

  /** {@link #close(Duration)} with the configured close timeout. */
  @Override
  public void close() {
    close(config.closeTimeout());
  }

  void execute(Runnable task, TokenPipeline pipeline) {
    try {
      writers.execute(task);
    } catch (RejectedExecutionException e) {
      pipeline.fail(new IllegalStateException("token pipelines are closed", e));
    }
  }

  void schedule(Runnable task, long delayNs, TokenPipeline pipeline) {
    try {
      writers.schedule(task, delayNs, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      pipeline.fail(new IllegalStateException("token pipelines are closed", e));
    }
  }

  void release(TokenPipeline pipeline) {
    sessions.remove(key(pipeline.tenant(), pipeline.sessionId()), pipeline);
  }

  private static String key(String tenant, String sessionId) {
    return tenant + '\u0000' + sessionId;
  }
}
