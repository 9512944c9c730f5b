package io.tokenworks.tau.storage;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/** Writing files so that a crash leaves either the old or the new content, never a mix. */
public final class DurableFiles {

  private DurableFiles() {}

  /**
   * Replaces {@code file} with {@code bytes}: writes a temporary file beside it, forces it, renames
   * it over the target atomically and forces the directory so the rename itself survives a crash.
   */
  public static void writeAtomically(Path file, byte[] bytes) throws IOException {
    try (AtomicWriter writer = AtomicWriter.open(file)) {
      writer.write(bytes);
      writer.commit();
    }
  }

  /**
   * Builds the replacement of a file piece by piece, for content too large to assemble in memory
   * first: {@link #write} appends to a temporary file beside the target through one small direct
   * buffer, {@link #commit} forces it, renames it over the target and forces the directory. Closed
   * without a commit, it deletes the temporary file and leaves the target as it was.
   *
   * <p>{@link #openDirect} writes around the page cache ({@code O_DIRECT}) where the file system
   * allows it, for large files nobody reads back soon: a checkpoint's chunk pack (120 MB every 10 s
   * at 1.75M appends/s) cost its thread the copy into fresh page-cache pages, the kernel's flusher
   * the write-back and the commit's force a burst of both, all on a 2-core machine whose cores the
   * server's event loop needed. Direct writes go whole aligned blocks at a time; the last one is
   * padded with zeros and the file cut back to its length before the force.
   */
  public static final class AtomicWriter implements AutoCloseable {
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int DIRECT_BUFFER_BYTES = 1 << 20;
    private static final Set<OpenOption> CREATE_WRITE =
        Set.of(
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);

    private final Path file;
    private final Path temporary;
    private final FileChannel channel;
    private final ByteBuffer buffer;

    /** Direct writes: the alignment of their offsets and lengths; 0 for buffered writes. */
    private final int blockBytes;

    private long length;
    private boolean committed;

    private AtomicWriter(Path file, Path temporary, FileChannel channel, int blockBytes) {
      this.file = file;
      this.temporary = temporary;
      this.channel = channel;
      this.blockBytes = blockBytes;
      this.buffer =
          blockBytes == 0
              ? ByteBuffer.allocateDirect(BUFFER_BYTES)
              : ByteBuffer.allocateDirect(DIRECT_BUFFER_BYTES + blockBytes)
                  .alignedSlice(blockBytes);
    }

    public static AtomicWriter open(Path file) throws IOException {
      Path temporary = temporaryFor(file);
      return new AtomicWriter(file, temporary, FileChannel.open(temporary, CREATE_WRITE), 0);
    }

    /**
     * Like {@link #open} but writing around the page cache where the file system supports {@code
     * O_DIRECT} with a block size that divides 1 MiB; elsewhere (tmpfs, other platforms) it writes
     * through the page cache as {@link #open} does.
     */
    public static AtomicWriter openDirect(Path file) throws IOException {
      Path temporary = temporaryFor(file);
      FileChannel channel = FileChannel.open(temporary, CREATE_WRITE);
      int blockBytes;
      try {
        blockBytes = Math.toIntExact(Files.getFileStore(temporary).getBlockSize());
      } catch (IOException | UnsupportedOperationException | ArithmeticException e) {
        blockBytes = 0;
      }
      if (blockBytes <= 0 || DIRECT_BUFFER_BYTES % blockBytes != 0) {
        return new AtomicWriter(file, temporary, channel, 0);
      }
      Set<OpenOption> options = new HashSet<>(CREATE_WRITE);
      options.add(ExtendedOpenOption.DIRECT);
      FileChannel direct;
      try {
        direct = FileChannel.open(temporary, options);
      } catch (IOException | UnsupportedOperationException e) {
        return new AtomicWriter(file, temporary, channel, 0);
      }
      try {
        // One aligned block written and cut off again: a file system that opens with O_DIRECT but
        // wants another alignment fails here, not in the middle of a checkpoint.
        ByteBuffer probe =
            ByteBuffer.allocateDirect(2 * blockBytes).alignedSlice(blockBytes).limit(blockBytes);
        while (probe.hasRemaining()) {
          direct.write(probe, probe.position());
        }
        direct.truncate(0);
      } catch (IOException e) {
        direct.close();
        return new AtomicWriter(file, temporary, channel, 0);
      }
      channel.close();
      return new AtomicWriter(file, temporary, direct, blockBytes);
    }

    private static Path temporaryFor(Path file) {
      return file.resolveSibling(file.getFileName() + ".tmp");
    }

    /** Whether this writer goes around the page cache. */
    boolean isDirect() {
      return blockBytes > 0;
    }

    /**
     * Appends {@code bytes}. Large content goes to the kernel in 64 KiB writes, so no call holds a
     * CPU for long (one 50 MB write took 190 ms of a 2-core machine) and the JDK never makes a
     * temporary direct copy of a large heap array.
     */
    public void write(byte[] bytes) throws IOException {
      write(bytes, 0, bytes.length);
    }

    /** Appends {@code length} bytes of {@code bytes} from {@code offset}. */
    public void write(byte[] bytes, int offset, int length) throws IOException {
      int end = offset + length;
      while (offset < end) {
        int n = Math.min(buffer.remaining(), end - offset);
        buffer.put(bytes, offset, n);
        offset += n;
        if (!buffer.hasRemaining()) {
          flush();
        }
      }
    }

    private void flush() throws IOException {
      int bytes = buffer.position();
      length += bytes;
      if (blockBytes > 0) {
        // Only whole blocks go to a direct channel: the last, partial one is padded with zeros
        // (cut off again at the commit); every earlier flush is of a full, aligned buffer.
        int padded = (bytes + blockBytes - 1) / blockBytes * blockBytes;
        while (buffer.position() < padded) {
          buffer.put((byte) 0);
        }
      }
      buffer.flip();
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      buffer.clear();
    }

    /** Makes the written content the file's, durably. */
    public void commit() throws IOException {
      flush();
      if (blockBytes > 0 && channel.size() != length) {
        channel.truncate(length);
      }
      channel.force(true);
      channel.close();
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      committed = true;
      forceDirectory(file.toAbsolutePath().getParent());
    }

    @Override
    public void close() throws IOException {
      if (committed) {
        return;
      }
      try {
        channel.close();
      } finally {
        Files.deleteIfExists(temporary);
      }
    }
  }

  /**
   * Forces a directory's entries (creations, renames, deletions) to disk. Linux allows opening a
   * directory for reading and forcing it; where the platform refuses, there is no portable
   * alternative and the rename's durability rests on the file system.
   */
  public static void forceDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      if (Files.isDirectory(directory) && !System.getProperty("os.name").startsWith("Linux")) {
        return;
      }
      throw e instanceof IOException io ? io : new IOException(e);
    }
  }
}
