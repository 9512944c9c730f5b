package io.tokenworks.cli.tkn;

import io.tokenworks.protocol.tkn.TknAck;
import io.tokenworks.protocol.tkn.TknBatchEncoder;
import io.tokenworks.protocol.tkn.TknClient;
import io.tokenworks.protocol.tkn.TknFrameDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * End-to-end load against a TKN server: {@code connections} connections, each with its own {@link
 * TknClient} and sender thread, sending BATCH frames of {@code batch} STRING symbols taken in turn
 * from a few pre-built batches of a corpus (see {@link TknCorpus}).
 *
 * <p>In HELLO mode the sender pipelines as far as the server's credit allows (the client blocks
 * when it runs out) and every frame is timed from the moment it is written to the socket to the
 * first ACK covering it. One callback per connection, run on the client's reader thread, stamps
 * every frame an ACK covers, so timing costs a clock read and a histogram record per frame. In
 * compatibility mode the server's acks carry no counts: only throughput is measured.
 */
public final class TknLoadGenerator {

  static final int HEADER_BYTES = TknFrameDescriptor.HEADER_LENGTH;

  // Frames in flight the latency ring can time; the server's credit (64 by default) stays below.
  private static final int RING = 1 << 14;

  private static final long COMPAT_QUIET_NS = 500_000_000L;
  private static final long COMPAT_POLL_NS = 20_000_000L;

  /** How the connections talk to the server. */
  public enum Mode {
    /** HELLO, credit, ACK per read: pipelined within the credit window, latency measured. */
    HELLO,
    /** Upstream v1: data frames only, no flow control beyond TCP, throughput only. */
    COMPAT
  }

  /**
   * What to run. {@code text} is the corpus as UTF-8, or {@code null} for the generated one; {@code
   * tenant} is ignored in compatibility mode; {@code timeout} bounds every wait for the server
   * (credit, ACK, FLUSHED).
   */
  public record Settings(
      String host,
      int port,
      Mode mode,
      String tenant,
      int connections,
      int batch,
      int symbolBytes,
      byte[] text,
      Duration duration,
      Duration warmup,
      boolean flush,
      Duration timeout) {}

  /**
   * What happened. {@code frames}, {@code symbols}, {@code bytes} (whole BATCH frames, headers
   * included) and {@code symbolBytes} (item payloads only) count the measured window; the {@code
   * sent...} and {@code server...} figures the whole run, warm-up included, the latter summed over
   * the connections' last ACKs (HELLO mode only). {@code drainNanos} is -1 without a flush.
   */
  public record Result(
      Mode mode,
      long frames,
      long symbols,
      long bytes,
      long symbolBytes,
      double seconds,
      Histogram latencyNanos,
      long sentFrames,
      long sentSymbols,
      long serverFrames,
      long serverSymbols,
      long serverTokens,
      double sendingSeconds,
      long drainNanos,
      long tokensWritten,
      long errors,
      int failedConnections,
      String firstFailure) {

    public double framesPerSecond() {
      return frames / seconds;
    }

    public double symbolsPerSecond() {
      return symbols / seconds;
    }

    /** Megabytes (10^6 bytes) of whole BATCH frames per second. */
    public double megabytesPerSecond() {
      return bytes / seconds / 1e6;
    }

    /** Megabytes (10^6 bytes) of symbol text per second, headers excluded. */
    public double symbolMegabytesPerSecond() {
      return symbolBytes / seconds / 1e6;
    }

    /**
     * Token pairs written per second from the first send to FLUSHED (one pair fewer per session).
     */
    public double pairsPerSecond(int connections) {
      return (tokensWritten - connections) / (sendingSeconds + drainNanos / 1e9);
    }

    /** A human-readable report, one line per aspect. */
    public String describe(int connections) {
      StringBuilder text = new StringBuilder();
      text.append(
          String.format(
              "frames/s %,.0f   symbols/s %,.0f   MB/s %.1f (BATCH frames as sent, headers included;"
                  + " %.1f of symbol text)   errors %d   failed connections %d",
              framesPerSecond(),
              symbolsPerSecond(),
              megabytesPerSecond(),
              symbolMegabytesPerSecond(),
              errors,
              failedConnections));
      if (mode == Mode.HELLO) {
        text.append(
            String.format(
                "%nframe-ack latency µs p50 %.1f  p99 %.1f  p999 %.1f  max %.1f (%,d frames)",
                latencyNanos.getValueAtPercentile(50) / 1e3,
                latencyNanos.getValueAtPercentile(99) / 1e3,
                latencyNanos.getValueAtPercentile(99.9) / 1e3,
                latencyNanos.getMaxValue() / 1e3,
                latencyNanos.getTotalCount()));
        text.append(
            String.format(
                "%nwhole run: sent frames %,d symbols %,d; last ACKs: frames %,d symbols %,d tokens %,d",
                sentFrames, sentSymbols, serverFrames, serverSymbols, serverTokens));
      } else {
        text.append(
            String.format("%nwhole run: sent frames %,d symbols %,d", sentFrames, sentSymbols));
      }
      if (drainNanos >= 0) {
        text.append(
            String.format(
                "%nflush: drain %.3f s after the last send, tokens written %,d; over the %.1f s of"
                    + " sending + drain: symbols/s %,.0f, pairs written/s %,.0f",
                drainNanos / 1e9,
                tokensWritten,
                sendingSeconds + drainNanos / 1e9,
                sentSymbols / (sendingSeconds + drainNanos / 1e9),
                pairsPerSecond(connections)));
      }
      if (firstFailure != null) {
        text.append(System.lineSeparator()).append("first failure: ").append(firstFailure);
      }
      return text.toString();
    }
  }

  private final Settings settings;
  private final TknCorpus corpus;
  private final Recorder recorder = new Recorder(3);
  private volatile boolean measuring;
  private volatile boolean stopping;

  public TknLoadGenerator(Settings settings) {
    if (settings.connections() < 1 || settings.batch() < 1 || settings.symbolBytes() < 1) {
      throw new IllegalArgumentException(
          "connections, batch and symbolBytes must be at least 1, got "
              + settings.connections()
              + ", "
              + settings.batch()
              + ", "
              + settings.symbolBytes());
    }
    if (settings.flush() && settings.mode() != Mode.HELLO) {
      throw new IllegalArgumentException("flush needs HELLO mode: compatibility mode has no FLUSH");
    }
    this.settings = settings;
    byte[] text =
        settings.text() != null
            ? settings.text()
            : TknCorpus.generate(
                TknCorpus.generatedBytes(settings.batch(), settings.symbolBytes()), TknCorpus.SEED);
    this.corpus = TknCorpus.of(text, settings.batch(), settings.symbolBytes());
  }

  /** The largest BATCH payload this run sends, to check against the server's limit up front. */
  public int maxPayloadBytes() {
    return corpus.maxPayloadBytes();
  }

  /**
   * Connects every connection (a failure closes those already open and throws), runs warm-up then
   * measurement, stops, optionally flushes, and returns the figures.
   *
   * @throws io.tokenworks.protocol.tkn.TknClientException when a connection cannot be opened
   * @throws IllegalArgumentException when a frame would exceed the server's max payload length
   */
  public Result run() throws InterruptedException {
    List<Connection> connections = new ArrayList<>();
    try {
      for (int i = 0; i < settings.connections(); i++) {
        connections.add(new Connection(i, connect()));
      }
      long max = connections.get(0).client.maxPayloadLength();
      if (corpus.maxPayloadBytes() > max) {
        throw new IllegalArgumentException(
            "a BATCH of "
                + settings.batch()
                + " symbols is "
                + corpus.maxPayloadBytes()
                + " bytes, above the server's max payload length "
                + max);
      }
    } catch (RuntimeException e) {
      connections.forEach(connection -> connection.client.close());
      throw e;
    }
    long runStart = System.nanoTime();
    connections.forEach(connection -> connection.sender.start());
    Thread.sleep(settings.warmup().toMillis());
    recorder.reset();
    Totals before = Totals.of(connections);
    measuring = true;
    long start = System.nanoTime();
    Thread.sleep(settings.duration().toMillis());
    measuring = false;
    Totals after = Totals.of(connections);
    long end = System.nanoTime();
    Histogram histogram = recorder.getIntervalHistogram();
    stopping = true;
    for (Connection connection : connections) {
      connection.sender.join(settings.timeout().toMillis() * 2 + 10_000);
      connection.client.close();
    }
    return result(connections, before, after, (end - start) / 1e9, runStart, end, histogram);
  }

  private TknClient connect() {
    if (settings.mode() == Mode.COMPAT) {
      return TknClient.connect(settings.host(), settings.port());
    }
    return TknClient.connect(
        settings.host(),
        settings.port(),
        TknClient.Hello.tenant(settings.tenant() == null ? "" : settings.tenant()),
        TknClient.DEFAULT_CONNECT_TIMEOUT,
        settings.timeout());
  }

  private Result result(
      List<Connection> connections,
      Totals before,
      Totals after,
      double seconds,
      long runStart,
      long end,
      Histogram histogram) {
    long sentFrames = 0;
    long serverFrames = 0;
    long serverSymbols = 0;
    long serverTokens = 0;
    long tokensWritten = 0;
    long lastFlushed = end;
    long errors = 0;
    int failed = 0;
    String firstFailure = null;
    for (Connection connection : connections) {
      sentFrames += connection.frames;
      serverFrames += connection.finalAck.frames();
      serverSymbols += connection.finalAck.symbols();
      serverTokens += connection.finalAck.tokens();
      tokensWritten += connection.tokensWritten;
      lastFlushed = Math.max(lastFlushed, connection.flushedNanos);
      errors += connection.client.errorsReceived();
      if (connection.failure != null) {
        failed++;
        if (firstFailure == null) {
          firstFailure = "connection " + connection.index + ": " + connection.failure;
        }
      }
    }
    long frames = after.frames - before.frames;
    return new Result(
        settings.mode(),
        frames,
        frames * settings.batch(),
        after.bytes - before.bytes,
        after.symbolBytes - before.symbolBytes,
        seconds,
        histogram,
        sentFrames,
        sentFrames * settings.batch(),
        serverFrames,
        serverSymbols,
        serverTokens,
        (end - runStart) / 1e9,
        settings.flush() ? lastFlushed - end : -1,
        tokensWritten,
        errors,
        failed,
        firstFailure);
  }

  private record Totals(long frames, long bytes, long symbolBytes) {
    static Totals of(List<Connection> connections) {
      long frames = 0;
      long bytes = 0;
      long symbolBytes = 0;
      for (Connection connection : connections) {
        // Frames first: a sender publishes bytes before frames, so every frame read has its bytes.
        long f = connection.frames;
        bytes += connection.bytes;
        symbolBytes += connection.symbolBytes;
        frames += f;
      }
      return new Totals(frames, bytes, symbolBytes);
    }
  }

  private final class Connection {
    final int index;
    final TknClient client;
    private final UnsafeBuffer[] encoded = new UnsafeBuffer[TknCorpus.ROTATION];
    final Thread sender;
    final boolean hello;
    final long[] sentNanos = new long[RING];
    final BiConsumer<TknAck, Throwable> onAck = (ack, failure) -> timeUpTo(ack);

    // Written by the sender only; volatile so the coordinating thread can sum them.
    volatile long frames;
    volatile long bytes;
    volatile long symbolBytes;
    // The last frame whose send time is in sentNanos, published after the stamp.
    volatile long stamped;
    // The last frame timed; guarded by this.
    volatile long timed;

    TknAck finalAck = TknAck.NONE;
    long tokensWritten;
    long flushedNanos;
    Throwable failure;

    Connection(int index, TknClient client) {
      this.index = index;
      this.client = client;
      // Encoded once: the generator should cost the machine as little as it can (it shares the
      // cores).
      for (int i = 0; i < TknCorpus.ROTATION; i++) {
        encoded[i] = new UnsafeBuffer(new byte[corpus.frameBytes(i)]);
        TknBatchEncoder encoder = new TknBatchEncoder().wrap(encoded[i], 0);
        for (String item : corpus.batch(i)) {
          encoder.addString(item);
        }
        int length = encoder.finish();
        if (length != encoded[i].capacity()) {
          throw new IllegalStateException(
              "batch "
                  + i
                  + " encodes to "
                  + length
                  + " bytes, the corpus counted "
                  + encoded[i].capacity());
        }
      }
      this.hello = client.helloMode();
      this.sender = new Thread(this::send, "tkn-bench-send-" + index);
    }

    private void send() {
      try {
        int next = 0;
        while (!stopping) {
          sendOne(next);
          next = (next + 1) % TknCorpus.ROTATION;
        }
        finish();
      } catch (RuntimeException e) {
        failure = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      }
    }

    private void sendOne(int index) {
      if (hello) {
        makeRoomInRing();
      }
      long frame = client.sendFrame(encoded[index], 0, encoded[index].capacity());
      // Bytes before frames: see Totals.
      bytes += corpus.frameBytes(index);
      symbolBytes += corpus.symbolBytes(index);
      frames = frame;
      if (hello) {
        // After send(): the frame sits in the client's buffer until acknowledged() writes it.
        sentNanos[(int) (frame & (RING - 1))] = System.nanoTime();
        stamped = frame;
        client.acknowledged(frame).whenComplete(onAck);
      }
    }

    private void makeRoomInRing() {
      long oldest = client.framesSent() + 1 - RING;
      if (oldest > timed) {
        timeUpTo(client.acknowledged(oldest).join());
      }
    }

    private void finish() {
      client.flushSocket();
      if (!hello) {
        awaitCompatAcksQuiet();
        return;
      }
      if (settings.flush()) {
        tokensWritten = client.flush();
        flushedNanos = System.nanoTime();
      }
      finalAck = client.awaitAcks();
      timeUpTo(finalAck);
    }

    /**
     * Closing a socket with unread bytes resets the connection, and the server drops whatever it
     * has not read yet on a reset. In compatibility mode the server acks every chunk it reads, so
     * the client may close only once those acks have gone quiet: the server has read everything (or
     * is paused, sending nothing, in which case the close is a clean FIN).
     */
    private void awaitCompatAcksQuiet() {
      long deadline = System.nanoTime() + settings.timeout().toNanos();
      long seen = client.compatAcksReceived();
      long since = System.nanoTime();
      while (System.nanoTime() - deadline < 0 && System.nanoTime() - since < COMPAT_QUIET_NS) {
        LockSupport.parkNanos(COMPAT_POLL_NS);
        long now = client.compatAcksReceived();
        if (now != seen) {
          seen = now;
          since = System.nanoTime();
        }
      }
    }

    /**
     * Times every stamped frame up to the one {@code ack} covers. Runs on the reader thread, or on
     * the sender when a future was already complete, hence synchronized.
     */
    private synchronized void timeUpTo(TknAck ack) {
      if (ack == null) {
        return;
      }
      long upTo = Math.min(ack.frames(), stamped);
      long now = System.nanoTime();
      boolean record = measuring;
      for (long frame = timed + 1; frame <= upTo; frame++) {
        if (record) {
          recorder.recordValue(Math.max(0, now - sentNanos[(int) (frame & (RING - 1))]));
        }
      }
      if (upTo > timed) {
        timed = upTo;
      }
    }
  }
}
