package io.tokenworks.tau.storage;

import io.tokenworks.tau.storage.Wal.Completion;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.agrona.ExpandableArrayBuffer;

/**
 * The {@link Wal}'s records on their way to the segment: the pending side, which appends serialize
 * into, and the writing side, which one write at a time copies out; {@link #swap()} turns the first
 * into the second. Each side keeps the completions of its records in order.
 *
 * <p>Not thread-safe. The log guards the pending side with its lock (appends, {@link #swap()},
 * {@link #takePending()}); the writing side belongs to the one thread doing the write under way.
 */
final class WalQueue {

  private final CRC32C crc = new CRC32C();
  private ExpandableArrayBuffer pending = new ExpandableArrayBuffer(64 * 1024);
  private ExpandableArrayBuffer writing = new ExpandableArrayBuffer(64 * 1024);
  private List<Completion> pendingCompletions = new ArrayList<>();
  private List<Completion> writingCompletions = new ArrayList<>();
  private int pendingLength;

  /**
   * Offset in {@code pending} of the last record while single points of its series may still be
   * added to it (its length and CRC not yet written), or -1.
   */
  private int openRecord = -1;

  private long openSeries;

  /** Whether nothing is pending. */
  boolean isEmpty() {
    return pendingLength == 0;
  }

  /** The bytes {@link #addPoint} would queue for a point of {@code seriesId} now. */
  int pointLength(long seriesId) {
    return extendsOpenRecord(seriesId) ? WalFormat.POINT_LENGTH : WalFormat.recordLength(1);
  }

  /** Queues one record of {@code count} points; returns its length. */
  int addRecord(
      long seriesId,
      long[] timestamps,
      double[] values,
      int offset,
      int count,
      Completion completion) {
    closeOpenRecord();
    int length =
        WalFormat.writeRecord(
            pending, pendingLength, crc, seriesId, timestamps, values, offset, count);
    return added(length, completion);
  }

  /**
   * Queues one point. Consecutive points of one series queued between two swaps share a record: 16
   * bytes of log per point instead of 32. Returns the bytes it added.
   */
  int addPoint(long seriesId, long timestamp, double value, Completion completion) {
    int length;
    if (extendsOpenRecord(seriesId)) {
      length = WalFormat.extendRecord(pending, openRecord, pendingLength, timestamp, value);
    } else {
      closeOpenRecord();
      openRecord = pendingLength;
      openSeries = seriesId;
      length = WalFormat.openRecord(pending, pendingLength, seriesId, timestamp, value);
    }
    return added(length, completion);
  }

  private boolean extendsOpenRecord(long seriesId) {
    return openRecord >= 0 && openSeries == seriesId;
  }

  private int added(int length, Completion completion) {
    pendingLength += length;
    pendingCompletions.add(completion);
    return length;
  }

  /** Finishes the header of the record single points were being added to. */
  private void closeOpenRecord() {
    if (openRecord >= 0) {
      WalFormat.closeRecord(pending, openRecord, pendingLength, crc);
      openRecord = -1;
    }
  }

  /**
   * The pending records become the ones being written (the last write's side must be completed);
   * returns their length.
   */
  int swap() {
    closeOpenRecord();
    ExpandableArrayBuffer buffer = pending;
    pending = writing;
    writing = buffer;
    List<Completion> completions = pendingCompletions;
    pendingCompletions = writingCompletions;
    writingCompletions = completions;
    int length = pendingLength;
    pendingLength = 0;
    return length;
  }

  /** The records being written, from offset 0. */
  byte[] writingBytes() {
    return writing.byteArray();
  }

  /** How many records are being written. */
  int writingCount() {
    return writingCompletions.size();
  }

  /** Tells every record being written that it is written, and forgets them. */
  void completeWriting() {
    List<Completion> done = writingCompletions;
    for (int i = 0, n = done.size(); i < n; i++) {
      done.get(i).written();
    }
    done.clear();
  }

  /** Forgets the records being written and returns their completions, to fail them. */
  List<Completion> takeWriting() {
    List<Completion> taken = new ArrayList<>(writingCompletions);
    writingCompletions.clear();
    return taken;
  }

  /** Drops every pending record and returns their completions, to fail them. */
  List<Completion> takePending() {
    List<Completion> taken = new ArrayList<>(pendingCompletions);
    pendingCompletions.clear();
    pendingLength = 0;
    openRecord = -1;
    return taken;
  }
}
