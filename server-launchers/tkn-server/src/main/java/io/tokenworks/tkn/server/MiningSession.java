package io.tokenworks.tkn.server;

import io.tokenworks.protocol.tkn.TknBatchItems;
import io.tokenworks.protocol.tkn.TknFrame;
import io.tokenworks.protocol.tkn.TknFrameDecoder;
import io.tokenworks.protocol.tkn.TknFrameType;
import io.tokenworks.tkn.MalformedJsonException;
import io.tokenworks.tkn.MinerConfig;
import io.tokenworks.tkn.SymbolExtractor;
import io.tokenworks.tkn.SymbolTable;
import io.tokenworks.tkn.SymbolTableFullException;
import io.tokenworks.tkn.TknMiner;
import io.tokenworks.tkn.TokenListener;
import io.tokenworks.tkn.graph.GraphWriteException;
import io.tokenworks.tkn.pipeline.PipelineListener;
import io.tokenworks.tkn.pipeline.TokenPipeline;
import io.tokenworks.tkn.pipeline.TokenPipelines;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.agrona.DirectBuffer;

/**
 * One session's mining: its symbol table, extractor and miner on the connection's event loop, and
 * its token pipeline to the graph. Frames go in; symbols are extracted (all of a frame before any
 * is mined, so a bad frame mines nothing), mined, and the tokens queue for the graph.
 */
final class MiningSession {

  /** What happened to a frame. */
  enum Outcome {
    OK,
    MALFORMED_JSON,
    SYMBOL_TABLE_FULL,
    FAILED
  }

  /** Pipeline events, moved onto the event loop by the session. */
  enum Event {
    PAUSE,
    RESUME,
    FAILED
  }

  /** Receives pipeline events from the pipeline's threads. */
  interface Events {
    void on(Event event, Throwable failure);
  }

  /** Opens mining sessions that share one set of token pipelines. */
  static final class Opener {
    private final TknServerConfig config;
    private final TokenPipelines pipelines;
    private final TknMetrics metrics;

    Opener(TknServerConfig config, TokenPipelines pipelines, TknMetrics metrics) {
      this.config = config;
      this.pipelines = pipelines;
      this.metrics = metrics;
    }

    MiningSession open(String tenant, String sessionId, Events events) {
      SymbolTable symbols = new SymbolTable(config.symbolCapacity());
      TokenPipeline pipeline =
          pipelines.open(tenant, sessionId, symbols, new Listener(events, metrics));
      return new MiningSession(config, symbols, pipeline, metrics);
    }
  }

  private final SymbolTable symbols;
  private final SymbolExtractor extractor;
  private final TknMiner miner;
  private final TokenPipeline pipeline;
  private final TknMetrics metrics;
  private final TknBatchItems items = new TknBatchItems();
  private String lastProblem = "";
  private int[] pending = new int[4096];
  private int pendingLength;
  private int pendingCount;
  private long pendingFirst;
  private boolean finished;

  private MiningSession(
      TknServerConfig config, SymbolTable symbols, TokenPipeline pipeline, TknMetrics metrics) {
    this.symbols = symbols;
    this.extractor = new SymbolExtractor(symbols);
    this.pipeline = pipeline;
    this.metrics = metrics;
    TokenListener collect =
        (index, ids, length) -> {
          if (pendingCount == 0) {
            pendingFirst = index;
          }
          if (pendingLength + 1 + length > pending.length) {
            pending =
                Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + 1 + length));
          }
          pending[pendingLength++] = length;
          System.arraycopy(ids, 0, pending, pendingLength, length);
          pendingLength += length;
          pendingCount++;
        };
    this.miner = new TknMiner(new MinerConfig(config.bankSize(), config.maxWindow()), collect);
  }

  /**
   * Hands the tokens of the frame just mined to the pipeline: one lock per frame, not per token.
   */
  private void handOver() {
    if (pendingCount > 0) {
      int count = pendingCount;
      pendingCount = 0;
      int length = pendingLength;
      pendingLength = 0;
      pipeline.onTokens(pendingFirst, count, pending, length);
    }
  }

  /**
   * Mines a data frame: the whole frame, or for a BATCH whose decoding stopped at a bad item the
   * valid items before it (as upstream does).
   */
  Outcome mine(TknFrameType type, TknFrame frame, TknFrameDecoder decoder) {
    long symbolsBefore = miner.symbolsMined();
    long tokensBefore = miner.tokensEmitted();
    Outcome outcome;
    try {
      if (type == TknFrameType.BATCH) {
        outcome = Outcome.OK;
        TknBatchItems batch = decoder.batchItems();
        batch.rewind();
        while (batch.next()) {
          Outcome item =
              mineItem(batch.type(), batch.buffer(), batch.payloadOffset(), batch.payloadLength());
          if (item != Outcome.OK) {
            outcome = item;
            if (item != Outcome.MALFORMED_JSON) {
              break;
            }
          }
        }
      } else {
        outcome = mineItem(type, frame.buffer(), frame.payloadOffset(), frame.payloadLength());
      }
      handOver();
    } catch (IllegalStateException e) {
      lastProblem = "graph pipeline failed: " + e.getMessage();
      outcome = Outcome.FAILED;
    }
    long tokens = miner.tokensEmitted() - tokensBefore;
    metrics.mined(miner.symbolsMined() - symbolsBefore, tokens);
    return outcome;
  }

  private Outcome mineItem(TknFrameType type, DirectBuffer buffer, int offset, int length) {
    int count;
    try {
      if (type == TknFrameType.STRING) {
        // One symbol: straight from the symbol table into the miner (the common batch item).
        miner.accept(symbols.internUtf8(buffer, offset, length));
        return Outcome.OK;
      }
      count =
          switch (type) {
            case STRING -> extractor.extractString(buffer, offset, length);
            case BINARY -> extractor.extractBinary(buffer, offset, length);
            case JSON -> extractor.extractJson(buffer, offset, length);
            case BATCH -> throw new IllegalArgumentException("nested BATCH");
          };
    } catch (MalformedJsonException e) {
      lastProblem = "malformed JSON: " + e.getMessage();
      return Outcome.MALFORMED_JSON;
    } catch (SymbolTableFullException e) {
      lastProblem = e.getMessage();
      return Outcome.SYMBOL_TABLE_FULL;
    }
    miner.accept(extractor.symbols(), 0, count);
    return Outcome.OK;
  }

  String lastProblem() {
    return lastProblem;
  }

  long symbols() {
    return miner.symbolsMined();
  }

  long tokens() {
    return miner.tokensEmitted();
  }

  /**
   * Emits the miner's window and completes with the tokens mined so far once the graph has them
   * all.
   */
  CompletableFuture<Long> flush() {
    long before = miner.tokensEmitted();
    miner.flush();
    handOver();
    long flushed = miner.tokensEmitted() - before;
    metrics.mined(0, flushed);
    long tokens = miner.tokensEmitted();
    return pipeline.flush().thenApply(ignored -> tokens);
  }

  /** The session ends: emit the last window, write everything, release the pipeline. */
  CompletableFuture<Long> finish() {
    if (!finished) {
      finished = true;
      try {
        flush();
      } catch (IllegalStateException e) {
        // The pipeline already failed; closeAsync reports it.
      }
    }
    long tokens = miner.tokensEmitted();
    return pipeline.closeAsync().thenApply(ignored -> tokens);
  }

  /** Turns pipeline callbacks into session events and metrics. */
  private static final class Listener implements PipelineListener {
    private final Events events;
    private final TknMetrics metrics;

    Listener(Events events, TknMetrics metrics) {
      this.events = events;
      this.metrics = metrics;
    }

    @Override
    public void onBackpressure(boolean paused) {
      events.on(paused ? Event.PAUSE : Event.RESUME, null);
    }

    @Override
    public void onBatchWritten(int tokens, int pairs, long nanos) {
      metrics.batchWritten(tokens, pairs, nanos);
    }

    @Override
    public void onRetry(GraphWriteException failure, long attempt) {
      metrics.batchFailed(true);
    }

    @Override
    public void onFailed(Throwable failure) {
      metrics.batchFailed(false);
      events.on(Event.FAILED, failure);
    }
  }
}
