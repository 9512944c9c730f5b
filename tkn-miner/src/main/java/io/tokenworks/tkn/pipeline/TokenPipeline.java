package io.tokenworks.tkn.pipeline;

import io.tokenworks.tkn.SymbolTable;
import io.tokenworks.tkn.TokenListener;
import io.tokenworks.tkn.graph.GraphWriteException;
import io.tokenworks.tkn.graph.TokenBatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.agrona.collections.IntArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's ordered, bounded, asynchronous path to the graph. The miner calls {@link #onToken}
 * (copying the token into a primitive queue, no I/O, a short lock); writer threads of the owning
 * {@link TokenPipelines} take batches from the queue and write them one at a time, in order.
 *
 * <p>A batch starts when {@code maxBatchPairs} tokens are queued, when the oldest queued token has
 * waited {@code maxBatchDelay}, or at once after {@link #flush()} or {@link #closeAsync()}.
 * Transient sink failures are retried forever with backoff (tokens stay queued); a permanent one
 * fails the session, after which nothing is accepted and every future completes with a {@link
 * PipelineFailedException} counting the tokens not written. No token is ever dropped silently.
 *
 * <p>Backpressure: when the queued tokens reach the high watermark the listener hears {@code
 * onBackpressure(true)} and should stop reading input; tokens still arriving are accepted (the
 * queue grows past the mark by whatever the producer had in hand). At or below the low watermark it
 * hears {@code onBackpressure(false)}.
 *
 * <p>{@link #onToken} is for one producer thread; {@link #flush}, {@link #closeAsync} and the
 * getters may be called from any thread.
 */
public final class TokenPipeline implements TokenListener, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TokenPipeline.class);
  private static final long RETRY_LOG_EVERY = 20;

  private final TokenPipelines owner;
  private final PipelineConfig config;
  private final String tenant;
  private final String sessionId;
  private final SymbolTable symbols;
  private final PipelineListener listener;

  private final Object lock = new Object();
  // Guarded by lock. Each queued token is its length followed by its symbol ids.
  private final IntArrayQueue queue = new IntArrayQueue(1024, -1);
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private int queuedTokens;
  private long queueHeadIndex;
  private long nextIndex = -1;
  private long pendingTokens;
  private long acceptedTokens;
  private long writtenTokens;
  private int[] carry;
  private long carryIndex;
  private boolean writing;
  private boolean timerArmed;
  private long deadlineNs;
  private boolean paused;
  private boolean closing;
  private PipelineFailedException failure;
  private CompletableFuture<Void> closed;

  // Only touched by the one write in progress (writes of a session never overlap).
  private TokenBatch inFlight;
  private long attempt;

  private record Waiter(long tokens, CompletableFuture<Void> future) {}

  TokenPipeline(
      TokenPipelines owner,
      String tenant,
      String sessionId,
      SymbolTable symbols,
      PipelineListener listener) {
    this.owner = owner;
    this.config = owner.config();
    this.tenant = tenant;
    this.sessionId = sessionId;
    this.symbols = symbols;
    this.listener = listener;
  }

  /**
   * Queues a copy of the token. Indexes must be consecutive (the first may be any non-negative
   * number, e.g. to resume a session); every id must be interned in the session's symbol table.
   *
   * @throws IllegalArgumentException for an empty token, an unknown symbol id or an index gap; the
   *     token is rejected and nothing queued is affected
   * @throws IllegalStateException after {@link #closeAsync()}, or a {@link PipelineFailedException}
   *     after the session failed
   */
  @Override
  public void onToken(long index, int[] ids, int length) {
    if (length < 1 || length > ids.length) {
      throw new IllegalArgumentException(
          "token " + index + " has length=" + length + ", expected 1.." + ids.length);
    }
    int known = symbols.size();
    for (int i = 0; i < length; i++) {
      if (ids[i] < 0 || ids[i] >= known) {
        throw new IllegalArgumentException(
            "token " + index + " has symbol id=" + ids[i] + ", not interned (size " + known + ")");
      }
    }
    synchronized (lock) {
      checkAccepting(index);
      queue.addInt(length);
      for (int i = 0; i < length; i++) {
        queue.addInt(ids[i]);
      }
      queued(index, 1);
    }
  }

  /**
   * Queues {@code count} consecutive tokens starting at index {@code firstIndex}, packed in {@code
   * packed[0 .. length)} as records of a token length followed by that many symbol ids: a whole
   * frame's tokens under one lock. The same checks as {@link #onToken} apply to every token, all of
   * them before anything is queued.
   *
   * @throws IllegalArgumentException for a malformed record, an empty token or an unknown symbol id
   */
  public void onTokens(long firstIndex, int count, int[] packed, int length) {
    if (count == 0) {
      return;
    }
    int known = symbols.size();
    int position = 0;
    for (int token = 0; token < count; token++) {
      int tokenLength = position < length ? packed[position] : 0;
      if (tokenLength < 1 || position + 1 + tokenLength > length) {
        throw new IllegalArgumentException(
            "token " + (firstIndex + token) + " has a malformed record at " + position);
      }
      for (int i = position + 1; i <= position + tokenLength; i++) {
        if (packed[i] < 0 || packed[i] >= known) {
          throw new IllegalArgumentException(
              "token "
                  + (firstIndex + token)
                  + " has symbol id="
                  + packed[i]
                  + ", not interned (size "
                  + known
                  + ")");
        }
      }
      position += 1 + tokenLength;
    }
    if (position != length) {
      throw new IllegalArgumentException(
          count + " tokens take " + position + " ints, not length=" + length);
    }
    synchronized (lock) {
      checkAccepting(firstIndex);
      for (int i = 0; i < length; i++) {
        queue.addInt(packed[i]);
      }
      queued(firstIndex, count);
    }
  }

  /** Accounting after {@code count} tokens from {@code index} were queued; holds the lock. */
  private void queued(long index, int count) {
    if (queuedTokens == 0) {
      queueHeadIndex = index;
      deadlineNs = System.nanoTime() + config.maxBatchDelay().toNanos();
    }
    queuedTokens += count;
    pendingTokens += count;
    acceptedTokens += count;
    nextIndex = index + count;
    if (!paused && pendingTokens >= config.highWatermark()) {
      paused = true;
      signalBackpressure(true);
    }
    if (!writing) {
      if (queuedTokens >= config.maxBatchPairs()) {
        startWriting();
      } else if (!timerArmed) {
        armTimer(config.maxBatchDelay().toNanos());
      }
    }
  }

  private void checkAccepting(long index) {
    if (failure != null) {
      throw new PipelineFailedException(sessionId, failure.tokensNotWritten(), failure.getCause());
    }
    if (closing) {
      throw new IllegalStateException("token pipeline of session " + sessionId + " is closed");
    }
    if (nextIndex < 0 ? index < 0 : index != nextIndex) {
      throw new IllegalArgumentException(
          "token index="
              + index
              + " out of order, expected "
              + (nextIndex < 0 ? "a non-negative index" : String.valueOf(nextIndex)));
    }
  }

  /**
   * Completes when every token accepted before this call is written; starts a batch at once instead
   * of waiting for the batch delay. Completes exceptionally with {@link PipelineFailedException} if
   * the session fails first.
   */
  public CompletableFuture<Void> flush() {
    synchronized (lock) {
      if (failure != null) {
        return CompletableFuture.failedFuture(failure);
      }
      if (writtenTokens >= acceptedTokens) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> future = new CompletableFuture<>();
      waiters.add(new Waiter(acceptedTokens, future));
      if (!writing) {
        startWriting();
      }
      return future;
    }
  }

  /**
   * Stops accepting tokens, writes what is queued and releases the session. Idempotent; returns the
   * same future each time.
   */
  public CompletableFuture<Void> closeAsync() {
    CompletableFuture<Void> flushed;
    synchronized (lock) {
      if (closed != null) {
        return closed;
      }
      closing = true;
      flushed = flush();
      closed = flushed.whenComplete((ignored, error) -> owner.release(this));
      return closed;
    }
  }

  /**
   * {@link #closeAsync()} and waits for it. Blocks until the queue is written or the session fails
   * (with a database down that is until {@link TokenPipelines#close()} gives up): do not call it on
   * an event loop.
   *
   * @throws PipelineFailedException if tokens could not be written
   */
  @Override
  public void close() {
    try {
      closeAsync().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof PipelineFailedException failed) {
        throw failed;
      }
      throw e;
    }
  }

  /** Tokens accepted and not yet written (queued or in the batch being written). */
  public long pendingTokens() {
    synchronized (lock) {
      return pendingTokens;
    }
  }

  /** Whether the producer has been asked to pause. */
  public boolean paused() {
    synchronized (lock) {
      return paused;
    }
  }

  public String tenant() {
    return tenant;
  }

  public String sessionId() {
    return sessionId;
  }

  // ---- writer side -------------------------------------------------------------------------

  private void startWriting() {
    writing = true;
    owner.execute(this::writeNext, this);
  }

  private void armTimer(long delayNs) {
    timerArmed = true;
    owner.schedule(this::onTimer, Math.max(0, delayNs), this);
  }

  private void onTimer() {
    synchronized (lock) {
      timerArmed = false;
      if (writing || failure != null || queuedTokens == 0) {
        return;
      }
      long waitNs = deadlineNs - System.nanoTime();
      if (waitNs > 0) {
        armTimer(waitNs);
      } else {
        startWriting();
      }
    }
  }

  private void writeNext() {
    TokenBatch batch;
    synchronized (lock) {
      if (failure != null) {
        writing = false;
        return;
      }
      if (inFlight == null) {
        if (queuedTokens == 0) {
          writing = false;
          return;
        }
        inFlight = takeBatch();
      }
      batch = inFlight;
    }
    long startNs = System.nanoTime();
    try {
      owner.sink().write(batch);
    } catch (GraphWriteException e) {
      if (e.transientFailure()) {
        scheduleRetry(e);
      } else {
        fail(e);
      }
      return;
    } catch (RuntimeException e) {
      fail(e);
      return;
    }
    long nanos = System.nanoTime() - startNs;
    attempt = 0;
    inFlight = null;
    notify(() -> listener.onBatchWritten(batch.newTokenCount(), batch.pairCount(), nanos));
    List<CompletableFuture<Void>> done = new ArrayList<>();
    synchronized (lock) {
      carry = batch.token(batch.tokenCount() - 1);
      carryIndex = batch.lastIndex();
      writtenTokens += batch.newTokenCount();
      pendingTokens -= batch.newTokenCount();
      if (paused && pendingTokens <= config.lowWatermark()) {
        paused = false;
        signalBackpressure(false);
      }
      while (!waiters.isEmpty() && waiters.peek().tokens() <= writtenTokens) {
        done.add(waiters.poll().future());
      }
      continueOrIdle();
    }
    done.forEach(future -> future.complete(null));
  }

  /** After a batch: the next one now, on the timer, or nothing queued. Holds the lock. */
  private void continueOrIdle() {
    if (failure != null || queuedTokens == 0) {
      writing = false;
      return;
    }
    long waitNs = deadlineNs - System.nanoTime();
    if (queuedTokens >= config.maxBatchPairs() || !waiters.isEmpty() || closing || waitNs <= 0) {
      // Resubmitted rather than looped, so sessions sharing the writer threads take turns.
      owner.execute(this::writeNext, this);
    } else {
      writing = false;
      if (!timerArmed) {
        armTimer(waitNs);
      }
    }
  }

  /** Moves up to a full batch from the queue into a {@link TokenBatch}. Holds the lock. */
  private TokenBatch takeBatch() {
    boolean carried = carry != null;
    int take = Math.min(queuedTokens, config.maxBatchPairs() + (carried ? 0 : 1));
    int[][] tokens = new int[take + (carried ? 1 : 0)][];
    int k = 0;
    if (carried) {
      tokens[k++] = carry;
    }
    for (int i = 0; i < take; i++) {
      int[] token = new int[queue.pollInt()];
      for (int j = 0; j < token.length; j++) {
        token[j] = queue.pollInt();
      }
      tokens[k++] = token;
    }
    long first = carried ? carryIndex : queueHeadIndex;
    queueHeadIndex += take;
    queuedTokens -= take;
    return new TokenBatch(tenant, sessionId, symbols, first, tokens, carried);
  }

  private void scheduleRetry(GraphWriteException e) {
    attempt++;
    long delayNs = config.retryDelayNanos(attempt, ThreadLocalRandom.current().nextDouble());
    if (attempt == 1 || attempt % RETRY_LOG_EVERY == 0) {
      LOG.warn(
          "graph write of session {} (tenant {}) failed, retry {} in {} ms: {}",
          sessionId,
          tenant,
          attempt,
          TimeUnit.NANOSECONDS.toMillis(delayNs),
          e.getMessage());
    }
    long currentAttempt = attempt;
    notify(() -> listener.onRetry(e, currentAttempt));
    owner.schedule(this::writeNext, delayNs, this);
  }

  /** Fails the session for good: nothing more is accepted or written. */
  void fail(Throwable cause) {
    PipelineFailedException failed;
    List<Waiter> pending;
    synchronized (lock) {
      if (failure != null) {
        return;
      }
      failed = new PipelineFailedException(sessionId, pendingTokens, cause);
      failure = failed;
      queue.clear();
      queuedTokens = 0;
      pending = new ArrayList<>(waiters);
      waiters.clear();
      if (closed == null) {
        closing = true;
        closed = CompletableFuture.failedFuture(failed);
        owner.release(this);
      }
    }
    LOG.error(
        "token pipeline of session {} (tenant {}) failed, {} tokens not written",
        sessionId,
        tenant,
        failed.tokensNotWritten(),
        cause);
    notify(() -> listener.onFailed(failed));
    pending.forEach(waiter -> waiter.future().completeExceptionally(failed));
  }

  private void signalBackpressure(boolean pause) {
    notify(() -> listener.onBackpressure(pause));
  }

  private void notify(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("pipeline listener of session {} threw", sessionId, e);
    }
  }
}
