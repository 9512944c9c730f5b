package io.tokenworks.tau.storage;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The open WAL segment, written through a memory-mapped window instead of a {@code write} call per
 * batch. On ext4 each small {@code write} paid the page-cache write path for the page it touched
 * (11% of a Tau event loop at a million appends a second); a store into a mapped page costs a fault
 * the first time the page is touched and nothing after. The page cache is the same either way: a
 * {@code kill -9} loses nothing written, and {@link #force} ({@code fdatasync}) makes it durable.
 *
 * <p>The file is extended a window at a time, so until {@link #close} cuts it to the bytes written
 * it ends in zeros, which recovery reads as the end of the log (a zero record length is never
 * valid) and cuts, as it cuts a torn tail. Only the writing thread calls {@link #write}; {@link
 * #force} may run on another thread at the same time.
 */
final class WalSegmentFile implements AutoCloseable {

  static final long WINDOW_BYTES = 4L << 20;

  private final FileChannel channel;
  private MappedByteBuffer mapped;
  private final UnsafeBuffer window = new UnsafeBuffer(new byte[0]);
  private long windowStart;
  private long end;

  /** Takes over {@code channel}, whose file holds {@code end} bytes (the segment header). */
  WalSegmentFile(FileChannel channel, long end) throws IOException {
    this.channel = channel;
    this.end = end;
    map(end);
  }

  private void map(long position) throws IOException {
    if (mapped != null) {
      IoUtil.unmap(mapped);
      mapped = null;
    }
    windowStart = position;
    // Maps past the end of the file extend it: the window's pages exist before anything is stored.
    mapped = channel.map(FileChannel.MapMode.READ_WRITE, windowStart, WINDOW_BYTES);
    window.wrap(mapped);
  }

  /** Appends {@code length} bytes of {@code bytes}. */
  void write(byte[] bytes, int length) throws IOException {
    int offset = 0;
    while (offset < length) {
      long windowEnd = windowStart + WINDOW_BYTES;
      if (end == windowEnd) {
        map(end);
        windowEnd = windowStart + WINDOW_BYTES;
      }
      int n = (int) Math.min(length - offset, windowEnd - end);
      window.putBytes((int) (end - windowStart), bytes, offset, n);
      offset += n;
      end += n;
    }
  }

  /** Makes every byte written so far durable ({@code fdatasync}, which covers mapped pages). */
  void force() throws IOException {
    channel.force(false);
  }

  /** Bytes in the segment, header included. */
  long end() {
    return end;
  }

  /** Unmaps the window, cuts the file to the bytes written, forces that, and closes it. */
  @Override
  public void close() throws IOException {
    try {
      if (mapped != null) {
        IoUtil.unmap(mapped);
        mapped = null;
      }
      channel.truncate(end);
      channel.force(true);
    } finally {
      channel.close();
    }
  }
}
