package io.tokenworks.latzero.memory;

import static io.tokenworks.latzero.memory.BlockManagerTest.ALICE;
import static io.tokenworks.latzero.memory.BlockManagerTest.BOB;
import static io.tokenworks.latzero.memory.BlockManagerTest.CAROL;
import static io.tokenworks.latzero.memory.BlockManagerTest.ascii;
import static io.tokenworks.latzero.memory.MemoryAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.protocol.latzero.block.BlockAccess;
import io.tokenworks.protocol.latzero.block.SharedBlock;
import io.tokenworks.protocol.latzero.block.SharedBlockError;
import io.tokenworks.protocol.latzero.block.SharedBlockException;
import io.tokenworks.protocol.latzero.block.SharedBlockOptions;
import io.tokenworks.protocol.latzero.block.WriteLease;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Locks with fencing ids, subscribers, and what a closing session leaves behind. */
class BlockManagerLockTest {

  @TempDir Path dir;

  private final ManualClock clock = new ManualClock();
  private BlockManager manager;

  @BeforeEach
  void open() {
    manager =
        BlockManager.open(
            BlockManagerConfig.defaults(dir, new InMemoryBlockCatalog())
                .withRoot(dir.resolve("blocks"))
                .withClock(clock));
    manager.create(ALICE, "p", "b", 8, BlockType.SHARED, BlockPermissions.EVERYONE, false);
    for (Caller caller : List.of(ALICE, BOB, CAROL)) {
      manager.attach(caller, "p", "b", AttachMode.WRITE);
    }
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void lockExcludesOtherSessionsUntilUnlockedWithItsId() {
    LockGrant grant = manager.lock(ALICE, "p", "b");
    assertThat(grant.expiresAtEpochMs()).isEqualTo(clock.time() + 5_000);
    assertError(() -> manager.write(BOB, "p", "b", 0, ascii("b")), MemoryError.LOCK_HELD);
    assertError(() -> manager.lock(BOB, "p", "b"), MemoryError.LOCK_HELD);
    assertError(() -> manager.lock(ALICE, "p", "b"), MemoryError.LOCK_HELD);
    assertThat(manager.write(ALICE, "p", "b", 0, ascii("a"))).isEqualTo(1);

    assertThat(manager.inspect(BOB, "p", "b").lock())
        .hasValueSatisfying(
            lock -> {
              assertThat(lock.fencingToken()).isEqualTo(grant.lockId());
              assertThat(lock.sessionId()).isEqualTo("s-alice");
              assertThat(lock.ownerId()).isEqualTo(ProcessHandle.current().pid());
            });

    assertError(
        () -> manager.unlock(ALICE, "p", "b", grant.lockId() + 1), MemoryError.NOT_LOCK_HOLDER);
    assertError(() -> manager.unlock(BOB, "p", "b", grant.lockId()), MemoryError.NOT_LOCK_HOLDER);
    assertError(() -> manager.write(BOB, "p", "b", 0, ascii("b")), MemoryError.LOCK_HELD);

    manager.unlock(ALICE, "p", "b", grant.lockId());
    assertError(() -> manager.unlock(ALICE, "p", "b", grant.lockId()), MemoryError.NOT_LOCK_HOLDER);
    assertThat(manager.inspect(BOB, "p", "b").lock()).isEmpty();
    assertThat(manager.write(BOB, "p", "b", 0, ascii("b"))).isEqualTo(2);
    assertThat(manager.lock(BOB, "p", "b").lockId()).isGreaterThan(grant.lockId());
  }

  @Test
  void expiredLockIsTakenOverAndTheOldHolderIsFencedOff() {
    LockGrant old = manager.lock(ALICE, "p", "b");
    clock.advance(Duration.ofSeconds(5));
    assertError(() -> manager.write(ALICE, "p", "b", 0, ascii("a")), MemoryError.LOCK_EXPIRED);

    LockGrant taken = manager.lock(BOB, "p", "b");
    assertThat(taken.lockId()).isGreaterThan(old.lockId());
    assertError(() -> manager.write(ALICE, "p", "b", 0, ascii("a")), MemoryError.LOCK_HELD);
    assertError(() -> manager.unlock(ALICE, "p", "b", old.lockId()), MemoryError.NOT_LOCK_HOLDER);
    assertThat(manager.write(BOB, "p", "b", 0, ascii("b"))).isEqualTo(1);
  }

  @Test
  void sessionMayLockAgainOnceItsOwnLockExpired() {
    LockGrant first = manager.lock(ALICE, "p", "b");
    clock.advance(Duration.ofSeconds(5));
    LockGrant second = manager.lock(ALICE, "p", "b");
    assertThat(second.lockId()).isGreaterThan(first.lockId());
    assertError(() -> manager.unlock(ALICE, "p", "b", first.lockId()), MemoryError.NOT_LOCK_HOLDER);
    manager.unlock(ALICE, "p", "b", second.lockId());
  }

  @Test
  void unlockOfALockTakenOverByAnotherProcessIsRefused() {
    LockGrant grant = manager.lock(ALICE, "p", "b");
    clock.advance(Duration.ofSeconds(5));
    Path file = manager.inspect(ALICE, "p", "b").file();
    try (SharedBlock direct =
        SharedBlock.open(
            file, BlockAccess.READ_WRITE, SharedBlockOptions.DEFAULTS.withClock(clock))) {
      direct.acquireWrite(99, 60_000);
      assertError(
          () -> manager.unlock(ALICE, "p", "b", grant.lockId()), MemoryError.NOT_LOCK_HOLDER);
    }
  }

  @Test
  void lockBindsProcessesMappingTheFileAndTheirLeaseBindsTheManager() {
    Path file = manager.inspect(ALICE, "p", "b").file();
    SharedBlockOptions options = SharedBlockOptions.DEFAULTS.withClock(clock);
    try (SharedBlock direct = SharedBlock.open(file, BlockAccess.READ_WRITE, options)) {
      LockGrant grant = manager.lock(ALICE, "p", "b");
      try {
        direct.acquireWrite(99, 1_000);
        throw new AssertionError("the lease should be held");
      } catch (SharedBlockException e) {
        assertThat(e.error()).isEqualTo(SharedBlockError.LEASE_HELD);
      }
      manager.unlock(ALICE, "p", "b", grant.lockId());

      WriteLease lease = direct.acquireWrite(99, 1_000);
      assertThat(lease.fencingToken()).isGreaterThan(grant.lockId());
      assertError(() -> manager.write(BOB, "p", "b", 0, ascii("b")), MemoryError.LOCK_HELD);
      assertError(() -> manager.lock(BOB, "p", "b"), MemoryError.LOCK_HELD);
      assertThat(manager.inspect(BOB, "p", "b").lock())
          .hasValueSatisfying(
              lock -> {
                assertThat(lock.sessionId()).isNull();
                assertThat(lock.ownerId()).isEqualTo(99);
              });
      direct.write(lease, 0, ascii("d"), 0, 1);
      direct.release(lease);
    }
    assertThat(manager.read(BOB, "p", "b", 0, 1)).isEqualTo(ascii("d"));
  }

  @Test
  void subscribersHearOfWritesAfterTheyCompleteAndAFailingOneHarmsNothing() {
    List<BlockWriteEvent> heard = new CopyOnWriteArrayList<>();
    List<Long> lockIdsTakenInCallback = new CopyOnWriteArrayList<>();
    manager.subscribe(
        ALICE,
        "p",
        "b",
        event -> {
          throw new IllegalStateException("subscriber bug");
        });
    manager.subscribe(
        BOB,
        "p",
        "b",
        event -> {
          heard.add(event);
          // The write's own lease is gone and its bytes are visible when subscribers run.
          assertThat(manager.read(BOB, "p", "b", 0, 2)).isEqualTo(ascii("hi"));
          LockGrant grant = manager.lock(BOB, "p", "b");
          lockIdsTakenInCallback.add(grant.lockId());
          manager.unlock(BOB, "p", "b", grant.lockId());
        });

    assertThat(manager.write(CAROL, "p", "b", 0, ascii("hi"))).isEqualTo(1);
    assertThat(heard).containsExactly(new BlockWriteEvent("p", "b", 0, 2, 1, "carol"));
    assertThat(lockIdsTakenInCallback).hasSize(1);

    assertThat(manager.unsubscribe(BOB, "p", "b")).isTrue();
    assertThat(manager.unsubscribe(BOB, "p", "b")).isFalse();
    manager.write(CAROL, "p", "b", 0, ascii("hi"));
    assertThat(heard).hasSize(1);
  }

  @Test
  void detachAllDropsAClosedSessionsAttachmentsLocksAndSubscriptions() {
    List<BlockWriteEvent> heard = new CopyOnWriteArrayList<>();
    manager.attach(ALICE, "p", "b", AttachMode.READ);
    manager.subscribe(ALICE, "p", "b", heard::add);
    manager.lock(ALICE, "p", "b");

    manager.detachAll("s-alice");

    BlockInfo info = manager.inspect(BOB, "p", "b");
    assertThat(info.attachments()).extracting(Attachment::sessionId).doesNotContain("s-alice");
    assertThat(info.lock()).isEmpty();
    assertThat(manager.lock(BOB, "p", "b").lockId()).isEqualTo(2);
    manager.detachAll("s-bob");
    manager.write(CAROL, "p", "b", 0, ascii("x"));
    assertThat(heard).isEmpty();
    assertError(() -> manager.read(ALICE, "p", "b", 0, 1), MemoryError.NOT_ATTACHED);
  }
}
