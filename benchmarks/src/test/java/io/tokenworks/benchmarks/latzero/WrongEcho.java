package io.tokenworks.benchmarks.latzero;

import io.tokenworks.protocol.latzero.block.BlockAccess;
import io.tokenworks.protocol.latzero.block.SharedBlock;
import io.tokenworks.protocol.latzero.block.WriteLease;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * An echo process that signals ready, then answers the first ping with sequence {@link #ANSWER},
 * for the ping-pong tests; it then waits to be killed. Takes {@link SharedBlockEcho}'s arguments.
 */
public final class WrongEcho {

  static final long ANSWER = 42;

  private WrongEcho() {}

  public static void main(String[] args) throws InterruptedException {
    int payload = Integer.parseInt(args[2]);
    ProcessHandle parent = ProcessHandle.of(Long.parseLong(args[3])).orElseThrow();
    SharedBlock ping = SharedBlock.open(Path.of(args[0]), BlockAccess.READ_ONLY);
    SharedBlock pong = SharedBlock.open(Path.of(args[1]), BlockAccess.READ_WRITE);
    WriteLease lease = pong.acquireWrite(ProcessHandle.current().pid(), 60_000);
    UnsafeBuffer message = new UnsafeBuffer(new byte[payload]);
    pong.write(lease, 0, message, 0, payload);
    VersionWait.awaitChange(ping, 0, parent, TimeUnit.SECONDS.toNanos(30));
    message.putLong(0, ANSWER, ByteOrder.LITTLE_ENDIAN);
    pong.write(lease, 0, message, 0, payload);
    Thread.sleep(60_000);
  }
}
