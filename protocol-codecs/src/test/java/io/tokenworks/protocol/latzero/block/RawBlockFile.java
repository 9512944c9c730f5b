package io.tokenworks.protocol.latzero.block;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Test helpers: a block's header mapped raw, to stage what a dead writer leaves; a manual clock.
 */
final class RawBlockFile {

  private RawBlockFile() {}

  /** The header of {@code file} mapped read-write, bypassing {@link SharedBlock}. */
  static UnsafeBuffer header(Path file) {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      return new UnsafeBuffer(
          channel.map(FileChannel.MapMode.READ_WRITE, 0, SharedBlockDescriptor.HEADER_LENGTH));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A wall clock that moves only when told. */
  static final class ManualClock implements EpochClock {
    private final AtomicLong nowMs = new AtomicLong(1_700_000_000_000L);

    @Override
    public long time() {
      return nowMs.get();
    }

    void advance(long ms) {
      nowMs.addAndGet(ms);
    }
  }
}
