package io.tokenworks.benchmarks.latzero;

import io.tokenworks.benchmarks.latzero.PingPongException.Failure;
import io.tokenworks.protocol.latzero.block.SharedBlock;
import io.tokenworks.protocol.latzero.block.WriteLease;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The parent side of one ping-pong run: creates the ping and pong blocks, starts the echo JVM,
 * times round trips, and always stops the echo and deletes the blocks, whether the run succeeds or
 * fails.
 */
final class PingPong {

  /** Highest one-way latency the histogram tracks; longer ones are recorded as this. */
  static final long MAX_TRACKED_NANOS = TimeUnit.MINUTES.toNanos(10);

  private static final long READY_POLL_MILLIS = 1;
  private static final long KILL_WAIT_SECONDS = 5;

  /**
   * What one run measured.
   *
   * @param oneWayNanos half of each measured round trip: one write made visible to, and read by,
   *     the other process
   */
  record Result(int payloadBytes, long roundTrips, long elapsedNanos, Histogram oneWayNanos) {

    double roundTripsPerSecond() {
      return roundTrips * 1e9 / elapsedNanos;
    }

    /** One line in the style of the other load generators. */
    String describe() {
      return String.format(
          "payload %d B   round trips/s %,.0f   one-way write-to-visible µs"
              + " p50 %.2f  p99 %.2f  p999 %.2f  max %.2f",
          payloadBytes,
          roundTripsPerSecond(),
          oneWayNanos.getValueAtPercentile(50) / 1e3,
          oneWayNanos.getValueAtPercentile(99) / 1e3,
          oneWayNanos.getValueAtPercentile(99.9) / 1e3,
          oneWayNanos.getMaxValue() / 1e3);
    }
  }

  private final PingPongOptions options;
  private final Path javaLauncher;
  private final String echoMainClass;
  private final long timeoutNs;
  private Process echo;
  private ProcessHandle echoHandle;

  /** Runs {@link SharedBlockEcho} on this JVM's own {@code java} launcher and class path. */
  PingPong(PingPongOptions options) {
    this(
        options,
        Path.of(System.getProperty("java.home"), "bin", "java"),
        SharedBlockEcho.class.getName());
  }

  /** With another launcher or echo main class, so tests can start an echo that misbehaves. */
  PingPong(PingPongOptions options, Path javaLauncher, String echoMainClass) {
    this.options = options;
    this.javaLauncher = javaLauncher;
    this.echoMainClass = echoMainClass;
    this.timeoutNs = options.timeout().toNanos();
  }

  /**
   * Runs warm-up and measured round trips.
   *
   * @throws PingPongException when the echo cannot start, exits, stalls or answers wrongly; the
   *     echo is killed before this returns
   */
  Result run() {
    int payload = options.payloadBytes();
    Path directory = BlockDirectories.createUnder(options.baseDirectory(), "lz-pingpong-");
    try (SharedBlock ping = SharedBlock.create(directory.resolve("ping.block"), payload);
        SharedBlock pong = SharedBlock.create(directory.resolve("pong.block"), payload)) {
      WriteLease lease =
          ping.acquireWrite(ProcessHandle.current().pid(), SharedBlockEcho.LEASE_MILLIS);
      echo = startEcho(ping.path(), pong.path());
      echoHandle = echo.toHandle();
      long pongVersion = awaitReady(pong);
      return measure(ping, lease, pong, pongVersion);
    } finally {
      stopEcho();
      BlockDirectories.deleteRecursively(directory);
    }
  }

  private Result measure(SharedBlock ping, WriteLease lease, SharedBlock pong, long pongVersion) {
    int payload = options.payloadBytes();
    long warmup = options.warmupIterations();
    long total = warmup + options.iterations();
    byte[] filler = new byte[payload];
    new SplittableRandom(7).nextBytes(filler);
    UnsafeBuffer sent = new UnsafeBuffer(filler);
    UnsafeBuffer received = new UnsafeBuffer(new byte[payload]);
    Histogram oneWayNanos = new Histogram(MAX_TRACKED_NANOS, 3);
    long renewAtMs = System.currentTimeMillis() + SharedBlockEcho.LEASE_MILLIS / 2;
    long measuredFromNs = System.nanoTime();
    for (long sequence = 1; sequence <= total; sequence++) {
      if (sequence == warmup + 1) {
        measuredFromNs = System.nanoTime();
      }
      sent.putLong(0, sequence, ByteOrder.LITTLE_ENDIAN);
      long startNs = System.nanoTime();
      ping.write(lease, 0, sent, 0, payload);
      pongVersion = awaitEcho(pong, pongVersion);
      pong.read(0, received, 0, payload);
      long endNs = System.nanoTime();
      long echoed = received.getLong(0, ByteOrder.LITTLE_ENDIAN);
      if (echoed != sequence) {
        throw new PingPongException(
            Failure.WRONG_ECHO, "sent sequence " + sequence + ", echo returned " + echoed);
      }
      if (sequence > warmup) {
        oneWayNanos.recordValue(Math.min((endNs - startNs) / 2, MAX_TRACKED_NANOS));
      }
      long nowMs = System.currentTimeMillis();
      if (nowMs >= renewAtMs) {
        lease = ping.renew(lease, SharedBlockEcho.LEASE_MILLIS);
        renewAtMs = nowMs + SharedBlockEcho.LEASE_MILLIS / 2;
      }
    }
    long elapsedNs = System.nanoTime() - measuredFromNs;
    sent.putLong(0, SharedBlockEcho.STOP, ByteOrder.LITTLE_ENDIAN);
    ping.write(lease, 0, sent, 0, payload);
    awaitExit();
    return new Result(payload, options.iterations(), elapsedNs, oneWayNanos);
  }

  private Process startEcho(Path ping, Path pong) {
    List<String> command = new ArrayList<>();
    command.add(javaLauncher.toString());
    // Agrona reaches jdk.internal.misc.Unsafe, as in every JVM of this project.
    command.add("--add-exports");
    command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
    command.addAll(options.echoJvmArgs());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(echoMainClass);
    command.add(ping.toString());
    command.add(pong.toString());
    command.add(Integer.toString(options.payloadBytes()));
    command.add(Long.toString(ProcessHandle.current().pid()));
    command.add(Long.toString(options.timeout().toMillis()));
    try {
      return new ProcessBuilder(command)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
    } catch (IOException e) {
      throw new PingPongException(
          Failure.SPAWN_FAILED, "cannot start the echo JVM " + javaLauncher + ": " + e, e);
    }
  }

  /**
   * Waits for the echo's first write. Polls with sleeps: the echo JVM takes a good part of a second
   * to start, and spinning meanwhile would take a core from it.
   */
  private long awaitReady(SharedBlock pong) {
    long deadlineNs = System.nanoTime() + timeoutNs;
    while (true) {
      long version = pong.contentVersion();
      if (version != 0) {
        return version;
      }
      if (!echo.isAlive()) {
        throw echoExited("before it was ready");
      }
      if (System.nanoTime() - deadlineNs >= 0) {
        throw new PingPongException(
            Failure.TIMEOUT,
            "the echo process did not start within " + options.timeout().toSeconds() + " s");
      }
      sleepMillis(READY_POLL_MILLIS);
    }
  }

  private long awaitEcho(SharedBlock pong, long pongVersion) {
    try {
      return VersionWait.awaitChange(pong, pongVersion, echoHandle, timeoutNs);
    } catch (PingPongException e) {
      if (e.failure() == Failure.PEER_GONE) {
        throw echoExited("in the middle of the run");
      }
      throw e;
    }
  }

  private void awaitExit() {
    try {
      if (!echo.waitFor(timeoutNs, TimeUnit.NANOSECONDS)) {
        throw new PingPongException(
            Failure.TIMEOUT, "the echo process did not exit after the stop sequence");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PingPongException(Failure.TIMEOUT, "interrupted while the echo process exits", e);
    }
    if (echo.exitValue() != 0) {
      throw echoExited("after the stop sequence");
    }
  }

  private PingPongException echoExited(String when) {
    try {
      echo.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String code = echo.isAlive() ? "still running" : "exit code " + echo.exitValue();
    return new PingPongException(
        Failure.PEER_GONE, "the echo process stopped " + when + " (" + code + ")");
  }

  /** Kills an echo that is still running, and waits for it to be gone. */
  private void stopEcho() {
    if (echo == null || !echo.isAlive()) {
      return;
    }
    echo.destroyForcibly();
    try {
      echo.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PingPongException(Failure.TIMEOUT, "interrupted while waiting for the echo", e);
    }
  }
}
