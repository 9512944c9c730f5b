package io.tokenworks.latzero.memory;

import io.tokenworks.protocol.latzero.block.LeaseState;
import io.tokenworks.protocol.latzero.block.SharedBlock;
import io.tokenworks.protocol.latzero.block.WriteLease;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One block a manager owns: its file mapping plus the bookkeeping the file cannot hold (sessions
 * attached, the session holding the lock, subscribers, last access). The bookkeeping is guarded by
 * this object's monitor, held only for map updates, never across file I/O waits or callbacks.
 */
final class ManagedBlock {

  final BlockRecord record;
  final Path file;
  final SharedBlock shared;

  /**
   * Serialises the manager's own short leases (one per unlocked write) and lock grants on this
   * block, so they queue behind each other instead of failing with a held lease.
   */
  final ReentrantLock leaseLock = new ReentrantLock();

  private final Map<String, Attachment> attachments = new TreeMap<>();
  private final Map<String, BlockListener> listeners = new TreeMap<>();
  private String lockSession;
  private WriteLease lockLease;
  private long lastAccessMs;
  private boolean removed;

  ManagedBlock(BlockRecord record, Path file, SharedBlock shared, long nowMs) {
    this.record = record;
    this.file = file;
    this.shared = shared;
    this.lastAccessMs = nowMs;
  }

  synchronized void attach(Caller caller, AttachMode mode, long nowMs) {
    ensureLive();
    Attachment current =
        attachments.getOrDefault(
            caller.sessionId(), new Attachment(caller.sessionId(), caller.appId(), 0, 0));
    attachments.put(
        caller.sessionId(),
        mode == AttachMode.READ
            ? new Attachment(
                current.sessionId(), caller.appId(), current.readCount() + 1, current.writeCount())
            : new Attachment(
                current.sessionId(),
                caller.appId(),
                current.readCount(),
                current.writeCount() + 1));
    lastAccessMs = nowMs;
  }

  synchronized void detach(Caller caller, AttachMode mode, long nowMs) {
    ensureLive();
    Attachment current = attachments.get(caller.sessionId());
    int count =
        current == null ? 0 : mode == AttachMode.READ ? current.readCount() : current.writeCount();
    if (count == 0) {
      throw new MemoryException(
          MemoryError.NOT_ATTACHED,
          "session " + caller.sessionId() + " has no " + mode + " attachment to " + name());
    }
    Attachment next =
        mode == AttachMode.READ
            ? new Attachment(current.sessionId(), current.appId(), count - 1, current.writeCount())
            : new Attachment(current.sessionId(), current.appId(), current.readCount(), count - 1);
    if (next.readCount() + next.writeCount() == 0) {
      attachments.remove(caller.sessionId());
    } else {
      attachments.put(caller.sessionId(), next);
    }
    lastAccessMs = nowMs;
  }

  /** Fails unless the session holds an attachment allowing {@code mode}; counts as an access. */
  synchronized void requireAttached(Caller caller, AttachMode mode, long nowMs) {
    ensureLive();
    Attachment current = attachments.get(caller.sessionId());
    boolean attached = current != null && (mode == AttachMode.READ || current.writeCount() > 0);
    if (!attached) {
      throw new MemoryException(
          MemoryError.NOT_ATTACHED,
          "session "
              + caller.sessionId()
              + " must attach "
              + name()
              + (mode == AttachMode.WRITE ? " in write mode" : "")
              + " first");
    }
    lastAccessMs = nowMs;
  }

  /** The lease of the lock {@code sessionId} holds, or null; forgets a lock taken over since. */
  synchronized WriteLease lockOf(String sessionId) {
    WriteLease lease = currentLock();
    return lease != null && lockSession.equals(sessionId) ? lease : null;
  }

  synchronized void grantLock(String sessionId, WriteLease lease, long nowMs) {
    lockSession = sessionId;
    lockLease = lease;
    lastAccessMs = nowMs;
  }

  /** Ends the session's lock {@code lockId} and returns its lease for release. */
  synchronized WriteLease takeLock(String sessionId, long lockId, long nowMs) {
    WriteLease lease = currentLock();
    if (lease == null || !lockSession.equals(sessionId) || lease.fencingToken() != lockId) {
      throw new MemoryException(
          MemoryError.NOT_LOCK_HOLDER,
          "session " + sessionId + " holds no lock with id " + lockId + " on " + name());
    }
    lockSession = null;
    lockLease = null;
    lastAccessMs = nowMs;
    return lease;
  }

  synchronized void subscribe(String sessionId, BlockListener listener) {
    ensureLive();
    listeners.put(sessionId, listener);
  }

  synchronized boolean unsubscribe(String sessionId) {
    return listeners.remove(sessionId) != null;
  }

  synchronized List<BlockListener> listeners() {
    return listeners.isEmpty() ? List.of() : new ArrayList<>(listeners.values());
  }

  /**
   * Forgets everything the session holds here.
   *
   * @return the lease of its lock, to release, or null
   */
  synchronized WriteLease dropSession(String sessionId, long nowMs) {
    if (attachments.remove(sessionId) != null) {
      lastAccessMs = nowMs;
    }
    listeners.remove(sessionId);
    WriteLease lease = lockOf(sessionId);
    if (lease != null) {
      lockSession = null;
      lockLease = null;
    }
    return lease;
  }

  /**
   * Marks the block removed when nothing uses it: not persistent, no attachment, subscriber or
   * unexpired lease (a lock, or a process writing through its own mapping), untouched for {@code
   * idleMs}.
   */
  synchronized boolean removeIfIdle(long nowMs, long idleMs) {
    if (removed
        || record.persistent()
        || !attachments.isEmpty()
        || !listeners.isEmpty()
        || nowMs - lastAccessMs < idleMs) {
      return false;
    }
    LeaseState lease = shared.leaseState();
    if (lease.held() && (lease.expiresAtEpochMs() < 0 || nowMs < lease.expiresAtEpochMs())) {
      return false;
    }
    removed = true;
    return true;
  }

  /** Marks the block removed for a delete; refused while attached unless forced. */
  synchronized void remove(boolean force) {
    ensureLive();
    if (!force && !attachments.isEmpty()) {
      throw new MemoryException(
          MemoryError.BLOCK_IN_USE,
          name() + " is attached by " + attachments.size() + " session(s); delete with force");
    }
    removed = true;
  }

  /** The snapshot, or null once removed. */
  synchronized BlockInfo infoIfLive() {
    return removed ? null : info();
  }

  synchronized BlockInfo info() {
    ensureLive();
    LeaseState lease = shared.leaseState();
    Optional<LockInfo> lock = Optional.empty();
    if (lease.held()) {
      WriteLease sessionLock = currentLock();
      lock =
          Optional.of(
              new LockInfo(
                  lease.fencingToken(),
                  sessionLock != null ? lockSession : null,
                  lease.ownerId(),
                  lease.expiresAtEpochMs()));
    }
    return new BlockInfo(
        record,
        file,
        shared.contentVersion(),
        new ArrayList<>(attachments.values()),
        lock,
        lastAccessMs);
  }

  String name() {
    return record.pool() + "/" + record.block();
  }

  /** The session lock's lease if the file still says it is held, forgetting it otherwise. */
  private WriteLease currentLock() {
    if (lockLease == null || removed) {
      return null;
    }
    LeaseState lease = shared.leaseState();
    if (!lease.held() || lease.fencingToken() != lockLease.fencingToken()) {
      lockSession = null;
      lockLease = null;
    }
    return lockLease;
  }

  private void ensureLive() {
    if (removed) {
      throw new MemoryException(MemoryError.BLOCK_NOT_FOUND, name() + " was deleted");
    }
  }
}
