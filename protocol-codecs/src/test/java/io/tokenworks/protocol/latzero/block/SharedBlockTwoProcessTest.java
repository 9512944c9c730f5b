package io.tokenworks.protocol.latzero.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real JVMs mapping one block file: the child writes, this JVM reads and takes leases over. */
class SharedBlockTwoProcessTest {

  private static final int BLOCK_SIZE = 16 * 1024;

  @TempDir Path dir;

  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void killChildren() throws InterruptedException {
    for (Process child : children) {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void readerInAnotherProcessNeverSeesATornWrite() throws Exception {
    Path file = dir.resolve("pool/patterns");
    try (SharedBlock block = SharedBlock.create(file, BLOCK_SIZE)) {
      Child writer = start("pattern", file.toString(), "15000");
      assertThat(writer.readLine()).startsWith("READY ");

      byte[] snapshot = new byte[BLOCK_SIZE];
      DirectBuffer view = block.view();
      long lastVersion = 0;
      int distinctVersions = 0;
      int optimisticSuccesses = 0;
      long giveUpNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while ((distinctVersions < 200 || optimisticSuccesses < 50)
          && System.nanoTime() - giveUpNs < 0) {
        long version = block.read(0, snapshot, 0, BLOCK_SIZE);
        assertUniform(snapshot, version);
        assertThat(version).isGreaterThanOrEqualTo(lastVersion);
        if (version > lastVersion) {
          distinctVersions++;
          lastVersion = version;
        }

        long stamp = block.readVersion();
        byte first = view.getByte(0);
        byte middle = view.getByte(BLOCK_SIZE / 2);
        byte last = view.getByte(BLOCK_SIZE - 1);
        if (block.validate(stamp)) {
          optimisticSuccesses++;
          assertThat(middle).isEqualTo(first);
          assertThat(last).isEqualTo(first);
        }
      }
      assertThat(distinctVersions).isGreaterThanOrEqualTo(200);
      assertThat(optimisticSuccesses).isGreaterThanOrEqualTo(50);
    }
  }

  @Test
  void leaseOfAKilledWriterIsTakenOverAfterExpiryWithAHigherToken() throws Exception {
    Path file = dir.resolve("pool/leased");
    AtomicLong clockOffsetMs = new AtomicLong();
    SharedBlockOptions options =
        SharedBlockOptions.DEFAULTS.withClock(
            () -> System.currentTimeMillis() + clockOffsetMs.get());
    SharedBlock.create(file, 4096).close();
    try (SharedBlock block = SharedBlock.open(file, BlockAccess.READ_WRITE, options)) {
      Child holder = start("hold", file.toString(), "15000", "60000");
      String[] held = holder.readLine().split(" ");
      assertThat(held[0]).isEqualTo("HELD");
      long childToken = Long.parseLong(held[1]);
      long childExpiresAt = Long.parseLong(held[2]);

      assertThatThrownBy(() -> block.acquireWrite(1, 1_000))
          .isInstanceOfSatisfying(
              SharedBlockException.class,
              e -> assertThat(e.error()).isEqualTo(SharedBlockError.LEASE_HELD));
      assertThat(block.leaseState())
          .isEqualTo(new LeaseState(true, childToken, holder.process.pid(), childExpiresAt));

      holder.process.destroyForcibly();
      assertThat(holder.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
      // A dead holder's lease still runs until its expiry: nothing can tell death from a pause.
      assertThatThrownBy(() -> block.acquireWrite(1, 1_000))
          .isInstanceOfSatisfying(
              SharedBlockException.class,
              e -> assertThat(e.error()).isEqualTo(SharedBlockError.LEASE_HELD));

      clockOffsetMs.set(childExpiresAt - System.currentTimeMillis());
      WriteLease lease = block.acquireWrite(1, 1_000);
      assertThat(lease.fencingToken()).isGreaterThan(childToken);
      byte[] contents = new byte[4096];
      block.read(0, contents, 0, contents.length);
      assertThat(contents).containsOnly(7);
      assertThat(block.write(lease, 0, new byte[] {1}, 0, 1)).isEqualTo(2);
    }
  }

  private static void assertUniform(byte[] snapshot, long version) {
    byte expected = (byte) version;
    for (int i = 0; i < snapshot.length; i++) {
      if (snapshot[i] != expected) {
        throw new AssertionError(
            "torn snapshot at version " + version + ": byte " + i + " is " + snapshot[i]);
      }
    }
  }

  private Child start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--add-exports");
    command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(BlockWriterProcess.class.getName());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    children.add(process);
    return new Child(process);
  }

  /** A child JVM and its merged stdout/stderr. */
  private static final class Child {
    final Process process;
    final BufferedReader output;

    Child(Process process) {
      this.process = process;
      this.output =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The next line the child printed; a JVM warning or stack trace fails the test verbatim. */
    String readLine() throws IOException {
      String line = output.readLine();
      if (line == null) {
        throw new AssertionError("child exited without output, exit code " + exitCode());
      }
      return line;
    }

    private String exitCode() {
      try {
        return String.valueOf(process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : "?");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "?";
      }
    }
  }
}
