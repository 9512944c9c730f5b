package io.tokenworks.latzero.memory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of one block.
 *
 * @param record its catalog record (name, size, type, permissions, persistence, creation time)
 * @param file the block file: a process on the same host can map it with {@code SharedBlock} for
 *     zero-copy access
 * @param version the content version (writes completed so far)
 * @param attachments the sessions attached, by session id order
 * @param lock the current lease holder, if the lease is held
 * @param lastAccessEpochMs the last attach, detach, read, write or lock; idle collection counts
 *     from here
 */
public record BlockInfo(
    BlockRecord record,
    Path file,
    long version,
    List<Attachment> attachments,
    Optional<LockInfo> lock,
    long lastAccessEpochMs) {

  public BlockInfo {
    attachments = List.copyOf(attachments);
  }

  /** The sum of every session's attachments. */
  public int referenceCount() {
    return attachments.stream().mapToInt(a -> a.readCount() + a.writeCount()).sum();
  }
}
