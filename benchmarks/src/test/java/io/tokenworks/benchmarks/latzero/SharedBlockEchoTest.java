package io.tokenworks.benchmarks.latzero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.benchmarks.latzero.PingPongException.Failure;
import io.tokenworks.protocol.latzero.block.SharedBlock;
import io.tokenworks.protocol.latzero.block.WriteLease;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The echo loop run in this JVM against real blocks, and its launcher run as a process. */
class SharedBlockEchoTest {

  private static final int PAYLOAD = 256;
  private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(10);

  @TempDir Path directory;

  private SharedBlock ping;
  private SharedBlock pong;
  private WriteLease lease;
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  @BeforeEach
  void createBlocks() {
    ping = SharedBlock.create(directory.resolve("ping.block"), PAYLOAD);
    pong = SharedBlock.create(directory.resolve("pong.block"), PAYLOAD);
    lease = ping.acquireWrite(1, 60_000);
  }

  @AfterEach
  void closeBlocks() {
    executor.shutdownNow();
    ping.close();
    pong.close();
  }

  @Test
  void echoesEveryPingIntoPongUntilTheStopSequence() throws Exception {
    Future<?> echo = startEcho(ProcessHandle.current(), WAIT_NS);
    long pongVersion = VersionWait.awaitChange(pong, 0, ProcessHandle.current(), WAIT_NS);
    UnsafeBuffer received = new UnsafeBuffer(new byte[PAYLOAD]);
    pong.read(0, received, 0, PAYLOAD);
    assertThat(received.getLong(0, ByteOrder.LITTLE_ENDIAN)).isEqualTo(SharedBlockEcho.READY);

    UnsafeBuffer sent = new UnsafeBuffer(new byte[PAYLOAD]);
    sent.putLong(0, 5, ByteOrder.LITTLE_ENDIAN);
    sent.putStringWithoutLengthAscii(8, "the rest of the payload travels too");
    ping.write(lease, 0, sent, 0, PAYLOAD);
    pongVersion = VersionWait.awaitChange(pong, pongVersion, ProcessHandle.current(), WAIT_NS);
    pong.read(0, received, 0, PAYLOAD);
    assertThat(received.byteArray()).isEqualTo(sent.byteArray());

    sent.putLong(0, SharedBlockEcho.STOP, ByteOrder.LITTLE_ENDIAN);
    ping.write(lease, 0, sent, 0, PAYLOAD);
    echo.get(10, TimeUnit.SECONDS);
    assertThat(pong.contentVersion()).isEqualTo(pongVersion + 1);
  }

  @Test
  void stopsWhenTheParentProcessIsGone() throws Exception {
    Process exited = new ProcessBuilder(javaLauncher().toString(), "-version").start();
    exited.waitFor(30, TimeUnit.SECONDS);

    assertThatThrownBy(
            () ->
                SharedBlockEcho.run(ping.path(), pong.path(), PAYLOAD, exited.toHandle(), WAIT_NS))
        .isInstanceOfSatisfying(
            PingPongException.class, e -> assertThat(e.failure()).isEqualTo(Failure.PEER_GONE))
        .hasMessageContaining("exited before writing");
  }

  @Test
  void givesUpWhenNoPingComesWithinTheTimeout() {
    assertThatThrownBy(
            () ->
                SharedBlockEcho.run(
                    ping.path(),
                    pong.path(),
                    PAYLOAD,
                    ProcessHandle.current(),
                    TimeUnit.MILLISECONDS.toNanos(50)))
        .isInstanceOfSatisfying(
            PingPongException.class, e -> assertThat(e.failure()).isEqualTo(Failure.TIMEOUT));
    assertThat(pong.contentVersion()).as("the ready signal was written").isEqualTo(1);
  }

  @Test
  void launcherRejectsAWrongArgumentCountWithTheUsageExitCode() throws Exception {
    Process echo =
        new ProcessBuilder(
                javaLauncher().toString(),
                "--add-exports",
                "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                SharedBlockEcho.class.getName(),
                ping.path().toString())
            .redirectErrorStream(true)
            .start();
    String output = readAll(echo);

    assertThat(echo.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(echo.exitValue()).isEqualTo(Failure.USAGE.exitCode());
    assertThat(output).contains("usage: SharedBlockEcho <ping path>");
  }

  private Future<?> startEcho(ProcessHandle parent, long timeoutNs) {
    return executor.submit(
        () -> SharedBlockEcho.run(ping.path(), pong.path(), PAYLOAD, parent, timeoutNs));
  }

  static Path javaLauncher() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  private static String readAll(Process process) throws IOException {
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
