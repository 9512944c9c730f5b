package io.tokenworks.protocol.latzero.block;

import static io.tokenworks.protocol.latzero.block.SharedBlockFormatTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenworks.protocol.latzero.block.RawBlockFile.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leases and fencing between two mappings of one file sharing a manual clock. */
class SharedBlockLeaseTest {

  @TempDir Path dir;

  private final ManualClock clock = new ManualClock();
  private Path file;
  private SharedBlock first;
  private SharedBlock second;

  @BeforeEach
  void openTwice() {
    file = dir.resolve("block");
    SharedBlockOptions options =
        SharedBlockOptions.DEFAULTS.withClock(clock).withReadTimeout(Duration.ofMillis(50));
    first = SharedBlock.create(file, 16, options);
    second = SharedBlock.open(file, BlockAccess.READ_WRITE, options);
  }

  @AfterEach
  void close() {
    first.close();
    second.close();
  }

  @Test
  void leaseIsExclusiveAcrossMappings() {
    WriteLease lease = first.acquireWrite(11, 1_000);
    assertThat(lease.fencingToken()).isEqualTo(1);
    assertThatThrownBy(() -> second.acquireWrite(22, 1_000))
        .isInstanceOfSatisfying(
            SharedBlockException.class,
            e -> {
              assertThat(e.error()).isEqualTo(SharedBlockError.LEASE_HELD);
              assertThat(e.getMessage()).contains("ownerId=11");
            });
    assertError(() -> first.acquireWrite(11, 1_000), SharedBlockError.LEASE_HELD);
    assertThat(second.leaseState()).isEqualTo(new LeaseState(true, 1, 11, clock.time() + 1_000));
  }

  @Test
  void releasedLeaseGoesToTheNextWriterWithTheNextToken() {
    WriteLease lease = first.acquireWrite(11, 1_000);
    assertThat(first.release(lease)).isTrue();
    assertThat(first.release(lease)).isFalse();
    assertThat(second.leaseState().held()).isFalse();
    WriteLease next = second.acquireWrite(22, 1_000);
    assertThat(next.fencingToken()).isEqualTo(2);
    assertThat(next.repairedInterruptedWrite()).isFalse();
    assertError(() -> first.write(lease, 0, new byte[1], 0, 1), SharedBlockError.LEASE_LOST);
  }

  @Test
  void expiredLeaseIsTakenOverAndTheOldHolderIsFencedOff() {
    WriteLease old = first.acquireWrite(11, 100);
    first.write(old, 0, new byte[] {1}, 0, 1);
    clock.advance(99);
    assertError(() -> second.acquireWrite(22, 100), SharedBlockError.LEASE_HELD);
    clock.advance(1);
    WriteLease taken = second.acquireWrite(22, 100);
    assertThat(taken.fencingToken()).isEqualTo(2);
    assertThat(taken.repairedInterruptedWrite()).isFalse();

    assertError(() -> first.write(old, 0, new byte[] {9}, 0, 1), SharedBlockError.LEASE_LOST);
    assertError(() -> first.renew(old, 1_000), SharedBlockError.LEASE_LOST);
    assertThat(first.release(old)).isFalse();
    assertThat(second.leaseState().held()).isTrue();
    byte[] out = new byte[1];
    assertThat(second.read(0, out, 0, 1)).isEqualTo(1);
    assertThat(out[0]).isEqualTo((byte) 1);
    assertThat(second.write(taken, 0, new byte[] {2}, 0, 1)).isEqualTo(2);
  }

  @Test
  void holderCannotWriteOnceItsOwnLeaseExpired() {
    WriteLease lease = first.acquireWrite(11, 100);
    clock.advance(100);
    assertError(() -> first.write(lease, 0, new byte[1], 0, 1), SharedBlockError.LEASE_EXPIRED);
    assertError(() -> first.renew(lease, 100), SharedBlockError.LEASE_EXPIRED);
    assertThat(first.contentVersion()).isZero();
  }

  @Test
  void renewalKeepsTheLeaseAndItsToken() {
    WriteLease lease = first.acquireWrite(11, 100);
    clock.advance(90);
    WriteLease renewed = first.renew(lease, 100);
    assertThat(renewed.fencingToken()).isEqualTo(lease.fencingToken());
    assertThat(renewed.expiresAtEpochMs()).isEqualTo(clock.time() + 100);
    clock.advance(50);
    assertError(() -> second.acquireWrite(22, 100), SharedBlockError.LEASE_HELD);
    assertThat(first.write(lease, 0, new byte[1], 0, 1)).isEqualTo(1);
  }

  @Test
  void leaseOfAnotherMappingAndNonPositiveDurationsAreRefused() {
    WriteLease lease = first.acquireWrite(11, 100);
    assertError(() -> second.write(lease, 0, new byte[1], 0, 1), SharedBlockError.INVALID_ARGUMENT);
    assertError(() -> second.release(lease), SharedBlockError.INVALID_ARGUMENT);
    assertError(() -> second.renew(lease, 100), SharedBlockError.INVALID_ARGUMENT);
    assertError(() -> first.renew(lease, 0), SharedBlockError.INVALID_ARGUMENT);
    first.release(lease);
    assertError(() -> first.acquireWrite(11, 0), SharedBlockError.INVALID_ARGUMENT);
    assertError(() -> first.acquireWrite(11, -5), SharedBlockError.INVALID_ARGUMENT);
  }

  @Test
  void hugeLeaseSaturatesInsteadOfExpiringAtOnce() {
    WriteLease lease = first.acquireWrite(11, Long.MAX_VALUE);
    assertThat(lease.expiresAtEpochMs()).isEqualTo(Long.MAX_VALUE);
    clock.advance(1_000_000_000L);
    assertError(() -> second.acquireWrite(22, 100), SharedBlockError.LEASE_HELD);
  }

  @Test
  void takeoverRepairsASeqlockLeftOddByAWriterThatDiedMidWrite() {
    first.acquireWrite(11, 100);
    UnsafeBuffer raw = RawBlockFile.header(file);
    raw.putLongVolatile(SharedBlockDescriptor.SEQLOCK_OFFSET, 5);
    assertError(() -> second.read(0, new byte[1], 0, 1), SharedBlockError.TIMEOUT);

    clock.advance(100);
    WriteLease taken = second.acquireWrite(22, 100);
    assertThat(taken.repairedInterruptedWrite()).isTrue();
    assertThat(raw.getLongVolatile(SharedBlockDescriptor.SEQLOCK_OFFSET)).isEqualTo(6);
    assertThat(second.read(0, new byte[1], 0, 1)).isEqualTo(1);
    assertThat(second.write(taken, 0, new byte[1], 0, 1)).isEqualTo(2);
  }

  @Test
  void unpublishedLeaseOfADeadHolderIsTakenOverAfterTheGracePeriod() {
    UnsafeBuffer raw = RawBlockFile.header(file);
    // A holder that won the compare-and-set for token 5 and died before publishing its expiry.
    raw.putLongVolatile(
        SharedBlockDescriptor.LEASE_WORD_OFFSET, SharedBlockDescriptor.heldLeaseWord(5));
    raw.putLongVolatile(SharedBlockDescriptor.LEASE_STAMP_OFFSET, 4);
    assertThat(second.leaseState()).isEqualTo(new LeaseState(true, 5, -1, -1));

    assertError(() -> second.acquireWrite(22, 100), SharedBlockError.LEASE_HELD);
    clock.advance(SharedBlockDescriptor.UNPUBLISHED_LEASE_GRACE_MS - 1);
    assertError(() -> second.acquireWrite(22, 100), SharedBlockError.LEASE_HELD);
    clock.advance(1);
    assertThat(second.acquireWrite(22, 100).fencingToken()).isEqualTo(6);
  }
}
