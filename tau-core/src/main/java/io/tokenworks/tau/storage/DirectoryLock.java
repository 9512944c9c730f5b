package io.tokenworks.tau.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** An exclusive lock on a data directory, so two engines never write the same files. */
public final class DirectoryLock implements AutoCloseable {

  static final String FILE_NAME = "tau.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code directory}.
   *
   * @throws IllegalStateException when another engine, in this process or another, holds it
   */
  public static DirectoryLock acquire(Path directory) throws IOException {
    FileChannel channel =
        FileChannel.open(
            directory.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another engine in this JVM
    }
    if (lock == null) {
      channel.close();
      throw new IllegalStateException(
          "dataDirectory=" + directory + " is in use by another Tau engine");
    }
    return new DirectoryLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
