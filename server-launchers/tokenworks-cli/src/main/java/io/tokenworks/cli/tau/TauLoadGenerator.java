package io.tokenworks.cli.tau;

import io.tokenworks.protocol.tau.TauClient;
import io.tokenworks.protocol.tau.TauClientException;
import io.tokenworks.protocol.tau.TauLabel;
import io.tokenworks.protocol.tau.TauPipeline;
import io.tokenworks.protocol.tau.TauStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * End-to-end load against a Tau server: {@code connections} connections, each with its own series
 * and up to {@code depth} requests in flight (a sender and a receiver thread per connection),
 * APPEND when {@code batch} is 1, APPEND_BATCH of {@code batch} points otherwise. With a target
 * {@code rate} the senders follow a fixed schedule and latency is measured from each request's
 * intended send time, so a stall shows in the percentiles instead of hiding (no coordinated
 * omission). Latencies go into an HdrHistogram.
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

  private static final long PARK_THRESHOLD_NANOS = 100_000;

  private final Settings settings;
  private final Recorder recorder = new Recorder(3);
  private final Recorder senderLag = new Recorder(3);
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private volatile boolean measuring;
  private volatile boolean stopping;

  public TauLoadGenerator(Settings settings) {
    if (settings.connections() < 1 || settings.depth() < 1 || settings.batch() < 1) {
      throw new IllegalArgumentException("connections, depth and batch must be at least 1");
    }
    this.settings = settings;
  }

  /** Runs warm-up then measurement and returns the measured figures. */
  public Result run() throws InterruptedException {
    List<Connection> connections = new ArrayList<>();
    long runId = System.nanoTime();
    for (int i = 0; i < settings.connections(); i++) {
      connections.add(new Connection(TauLabel.of("bench-" + Long.toHexString(runId) + "-" + i)));
    }
    for (Connection connection : connections) {
      connection.start();
    }
    Thread.sleep(settings.warmup().toMillis());
    recorder.reset();
    senderLag.reset();
    long startRequests = requests.get();
    long startErrors = errors.get();
    measuring = true;
    long start = System.nanoTime();
    Thread.sleep(settings.duration().toMillis());
    measuring = false;
    double seconds = (System.nanoTime() - start) / 1e9;
    long measured = requests.get() - startRequests;
    Histogram histogram = recorder.getIntervalHistogram();
    Histogram lag = senderLag.getIntervalHistogram();
    stopping = true;
    for (Connection connection : connections) {
      connection.stop();
    }
    return new Result(
        measured, measured * settings.batch(), errors.get() - startErrors, seconds, histogram, lag);
  }

  private final class Connection {
    private final TauLabel series;
    private final TauClient client;
    private final TauPipeline pipeline;
    private final Semaphore window;
    private final long[] intendedNanos;
    private final int mask;
    private final Thread sender;
    private final Thread receiver;
    private final long[] timestamps;
    private final double[] values;
    private long next;

    Connection(TauLabel series) {
      this.series = series;
      this.client = TauClient.connect(settings.host(), settings.port(), settings.certificate());
      client.createSeries(series);
      this.pipeline = client.pipeline();
      this.window = new Semaphore(settings.depth());
      int size = Integer.highestOneBit(Math.max(1, settings.depth()) * 2 - 1) * 2;
      this.intendedNanos = new long[size];
      this.mask = size - 1;
      this.timestamps = new long[settings.batch()];
      this.values = new double[settings.batch()];
      this.sender = new Thread(this::send, "tau-bench-send-" + series);
      this.receiver = new Thread(this::receive, "tau-bench-receive-" + series);
    }

    void start() {
      sender.start();
      receiver.start();
    }

    void stop() throws InterruptedException {
      sender.join();
      receiver.join(TimeUnit.SECONDS.toMillis(30));
      try {
        client.close();
      } catch (TauClientException e) {
        // The run is over; a close failure changes no figure.
      }
    }

    private void send() {
      long intervalNanos =
          settings.rate() > 0
              ? TimeUnit.SECONDS.toNanos(settings.connections()) / settings.rate()
              : 0;
      long schedule = System.nanoTime();
      long sequence = 0;
      try {
        while (!stopping) {
          if (!window.tryAcquire()) {
            pipeline.flush();
            window.acquire();
          }
          long intended = System.nanoTime();
          if (intervalNanos > 0) {
            schedule += intervalNanos;
            long wait = schedule - intended;
            if (wait > PARK_THRESHOLD_NANOS) {
              // Parking costs a wake-up of tens of microseconds: only worth it for a real gap.
              pipeline.flush();
              LockSupport.parkNanos(wait);
              intended = System.nanoTime();
            }
            // Late: count from the schedule (no coordinated omission). Early: from the real send.
            if (measuring) {
              senderLag.recordValue(Math.max(0, intended - schedule));
            }
            intended = Math.min(intended, schedule);
          }
          intendedNanos[(int) (sequence++ & mask)] = intended;
          sendOne();
        }
        pipeline.flush();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void sendOne() {
      if (settings.batch() == 1) {
        pipeline.append(series, ++next, 20.0 + (next & 127) * 0.1);
        return;
      }
      for (int i = 0; i < timestamps.length; i++) {
        timestamps[i] = ++next;
        values[i] = 20.0 + (next & 127) * 0.1;
      }
      pipeline.appendBatch(series, timestamps, values, 0, timestamps.length);
    }

    private void receive() {
      long sequence = 0;
      while (!(stopping && pipeline.pending() == 0)) {
        if (pipeline.pending() == 0) {
          LockSupport.parkNanos(50_000);
          continue;
        }
        TauStatus status = pipeline.nextStatus();
        long latency = System.nanoTime() - intendedNanos[(int) (sequence++ & mask)];
        if (measuring) {
          recorder.recordValue(Math.max(0, latency));
        }
        requests.incrementAndGet();
        if (status != TauStatus.SUCCESS) {
          errors.incrementAndGet();
        }
        window.release();
      }
    }
  }
}
