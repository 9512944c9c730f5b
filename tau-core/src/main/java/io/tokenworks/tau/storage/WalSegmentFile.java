package io.tokenworks.tau.storage;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The open WAL segment, written through a memory-mapped window instead of a {@code write} call per
 * batch. On ext4 each small {@code write} paid the page-cache write path for the page it touched
 * (11% of a Tau event loop at a million appends a second). The page cache is the same either way: a
 * {@code kill -9} loses nothing written, and {@link #force} ({@code fdatasync}) makes it durable.
 *
 * <p>A store into a mapped page still faults the first time the page is touched: the kernel finds
 * or creates the page and reads ahead (another 11% of that event loop, most of it {@code
 * filemap_fault}). So the next window is mapped and its pages faulted in ahead of the writer, by
 * {@link #prepareAhead} on a thread that is not writing, and the writer takes it over when it
 * reaches the end of its window; the window it leaves is unmapped there too. Each first store then
 * costs only the kernel's note that the page is now dirty. A writer that gets there first maps the
 * window itself, as before.
 *
 * <p>The file is extended a window at a time, so until {@link #close} cuts it to the bytes written
 * it ends in zeros, which recovery reads as the end of the log (a zero record length is never
 * valid) and cuts, as it cuts a torn tail.
 *
 * <p>Threads: one thread at a time calls {@link #write}; {@link #force} may run on another at the
 * same time; {@link #prepareAhead} and {@link #close} run on one thread (the WAL's writer thread),
 * never at the same time as each other.
 */
final class WalSegmentFile implements AutoCloseable {

  static final long WINDOW_BYTES = 4L << 20;

  private record Mapping(long start, MappedByteBuffer buffer) {}

  private final FileChannel channel;
  private final Runnable windowWanted;

  // The writer's window.
  private Mapping current;
  private final UnsafeBuffer window = new UnsafeBuffer(new byte[0]);
  private long end;

  /** Where the window after the writer's starts: what {@link #prepareAhead} maps next. */
  private volatile long nextStart;

  /** A mapped window whose pages are all faulted in, for the writer to take over. */
  private final AtomicReference<Mapping> prepared = new AtomicReference<>();

  /** A window the writer left, for {@link #prepareAhead} to unmap. */
  private final AtomicReference<Mapping> retired = new AtomicReference<>();

  // The preparing thread's window in progress, and how far into it the pages are faulted in.
  private Mapping preparing;
  private int touchedBytes;

  /** Windows the writer had to map itself (none was prepared for it). */
  private long windowsMappedByWriter;

  /**
   * Takes over {@code channel}, whose file holds {@code end} bytes (the segment header). {@code
   * windowWanted} is run by the writer whenever it moved to a new window, so that the next one gets
   * prepared; it must not block.
   */
  WalSegmentFile(FileChannel channel, long end, Runnable windowWanted) throws IOException {
    this.channel = channel;
    this.windowWanted = windowWanted;
    this.end = end;
    moveTo(map(end));
  }

  private Mapping map(long start) throws IOException {
    // Maps past the end of the file extend it: the window's pages exist before anything is stored.
    return new Mapping(start, channel.map(FileChannel.MapMode.READ_WRITE, start, WINDOW_BYTES));
  }

  private static void unmap(Mapping mapping) {
    if (mapping != null) {
      IoUtil.unmap(mapping.buffer());
    }
  }

  private void moveTo(Mapping next) {
    current = next;
    window.wrap(next.buffer());
    nextStart = next.start() + WINDOW_BYTES;
  }

  /** Appends {@code length} bytes of {@code bytes}. */
  void write(byte[] bytes, int length) throws IOException {
    int offset = 0;
    while (offset < length) {
      long windowEnd = current.start() + WINDOW_BYTES;
      if (end == windowEnd) {
        advance();
        windowEnd = current.start() + WINDOW_BYTES;
      }
      int n = (int) Math.min(length - offset, windowEnd - end);
      window.putBytes((int) (end - current.start()), bytes, offset, n);
      offset += n;
      end += n;
    }
  }

  /** Writer: moves to the window starting at {@code end}, prepared ahead if it is ready. */
  private void advance() throws IOException {
    Mapping left = current;
    Mapping next = prepared.getAndSet(null);
    if (next == null || next.start() != end) {
      unmap(next);
      next = map(end);
      windowsMappedByWriter++;
    }
    moveTo(next);
    // A window the preparer has not unmapped yet is unmapped here: at most one waits for it.
    unmap(retired.getAndSet(left));
    windowWanted.run();
  }

  /**
   * Preparing thread: unmaps a window the writer left, and maps and faults in at most {@code
   * maxBytes} more of the window after the writer's. Returns whether there is more to do.
   */
  boolean prepareAhead(int maxBytes) throws IOException {
    unmap(retired.getAndSet(null));
    long start = nextStart;
    Mapping ready = prepared.get();
    if (ready != null && ready.start() == start) {
      return false;
    }
    if (preparing == null || preparing.start() != start) {
      unmap(preparing);
      preparing = map(start);
      touchedBytes = 0;
    }
    int upTo = (int) Math.min(WINDOW_BYTES, (long) touchedBytes + maxBytes);
    // Reads every page of the range: faulted in without being dirtied, so nothing is written back
    // before the writer stores into it.
    preparing.buffer().slice(touchedBytes, upTo - touchedBytes).load();
    touchedBytes = upTo;
    if (touchedBytes < WINDOW_BYTES) {
      return true;
    }
    // Replaces a window prepared for a start the writer has passed meanwhile (it never takes one).
    unmap(prepared.getAndSet(preparing));
    preparing = null;
    return false;
  }

  /** Makes every byte written so far durable ({@code fdatasync}, which covers mapped pages). */
  void force() throws IOException {
    channel.force(false);
  }

  /** Whether the window after the writer's is mapped and faulted in, ready to take over. */
  boolean nextWindowReady() {
    Mapping ready = prepared.get();
    return ready != null && ready.start() == nextStart;
  }

  /** Windows after the first that the writer mapped itself because none was prepared in time. */
  long windowsMappedByWriter() {
    return windowsMappedByWriter;
  }

  /** Bytes in the segment, header included. */
  long end() {
    return end;
  }

  /** Unmaps every window, cuts the file to the bytes written, forces that, and closes it. */
  @Override
  public void close() throws IOException {
    try {
      unmap(current);
      unmap(prepared.getAndSet(null));
      unmap(retired.getAndSet(null));
      unmap(preparing);
      current = null;
      preparing = null;
      channel.truncate(end);
      channel.force(true);
    } finally {
      channel.close();
    }
  }
}
