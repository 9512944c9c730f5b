package io.tokenworks.protocol.latzero.block;

import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.BYTE_ORDER;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.CONTENT_VERSION_OFFSET;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.DATA_OFFSET;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.HEADER_LENGTH;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.MAX_DATA_SIZE;
import static io.tokenworks.protocol.latzero.block.SharedBlockDescriptor.SEQLOCK_OFFSET;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One block file mapped into this process: consistent copies under concurrent writers (seqlock),
 * zero-copy optimistic reads ({@link #view()}, {@link #readVersion()}, {@link #validate}), and
 * writes under a cross-process lease with fencing tokens. The file format and protocols are in the
 * {@linkplain io.tokenworks.protocol.latzero.block package documentation}.
 *
 * <p>Thread-safe. Any number of threads and processes may read while one lease holder writes;
 * several threads may write under the same lease (their writes are serialised by the seqlock).
 *
 * <p><b>Closing</b> marks this object closed (every later call fails with {@link
 * SharedBlockError#CLOSED}) and releases a lease it still holds. It does not unmap: Java 17 unmaps
 * a {@link MappedByteBuffer} only when it is garbage collected, and forcing it earlier with the
 * JDK's internal cleaner would crash the JVM if any thread still touched a {@link #view()}. Views
 * keep the mapping alive, so they stay valid (and readable) after close; the file itself needs no
 * open descriptor once mapped.
 */
public final class SharedBlock implements AutoCloseable {

  private final Path path;
  private final BlockAccess access;
  private final SharedBlockOptions options;
  private final long readTimeoutNs;
  private final MappedByteBuffer mapping;
  private final UnsafeBuffer header;
  private final UnsafeBuffer data;
  private final int size;
  private final BlockLeases leases;
  private volatile boolean closed;

  private SharedBlock(
      Path path,
      BlockAccess access,
      SharedBlockOptions options,
      MappedByteBuffer mapping,
      int size) {
    this.path = path;
    this.access = access;
    this.options = options;
    this.readTimeoutNs = options.readTimeout().toNanos();
    this.mapping = mapping;
    this.header = new UnsafeBuffer(mapping, 0, HEADER_LENGTH);
    this.header.verifyAlignment();
    this.data = new UnsafeBuffer(mapping, DATA_OFFSET, size);
    this.size = size;
    this.leases = new BlockLeases(this, header, options.clock());
  }

  /** {@link #create(Path, int, SharedBlockOptions)} with {@link SharedBlockOptions#DEFAULTS}. */
  public static SharedBlock create(Path path, int size) {
    return create(path, size, SharedBlockOptions.DEFAULTS);
  }

  /**
   * Creates a block file of exactly {@code 256 + size} bytes (parent directories included) and
   * opens it read-write. The file appears complete or not at all: it is written under a temporary
   * name and hard-linked into place, which fails rather than replace an existing file.
   *
   * @throws SharedBlockException {@link SharedBlockError#ALREADY_EXISTS} when the path exists,
   *     {@link SharedBlockError#INVALID_SIZE}, {@link SharedBlockError#IO_ERROR}
   */
  public static SharedBlock create(Path path, int size, SharedBlockOptions options) {
    BlockHeader.checkNativeOrder(ByteOrder.nativeOrder());
    Objects.requireNonNull(options, "options");
    if (size < 1 || size > MAX_DATA_SIZE) {
      throw new SharedBlockException(
          SharedBlockError.INVALID_SIZE, "size=" + size + " must be in [1, " + MAX_DATA_SIZE + "]");
    }
    Path target = path.toAbsolutePath();
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw BlockHeader.fail(SharedBlockError.ALREADY_EXISTS, target, "already exists");
    }
    try {
      Files.createDirectories(target.getParent());
    } catch (IOException e) {
      throw new SharedBlockException(
          SharedBlockError.IO_ERROR, "cannot create the directory of block file " + target, e);
    }
    Path temp =
        target.resolveSibling(
            "." + target.getFileName() + "." + Long.toHexString(randomSuffix()) + ".tmp");
    try {
      writeNewFile(temp, size);
      Files.createLink(target, temp);
    } catch (FileAlreadyExistsException e) {
      throw BlockHeader.fail(SharedBlockError.ALREADY_EXISTS, target, "already exists");
    } catch (IOException | UnsupportedOperationException e) {
      throw new SharedBlockException(
          SharedBlockError.IO_ERROR, "cannot create block file " + target + ": " + e, e);
    } finally {
      deleteQuietly(temp);
    }
    return open(target, BlockAccess.READ_WRITE, options);
  }

  /**
   * {@link #open(Path, BlockAccess, SharedBlockOptions)} with {@link SharedBlockOptions#DEFAULTS}.
   */
  public static SharedBlock open(Path path, BlockAccess access) {
    return open(path, access, SharedBlockOptions.DEFAULTS);
  }

  /**
   * Maps an existing block file after checking its header against its length. Never truncates,
   * resizes or writes the file.
   *
   * @throws SharedBlockException {@link SharedBlockError#NOT_FOUND}, {@link
   *     SharedBlockError#NOT_A_BLOCK}, {@link SharedBlockError#UNSUPPORTED_VERSION}, {@link
   *     SharedBlockError#CORRUPT_HEADER}, {@link SharedBlockError#TRUNCATED}, {@link
   *     SharedBlockError#LENGTH_MISMATCH}, {@link SharedBlockError#IO_ERROR}
   */
  public static SharedBlock open(Path path, BlockAccess access, SharedBlockOptions options) {
    BlockHeader.checkNativeOrder(ByteOrder.nativeOrder());
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(options, "options");
    Path target = path.toAbsolutePath();
    boolean writable = access == BlockAccess.READ_WRITE;
    try (FileChannel channel =
        writable
            ? FileChannel.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE)
            : FileChannel.open(target, StandardOpenOption.READ)) {
      long fileLength = channel.size();
      int size = BlockHeader.validate(readHeader(channel, fileLength), fileLength, target);
      MappedByteBuffer mapping =
          channel.map(
              writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY,
              0,
              SharedBlockDescriptor.fileLength(size));
      return new SharedBlock(target, access, options, mapping, size);
    } catch (NoSuchFileException e) {
      throw BlockHeader.fail(SharedBlockError.NOT_FOUND, target, "does not exist");
    } catch (IOException e) {
      throw new SharedBlockException(
          SharedBlockError.IO_ERROR, "cannot open block file " + target + ": " + e, e);
    }
  }

  public Path path() {
    return path;
  }

  public BlockAccess access() {
    return access;
  }

  /** The data region's capacity in bytes. */
  public int size() {
    return size;
  }

  public SharedBlockOptions options() {
    return options;
  }

  /** The number of writes ever completed on this file (a volatile read, no seqlock). */
  public long contentVersion() {
    ensureOpen();
    return header.getLongVolatile(CONTENT_VERSION_OFFSET);
  }

  /**
   * Copies {@code length} bytes at {@code offset} of the data region into {@code dst}, all from one
   * version: retried while a write is in progress or completed during the copy.
   *
   * @return the content version the copy belongs to
   * @throws SharedBlockException {@link SharedBlockError#OUT_OF_BOUNDS}, {@link
   *     SharedBlockError#TIMEOUT}, {@link SharedBlockError#CLOSED}
   */
  public long read(int offset, byte[] dst, int dstOffset, int length) {
    ensureOpen();
    checkRange(offset, length);
    checkTarget(dst.length, dstOffset, length);
    int attempt = 0;
    long deadlineNs = 0;
    while (true) {
      long stamp = header.getLongVolatile(SEQLOCK_OFFSET);
      if ((stamp & 1) == 0) {
        long version = header.getLong(CONTENT_VERSION_OFFSET, BYTE_ORDER);
        data.getBytes(offset, dst, dstOffset, length);
        if (validate(stamp)) {
          return version;
        }
      }
      deadlineNs = Backoff.pause(attempt++, deadlineNs, readTimeoutNs, "read of " + path);
    }
  }

  /** {@link #read(int, byte[], int, int)} into an Agrona buffer. */
  public long read(int offset, MutableDirectBuffer dst, int dstOffset, int length) {
    ensureOpen();
    checkRange(offset, length);
    checkTarget(dst.capacity(), dstOffset, length);
    int attempt = 0;
    long deadlineNs = 0;
    while (true) {
      long stamp = header.getLongVolatile(SEQLOCK_OFFSET);
      if ((stamp & 1) == 0) {
        long version = header.getLong(CONTENT_VERSION_OFFSET, BYTE_ORDER);
        data.getBytes(offset, dst, dstOffset, length);
        if (validate(stamp)) {
          return version;
        }
      }
      deadlineNs = Backoff.pause(attempt++, deadlineNs, readTimeoutNs, "read of " + path);
    }
  }

  /**
   * A zero-copy view of the data region: index 0 is the first data byte, capacity {@link #size()}.
   * Reads through it race with writers; bracket them with {@link #readVersion()} and {@link
   * #validate} and discard what you read when validation fails. The view is read-only by contract:
   * writing through a cast bypasses the lease and the seqlock, and on a {@link
   * BlockAccess#READ_ONLY} block crashes the JVM.
   */
  public DirectBuffer view() {
    ensureOpen();
    return new UnsafeBuffer(mapping, DATA_OFFSET, size);
  }

  /**
   * Starts an optimistic read: waits (bounded) until no write is in progress and returns a stamp
   * for {@link #validate}.
   *
   * @throws SharedBlockException {@link SharedBlockError#TIMEOUT}, {@link SharedBlockError#CLOSED}
   */
  public long readVersion() {
    ensureOpen();
    int attempt = 0;
    long deadlineNs = 0;
    while (true) {
      long stamp = header.getLongVolatile(SEQLOCK_OFFSET);
      if ((stamp & 1) == 0) {
        return stamp;
      }
      deadlineNs = Backoff.pause(attempt++, deadlineNs, readTimeoutNs, "read of " + path);
    }
  }

  /**
   * Ends an optimistic read: true when no write started since {@link #readVersion()} returned
   * {@code stamp}, so everything read through the view in between is one consistent version.
   */
  public boolean validate(long stamp) {
    // Keeps the caller's data loads before the second seqlock load (a LoadLoad barrier).
    VarHandle.acquireFence();
    return header.getLongVolatile(SEQLOCK_OFFSET) == stamp;
  }

  /**
   * Takes the block's write lease for {@code leaseMillis}: free, released, or expired and held by
   * another writer (which is then fenced off). Does not wait.
   *
   * @param ownerId any id naming the holder for inspection (a pid, a session number)
   * @throws SharedBlockException {@link SharedBlockError#LEASE_HELD} while another holder's lease
   *     runs, {@link SharedBlockError#READ_ONLY}, {@link SharedBlockError#INVALID_ARGUMENT} for a
   *     duration below 1 ms, {@link SharedBlockError#CLOSED}
   */
  public WriteLease acquireWrite(long ownerId, long leaseMillis) {
    ensureWritable();
    return leases.acquire(ownerId, leaseMillis);
  }

  /**
   * Extends a lease to {@code leaseMillis} from now.
   *
   * @throws SharedBlockException {@link SharedBlockError#LEASE_LOST}, {@link
   *     SharedBlockError#LEASE_EXPIRED} (acquire again instead), {@link
   *     SharedBlockError#INVALID_ARGUMENT}, {@link SharedBlockError#CLOSED}
   */
  public WriteLease renew(WriteLease lease, long leaseMillis) {
    ensureWritable();
    return leases.renew(lease, leaseMillis);
  }

  /**
   * Gives a lease back.
   *
   * @return false when it had already been released or taken over
   */
  public boolean release(WriteLease lease) {
    ensureWritable();
    return leases.release(lease);
  }

  /** The lease words as they are now, for inspection. */
  public LeaseState leaseState() {
    ensureOpen();
    return leases.state();
  }

  /**
   * Copies {@code length} bytes of {@code src} to {@code offset} of the data region as one version,
   * under {@code lease}.
   *
   * @return the new content version
   * @throws SharedBlockException {@link SharedBlockError#LEASE_LOST} when the lease was released or
   *     taken over (nothing was written if that happened before the write started), {@link
   *     SharedBlockError#LEASE_EXPIRED}, {@link SharedBlockError#OUT_OF_BOUNDS}, {@link
   *     SharedBlockError#READ_ONLY}, {@link SharedBlockError#INVALID_ARGUMENT} for another block's
   *     lease, {@link SharedBlockError#CLOSED}
   */
  public long write(WriteLease lease, int offset, byte[] src, int srcOffset, int length) {
    ensureWritable();
    checkRange(offset, length);
    checkTarget(src.length, srcOffset, length);
    long oddStamp = beginWrite(lease);
    long version;
    try {
      data.putBytes(offset, src, srcOffset, length);
    } finally {
      // Even if the copy failed (the file was truncated under the mapping), close the odd section.
      version = endWrite(oddStamp);
    }
    return version;
  }

  /** {@link #write(WriteLease, int, byte[], int, int)} from an Agrona buffer. */
  public long write(WriteLease lease, int offset, DirectBuffer src, int srcOffset, int length) {
    ensureWritable();
    checkRange(offset, length);
    checkTarget(src.capacity(), srcOffset, length);
    long oddStamp = beginWrite(lease);
    long version;
    try {
      data.putBytes(offset, src, srcOffset, length);
    } finally {
      // Even if the copy failed (the file was truncated under the mapping), close the odd section.
      version = endWrite(oddStamp);
    }
    return version;
  }

  /**
   * Flushes the mapping to the file's storage, for blocks kept on a disk rather than in {@code
   * /dev/shm}. A no-op on a read-only mapping.
   */
  public void force() {
    ensureOpen();
    if (access == BlockAccess.READ_WRITE) {
      mapping.force();
    }
  }

  public boolean isClosed() {
    return closed;
  }

  /** Marks this object closed and releases a lease it still holds; see the class comment. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (access == BlockAccess.READ_WRITE) {
      leases.releaseHeld();
    }
  }

  private long beginWrite(WriteLease lease) {
    leases.checkOwn(lease);
    int attempt = 0;
    long deadlineNs = 0;
    while (true) {
      leases.checkStillHeld(lease);
      long stamp = header.getLongVolatile(SEQLOCK_OFFSET);
      if ((stamp & 1) == 0 && header.compareAndSetLong(SEQLOCK_OFFSET, stamp, stamp + 1)) {
        // Re-checked inside the odd section: a takeover that happened before this point fences
        // this write off before it changes a byte.
        if (!leases.holds(lease)) {
          header.compareAndSetLong(SEQLOCK_OFFSET, stamp + 1, stamp + 2);
          throw leases.lost(lease);
        }
        return stamp + 1;
      }
      deadlineNs = Backoff.pause(attempt++, deadlineNs, readTimeoutNs, "write to " + path);
    }
  }

  /** Closes the odd section; returns the content version it published. */
  private long endWrite(long oddStamp) {
    long version = header.getLong(CONTENT_VERSION_OFFSET, BYTE_ORDER) + 1;
    header.putLongVolatile(CONTENT_VERSION_OFFSET, version);
    if (!header.compareAndSetLong(SEQLOCK_OFFSET, oddStamp, oddStamp + 1)) {
      throw new SharedBlockException(
          SharedBlockError.LEASE_LOST,
          "a writer took the lease of " + path + " over during this write; it may have landed");
    }
    return version;
  }

  void ensureOpen() {
    if (closed) {
      throw new SharedBlockException(SharedBlockError.CLOSED, "block " + path + " is closed");
    }
  }

  private void ensureWritable() {
    ensureOpen();
    if (access != BlockAccess.READ_WRITE) {
      throw new SharedBlockException(
          SharedBlockError.READ_ONLY, "block " + path + " is mapped read-only");
    }
  }

  private void checkRange(int offset, int length) {
    if (offset < 0 || length < 0 || offset > size - length) {
      throw new SharedBlockException(
          SharedBlockError.OUT_OF_BOUNDS,
          "offset=" + offset + " length=" + length + " outside the block's " + size + " bytes");
    }
  }

  private static void checkTarget(int capacity, int offset, int length) {
    if (offset < 0 || offset > capacity - length) {
      throw new SharedBlockException(
          SharedBlockError.OUT_OF_BOUNDS,
          "offset="
              + offset
              + " length="
              + length
              + " outside the caller's "
              + capacity
              + " bytes");
    }
  }

  /** The file's first bytes, up to a header's worth, flipped for reading. */
  private static ByteBuffer readHeader(FileChannel channel, long fileLength) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(fileLength, HEADER_LENGTH));
    // A positional read may return fewer bytes than asked; -1 means the file shrank meanwhile.
    int read = 0;
    while (bytes.hasRemaining() && read >= 0) {
      read = channel.read(bytes, bytes.position());
    }
    return bytes.flip();
  }

  private static void writeNewFile(Path temp, int size) throws IOException {
    try (FileChannel channel =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer header = BlockHeader.encode(size);
      while (header.hasRemaining()) {
        channel.write(header, header.position());
      }
      // One byte at the end sets the exact length; the data region in between reads as zeros.
      channel.write(ByteBuffer.allocate(1), SharedBlockDescriptor.fileLength(size) - 1);
      channel.force(true);
    }
  }

  private static long randomSuffix() {
    return ThreadLocalRandom.current().nextLong() >>> 1;
  }

  private static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      // A leftover temporary file (dot-prefixed) holds no block; the created block is unaffected.
    }
  }
}
