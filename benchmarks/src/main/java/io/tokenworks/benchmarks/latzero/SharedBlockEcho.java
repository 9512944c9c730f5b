package io.tokenworks.benchmarks.latzero;

import io.tokenworks.benchmarks.latzero.PingPongException.Failure;
import io.tokenworks.protocol.latzero.block.BlockAccess;
import io.tokenworks.protocol.latzero.block.SharedBlock;
import io.tokenworks.protocol.latzero.block.SharedBlockException;
import io.tokenworks.protocol.latzero.block.WriteLease;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The echo side of {@link SharedBlockPingPong}, started by it as a child JVM: maps the ping and
 * pong blocks, and copies every new version of ping into pong until it reads the stop sequence.
 * Arguments: {@code <ping path> <pong path> <payload bytes> <parent pid> <timeout ms>}. It exits on
 * its own when the parent process is gone or stays silent past the timeout, so a parent killed with
 * {@code kill -9} leaves no spinning echo behind.
 */
public final class SharedBlockEcho {

  /** The sequence number the echo writes once it is ready for pings. */
  static final long READY = 0;

  /** The sequence number after which the echo exits. */
  static final long STOP = -1;

  /** Renewed well before expiry; a write past expiry would fail with LEASE_EXPIRED. */
  static final long LEASE_MILLIS = TimeUnit.MINUTES.toMillis(1);

  private SharedBlockEcho() {}

  /** Runs the echo; the exit code is 0 after the stop sequence, else the failure's. */
  public static void main(String[] args) {
    try {
      if (args.length != 5) {
        throw new PingPongException(
            Failure.USAGE,
            "usage: SharedBlockEcho <ping path> <pong path> <payload bytes> <parent pid>"
                + " <timeout ms>");
      }
      long parentPid = parseLong(args[3]);
      ProcessHandle parent =
          ProcessHandle.of(parentPid)
              .orElseThrow(
                  () ->
                      new PingPongException(
                          Failure.PEER_GONE, "parent process " + parentPid + " is not running"));
      run(
          Path.of(args[0]),
          Path.of(args[1]),
          (int) parseLong(args[2]),
          parent,
          TimeUnit.MILLISECONDS.toNanos(parseLong(args[4])));
    } catch (PingPongException e) {
      System.err.println("echo: " + e.getMessage());
      System.exit(e.failure().exitCode());
    } catch (SharedBlockException e) {
      System.err.println("echo: " + e.error() + ": " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Echoes until the stop sequence.
   *
   * @throws PingPongException {@link Failure#PEER_GONE} when {@code parent} exits, {@link
   *     Failure#TIMEOUT} when no ping comes within {@code timeoutNs}
   */
  static void run(
      Path pingPath, Path pongPath, int payloadBytes, ProcessHandle parent, long timeoutNs) {
    long pid = ProcessHandle.current().pid();
    try (SharedBlock ping = SharedBlock.open(pingPath, BlockAccess.READ_ONLY);
        SharedBlock pong = SharedBlock.open(pongPath, BlockAccess.READ_WRITE)) {
      WriteLease lease = pong.acquireWrite(pid, LEASE_MILLIS);
      long renewAtMs = System.currentTimeMillis() + LEASE_MILLIS / 2;
      UnsafeBuffer message = new UnsafeBuffer(new byte[payloadBytes]);
      long pingVersion = ping.contentVersion();
      message.putLong(0, READY, ByteOrder.LITTLE_ENDIAN);
      pong.write(lease, 0, message, 0, payloadBytes);
      while (true) {
        pingVersion = VersionWait.awaitChange(ping, pingVersion, parent, timeoutNs);
        ping.read(0, message, 0, payloadBytes);
        pong.write(lease, 0, message, 0, payloadBytes);
        if (message.getLong(0, ByteOrder.LITTLE_ENDIAN) == STOP) {
          return;
        }
        // After the write, so the renewal overlaps the parent's read instead of delaying it.
        long nowMs = System.currentTimeMillis();
        if (nowMs >= renewAtMs) {
          lease = pong.renew(lease, LEASE_MILLIS);
          renewAtMs = nowMs + LEASE_MILLIS / 2;
        }
      }
    }
  }

  private static long parseLong(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new PingPongException(Failure.USAGE, value + " is not a whole number");
    }
  }
}
