package io.tokenworks.cli.tau;

import io.tokenworks.protocol.tau.TauClient;
import io.tokenworks.protocol.tau.TauFrame;
import io.tokenworks.protocol.tau.TauFrameDescriptor;
import io.tokenworks.protocol.tau.TauFrameEncoder;
import io.tokenworks.protocol.tau.TauLabel;
import io.tokenworks.protocol.tau.TauOpcode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * End-to-end load against a Tau server: {@code connections} connections, each with its own series
 * and up to {@code depth} requests in flight, APPEND when {@code batch} is 1, APPEND_BATCH of
 * {@code batch} points otherwise. One thread drives every connection in rounds over non-blocking
 * sockets (send what is due, read what arrived, pause ~100 µs), so the generator takes a fraction
 * of a core from the server it usually shares the machine with. With a target {@code rate} each
 * connection follows a fixed schedule and latency is measured from each request's scheduled time,
 * so a stall shows in the percentiles instead of hiding (no coordinated omission). Latencies go
 * into an HdrHistogram.
 */
public final class TauLoadGenerator {

  /**
   * What to run. {@code rate} is requests per second over all connections; 0 means as fast as
   * possible.
   */
  public record Settings(
      String host,
      int port,
      byte[] certificate,
      int connections,
      int depth,
      int batch,
      Duration duration,
      Duration warmup,
      long rate) {}

  /**
   * What happened during the measured part.
   *
   * @param senderLagNanos with a rate, how late each request left the generator against its
   *     schedule: the generator's own stalls (its threads share the machine with the server), which
   *     the latency figures include by design. When this tail is as long as the latency tail, the
   *     generator measures its own scheduling, not the server.
   */
  public record Result(
      long requests,
      long points,
      long errors,
      double seconds,
      Histogram latencyNanos,
      Histogram senderLagNanos) {

    public double requestsPerSecond() {
      return requests / seconds;
    }

    public double pointsPerSecond() {
      return points / seconds;
    }

    /** One human-readable report. */
    public String describe() {
      String report =
          String.format(
              "requests/s %,.0f   points/s %,.0f   errors %d   latency µs p50 %.1f  p99 %.1f  p999 %.1f  max %.1f",
              requestsPerSecond(),
              pointsPerSecond(),
              errors,
              latencyNanos.getValueAtPercentile(50) / 1e3,
              latencyNanos.getValueAtPercentile(99) / 1e3,
              latencyNanos.getValueAtPercentile(99.9) / 1e3,
              latencyNanos.getMaxValue() / 1e3);
      if (senderLagNanos.getTotalCount() == 0) {
        return report;
      }
      return report
          + String.format(
              "%ngenerator lag µs p50 %.1f  p99 %.1f  p999 %.1f (requests sent late against the schedule)",
              senderLagNanos.getValueAtPercentile(50) / 1e3,
              senderLagNanos.getValueAtPercentile(99) / 1e3,
              senderLagNanos.getValueAtPercentile(99.9) / 1e3);
    }
  }

  /**
   * With a schedule, the pause between two rounds of the driver (sending what is due, reading what
   * arrived). Rounds instead of spinning leave the cores to the server the generator usually shares
   * them with; the price is that a reply is noticed (and counted) up to a pause plus the kernel's
   * timer slack (~50 µs) after it arrived, which only ever adds to the reported latency. Without a
   * schedule the driver instead waits for replies, so the window refills as soon as one arrives.
   *
   * <p>100 µs rather than 20: at 1.75M APPEND/s on 2 vCPUs the generator then used 4.4 s of CPU in
   * 15 s instead of 5.8 s, and the Tau event loop 7.2-7.5 s instead of 8.3 s (fewer, larger rounds:
   * fewer wake-ups on both sides); the median it reports grows by about 0.1 ms.
   */
  private static final long ROUND_PAUSE_NANOS = 100_000;

  private static final long REPLY_WAIT_MILLIS = 1;

  private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final Settings settings;
  private final int frameLength;

  public TauLoadGenerator(Settings settings) {
    if (settings.connections() < 1 || settings.depth() < 1 || settings.batch() < 1) {
      throw new IllegalArgumentException("connections, depth and batch must be at least 1");
    }
    long payload =
        settings.batch() == 1
            ? TauFrameDescriptor.APPEND_PAYLOAD_LENGTH
            : TauFrameDescriptor.appendBatchPayloadLength(settings.batch());
    if (payload > TauFrameDescriptor.MAX_PAYLOAD_LENGTH) {
      throw new IllegalArgumentException(
          "a batch of "
              + settings.batch()
              + " points exceeds the protocol's "
              + TauFrameDescriptor.MAX_PAYLOAD_LENGTH
              + "-byte payload limit");
    }
    this.settings = settings;
    this.frameLength = TauFrameDescriptor.HEADER_LENGTH + (int) payload;
  }

  /**
   * Runs warm-up then measurement on the calling thread, which drives every connection, and returns
   * the measured figures.
   */
  public Result run() {
    String runId = Long.toHexString(System.nanoTime());
    List<Load> loads = new ArrayList<>();
    try (TauClient admin =
            TauClient.connect(settings.host(), settings.port(), settings.certificate());
        Selector replies = Selector.open()) {
      for (int i = 0; i < settings.connections(); i++) {
        TauLabel series = TauLabel.of("bench-" + runId + "-" + i);
        admin.createSeries(series);
        Load load = new Load(series, openChannel());
        loads.add(load);
        load.channel.wakeOnReply(replies);
      }
      return drive(loads, replies);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector", e);
    } finally {
      for (Load load : loads) {
        load.channel.close();
      }
    }
  }

  private TauLoadChannel openChannel() {
    int sendCapacity = Math.max(256 * 1024, 4 * frameLength);
    return TauLoadChannel.open(
        settings.host(), settings.port(), settings.certificate(), sendCapacity);
  }

  private Result drive(List<Load> loads, Selector replies) throws IOException {
    Histogram latency = new Histogram(3);
    Histogram lag = new Histogram(3);
    long intervalNanos =
        settings.rate() > 0
            ? TimeUnit.SECONDS.toNanos(settings.connections()) / settings.rate()
            : 0;
    long start = System.nanoTime();
    long measureFrom = start + settings.warmup().toNanos();
    long measureUntil = measureFrom + settings.duration().toNanos();
    for (int i = 0; i < loads.size(); i++) {
      // Spread the connections' schedules over one interval instead of sending in lockstep.
      loads.get(i).schedule = start + intervalNanos * i / loads.size();
    }
    Tally tally = new Tally(latency, measureFrom, measureUntil);
    for (Load load : loads) {
      load.tally = tally;
    }
    long now = start;
    while (now - measureUntil < 0) {
      for (Load load : loads) {
        load.send(now, intervalNanos, now - measureFrom >= 0 ? lag : null);
        load.channel.flush();
        tally.now = System.nanoTime();
        load.channel.receive(load.handler);
      }
      if (intervalNanos > 0) {
        LockSupport.parkNanos(ROUND_PAUSE_NANOS);
      } else {
        replies.select(REPLY_WAIT_MILLIS);
        replies.selectedKeys().clear();
      }
      now = System.nanoTime();
    }
    long deadline = System.nanoTime() + DRAIN_TIMEOUT_NANOS;
    for (Load load : loads) {
      while (load.inFlight() > 0 && System.nanoTime() - deadline < 0) {
        load.channel.flush();
        tally.now = System.nanoTime();
        if (load.channel.receive(load.handler) == 0) {
          LockSupport.parkNanos(ROUND_PAUSE_NANOS);
        }
      }
    }
    double seconds = settings.duration().toNanos() / 1e9;
    return new Result(
        tally.requests, tally.requests * settings.batch(), tally.errors, seconds, latency, lag);
  }

  /** What the replies of the measured window add up to; {@code now} is when they were read. */
  private static final class Tally {
    final Histogram latency;
    final long measureFrom;
    final long measureUntil;
    long now;
    long requests;
    long errors;

    Tally(Histogram latency, long measureFrom, long measureUntil) {
      this.latency = latency;
      this.measureFrom = measureFrom;
      this.measureUntil = measureUntil;
    }

    void reply(long intended, boolean error) {
      if (now - measureFrom < 0 || now - measureUntil >= 0) {
        return;
      }
      latency.recordValue(Math.max(0, now - intended));
      requests++;
      if (error) {
        errors++;
      }
    }
  }

  /** One connection's series, schedule and window of requests in flight. */
  private final class Load {
    final TauLabel series;
    final TauLoadChannel channel;
    final long[] intendedNanos;
    final int mask;
    final long[] timestamps;
    final double[] values;
    long schedule;
    long sent;
    long answered;
    long next;
    Tally tally;
    final TauLoadChannel.ReplyHandler handler = this::onReply;

    Load(TauLabel series, TauLoadChannel channel) {
      this.series = series;
      this.channel = channel;
      int size = Integer.highestOneBit(settings.depth() * 2 - 1) * 2;
      this.intendedNanos = new long[size];
      this.mask = size - 1;
      this.timestamps = new long[settings.batch()];
      this.values = new double[settings.batch()];
    }

    long inFlight() {
      return sent - answered;
    }

    /**
     * Encodes every request that is due at {@code now} and fits the window and the send buffer.
     * With a schedule, a request's latency counts from its scheduled time, so a late send shows in
     * the percentiles (no coordinated omission) and its lateness goes to {@code lag}.
     */
    void send(long now, long intervalNanos, Histogram lag) {
      while (inFlight() < settings.depth() && (intervalNanos == 0 || schedule - now <= 0)) {
        int offset = channel.reserve(frameLength);
        if (offset < 0) {
          break;
        }
        channel.commit(encode(offset));
        long intended = now;
        if (intervalNanos > 0) {
          intended = schedule;
          schedule += intervalNanos;
          if (lag != null) {
            lag.recordValue(now - intended);
          }
        }
        intendedNanos[(int) (sent++ & mask)] = intended;
      }
    }

    private int encode(int offset) {
      if (settings.batch() == 1) {
        next++;
        return TauFrameEncoder.append(
            channel.sendBuffer(), offset, series, next, 20.0 + (next & 127) * 0.1);
      }
      for (int i = 0; i < timestamps.length; i++) {
        timestamps[i] = ++next;
        values[i] = 20.0 + (next & 127) * 0.1;
      }
      return TauFrameEncoder.appendBatch(
          channel.sendBuffer(), offset, series, timestamps, values, 0, timestamps.length);
    }

    private void onReply(TauFrame reply) {
      tally.reply(intendedNanos[(int) (answered++ & mask)], reply.opcode() == TauOpcode.ERR);
    }
  }
}
