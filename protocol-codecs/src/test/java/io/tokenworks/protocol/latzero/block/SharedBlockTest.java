package io.tokenworks.protocol.latzero.block;

import static io.tokenworks.protocol.latzero.block.SharedBlockFormatTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads, writes, views, bounds, modes and closing, in one process. */
class SharedBlockTest {

  @TempDir Path dir;

  private Path file;
  private SharedBlock block;
  private WriteLease lease;

  @BeforeEach
  void createBlock() {
    file = dir.resolve("pool/block");
    block = SharedBlock.create(file, 128);
    lease = block.acquireWrite(7, 60_000);
  }

  @AfterEach
  void closeBlock() {
    block.close();
  }

  @Test
  void writeThenReadRoundTripsAndCountsVersions() {
    assertThat(block.contentVersion()).isZero();
    assertThat(block.write(lease, 10, ascii("hello"), 0, 5)).isEqualTo(1);
    assertThat(block.write(lease, 15, ascii("xx world"), 2, 6)).isEqualTo(2);
    byte[] out = new byte[13];
    assertThat(block.read(9, out, 1, 12)).isEqualTo(2);
    assertThat(new String(out, 1, 12, StandardCharsets.US_ASCII)).isEqualTo("\0hello world");
    assertThat(block.contentVersion()).isEqualTo(2);
  }

  @Test
  void agronaBufferOverloadsMatchTheArrayOnes() {
    UnsafeBuffer src = new UnsafeBuffer(new byte[8]);
    src.putLong(0, 0x0102030405060708L);
    assertThat(block.write(lease, 120, src, 0, 8)).isEqualTo(1);
    UnsafeBuffer dst = new UnsafeBuffer(new byte[10]);
    assertThat(block.read(120, dst, 2, 8)).isEqualTo(1);
    assertThat(dst.getLong(2)).isEqualTo(0x0102030405060708L);
  }

  @Test
  void anotherMappingOfTheFileSeesWritesAtOnce() {
    try (SharedBlock reader = SharedBlock.open(file, BlockAccess.READ_ONLY)) {
      block.write(lease, 0, ascii("shared"), 0, 6);
      byte[] out = new byte[6];
      assertThat(reader.read(0, out, 0, 6)).isEqualTo(1);
      assertThat(out).isEqualTo(ascii("shared"));
      assertThat(reader.view().getByte(5)).isEqualTo((byte) 'd');
    }
  }

  @Test
  void viewReadsInPlaceAndValidateFailsAfterAWrite() {
    DirectBuffer view = block.view();
    assertThat(view.capacity()).isEqualTo(128);
    long stamp = block.readVersion();
    assertThat(stamp % 2).isZero();
    block.write(lease, 3, ascii("abc"), 0, 3);
    assertThat(view.getByte(4)).isEqualTo((byte) 'b');
    assertThat(block.validate(stamp)).isFalse();
    long next = block.readVersion();
    assertThat(next).isEqualTo(stamp + 2);
    assertThat(block.validate(next)).isTrue();
  }

  @Test
  void offsetsAndLengthsOutsideTheBlockOrTheCallersArrayAreRefused() {
    byte[] big = new byte[200];
    assertError(() -> block.read(-1, big, 0, 1), SharedBlockError.OUT_OF_BOUNDS);
    assertError(() -> block.read(0, big, 0, -1), SharedBlockError.OUT_OF_BOUNDS);
    assertError(() -> block.read(0, big, 0, 129), SharedBlockError.OUT_OF_BOUNDS);
    assertError(() -> block.read(128, big, 0, 1), SharedBlockError.OUT_OF_BOUNDS);
    assertError(() -> block.read(1, big, 0, Integer.MAX_VALUE), SharedBlockError.OUT_OF_BOUNDS);
    assertError(() -> block.read(0, new byte[4], 1, 4), SharedBlockError.OUT_OF_BOUNDS);
    assertError(() -> block.read(0, new byte[4], -1, 1), SharedBlockError.OUT_OF_BOUNDS);
    assertError(
        () -> block.read(0, new UnsafeBuffer(new byte[4]), 2, 3), SharedBlockError.OUT_OF_BOUNDS);
    assertError(() -> block.write(lease, 127, big, 0, 2), SharedBlockError.OUT_OF_BOUNDS);
    assertError(() -> block.write(lease, -5, big, 0, 2), SharedBlockError.OUT_OF_BOUNDS);
    assertError(() -> block.write(lease, 0, new byte[2], 1, 2), SharedBlockError.OUT_OF_BOUNDS);
    assertError(
        () -> block.write(lease, 0, new UnsafeBuffer(new byte[2]), 0, 3),
        SharedBlockError.OUT_OF_BOUNDS);
    assertThat(block.read(128, big, 0, 0)).isZero();
    assertThat(block.contentVersion()).isZero();
  }

  @Test
  void readOnlyMappingRefusesEveryMutation() {
    try (SharedBlock readOnly = SharedBlock.open(file, BlockAccess.READ_ONLY)) {
      assertError(() -> readOnly.acquireWrite(1, 1_000), SharedBlockError.READ_ONLY);
      assertError(() -> readOnly.write(lease, 0, new byte[1], 0, 1), SharedBlockError.READ_ONLY);
      assertError(() -> readOnly.renew(lease, 1_000), SharedBlockError.READ_ONLY);
      assertError(() -> readOnly.release(lease), SharedBlockError.READ_ONLY);
      readOnly.force();
      assertThat(readOnly.access()).isEqualTo(BlockAccess.READ_ONLY);
    }
    assertThat(block.contentVersion()).isZero();
  }

  @Test
  void closedBlockRefusesCallsButItsViewsStayReadable() {
    block.write(lease, 0, ascii("kept"), 0, 4);
    DirectBuffer view = block.view();
    block.close();
    block.close();
    assertThat(block.isClosed()).isTrue();
    assertError(() -> block.read(0, new byte[1], 0, 1), SharedBlockError.CLOSED);
    assertError(() -> block.write(lease, 0, new byte[1], 0, 1), SharedBlockError.CLOSED);
    assertError(block::view, SharedBlockError.CLOSED);
    assertError(block::readVersion, SharedBlockError.CLOSED);
    assertError(block::contentVersion, SharedBlockError.CLOSED);
    assertError(block::leaseState, SharedBlockError.CLOSED);
    assertError(() -> block.acquireWrite(1, 1), SharedBlockError.CLOSED);
    assertError(block::force, SharedBlockError.CLOSED);
    assertThat(view.getByte(3)).isEqualTo((byte) 't');
  }

  @Test
  void closeReleasesTheLeaseItHolds() {
    block.close();
    try (SharedBlock other = SharedBlock.open(file, BlockAccess.READ_WRITE)) {
      assertThat(other.leaseState().held()).isFalse();
      assertThat(other.acquireWrite(8, 1_000).fencingToken()).isEqualTo(2);
    }
  }

  @Test
  void readsTimeOutWhileTheSeqlockStaysOdd() {
    block.release(lease);
    UnsafeBuffer raw = RawBlockFile.header(file);
    raw.putLongVolatile(SharedBlockDescriptor.SEQLOCK_OFFSET, 1);
    SharedBlockOptions quick = SharedBlockOptions.DEFAULTS.withReadTimeout(Duration.ofMillis(50));
    try (SharedBlock reader = SharedBlock.open(file, BlockAccess.READ_ONLY, quick)) {
      assertError(() -> reader.read(0, new byte[1], 0, 1), SharedBlockError.TIMEOUT);
      assertError(
          () -> reader.read(0, new UnsafeBuffer(new byte[1]), 0, 1), SharedBlockError.TIMEOUT);
      assertError(reader::readVersion, SharedBlockError.TIMEOUT);
    }
    try (SharedBlock writer = SharedBlock.open(file, BlockAccess.READ_WRITE, quick)) {
      WriteLease taken = writer.acquireWrite(9, 1_000);
      assertThat(taken.repairedInterruptedWrite()).isFalse();
      assertError(() -> writer.write(taken, 0, new byte[1], 0, 1), SharedBlockError.TIMEOUT);
    }
  }

  @Test
  void threadsSharingOneLeaseSerialiseTheirWrites() throws Exception {
    int writesPerThread = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 1; t <= 2; t++) {
        byte[] pattern = new byte[128];
        Arrays.fill(pattern, (byte) t);
        writers.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < writesPerThread; i++) {
                    block.write(lease, 0, pattern, 0, pattern.length);
                  }
                }));
      }
      Future<?> reader =
          pool.submit(
              () -> {
                byte[] snapshot = new byte[128];
                while (!writers.stream().allMatch(Future::isDone)) {
                  block.read(0, snapshot, 0, snapshot.length);
                  byte first = snapshot[0];
                  for (byte b : snapshot) {
                    assertThat(b).isEqualTo(first);
                  }
                }
              });
      for (Future<?> writer : writers) {
        writer.get();
      }
      reader.get();
    } finally {
      pool.shutdownNow();
    }
    assertThat(block.contentVersion()).isEqualTo(2L * writesPerThread);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
