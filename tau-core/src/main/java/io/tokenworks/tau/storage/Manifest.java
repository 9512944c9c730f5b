package io.tokenworks.tau.storage;

import io.tokenworks.tau.Label;
import io.tokenworks.tau.Transform;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The catalog on disk: which series exist (label and the numeric id that names their directory) and
 * which lenses (label, source series, transform chain). Replaced atomically on every change. Labels
 * never become file names, so no label can escape the data directory or collide with another.
 *
 * <pre>
 *  0   8  magic "TAUMANI1"
 *  8   4  body length (u32)
 * 12   4  CRC32C of the body
 * 16      body, little-endian:
 *           next series id (u64)
 *           series count (u32), then per series: id (u64), label (32 bytes)
 *           lens count (u32), then per lens: label (32), source label (32), transform count (u8),
 *             transform ordinals (u8 each, in application order)
 * </pre>
 */
public record Manifest(long nextSeriesId, List<SeriesEntry> series, List<LensEntry> lenses) {

  /** A series and the id its directory and WAL records use. */
  public record SeriesEntry(long id, Label label) {}

  /** A lens: its source series and the transforms applied, first to last. */
  public record LensEntry(Label label, Label source, List<Transform> transforms) {}

  public static final String FILE_NAME = "manifest.tau";
  private static final byte[] MAGIC = {'T', 'A', 'U', 'M', 'A', 'N', 'I', '1'};
  private static final int HEADER_LENGTH = 16;

  public static Manifest empty() {
    return new Manifest(1, List.of(), List.of());
  }

  /** Reads the manifest in {@code directory}, or returns an empty one when there is none yet. */
  public static Manifest read(Path directory) throws IOException {
    Path file = directory.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return empty();
    }
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    try {
      for (byte b : MAGIC) {
        if (buffer.get() != b) {
          throw corrupt(file, "bad magic");
        }
      }
      int bodyLength = buffer.getInt();
      int expectedCrc = buffer.getInt();
      if (bodyLength != bytes.length - HEADER_LENGTH) {
        throw corrupt(
            file,
            "body length " + bodyLength + " but " + (bytes.length - HEADER_LENGTH) + " bytes");
      }
      CRC32C crc = new CRC32C();
      crc.update(bytes, HEADER_LENGTH, bodyLength);
      if ((int) crc.getValue() != expectedCrc) {
        throw corrupt(file, "checksum mismatch");
      }
      long nextId = buffer.getLong();
      int seriesCount = buffer.getInt();
      List<SeriesEntry> series = new ArrayList<>(seriesCount);
      for (int i = 0; i < seriesCount; i++) {
        series.add(new SeriesEntry(buffer.getLong(), label(buffer)));
      }
      int lensCount = buffer.getInt();
      List<LensEntry> lenses = new ArrayList<>(lensCount);
      Transform[] all = Transform.values();
      for (int i = 0; i < lensCount; i++) {
        Label label = label(buffer);
        Label source = label(buffer);
        int n = buffer.get() & 0xFF;
        List<Transform> transforms = new ArrayList<>(n);
        for (int t = 0; t < n; t++) {
          int ordinal = buffer.get() & 0xFF;
          if (ordinal >= all.length) {
            throw corrupt(file, "unknown transform " + ordinal);
          }
          transforms.add(all[ordinal]);
        }
        lenses.add(new LensEntry(label, source, List.copyOf(transforms)));
      }
      return new Manifest(nextId, List.copyOf(series), List.copyOf(lenses));
    } catch (BufferUnderflowException e) {
      throw corrupt(file, "truncated");
    }
  }

  /** Replaces the manifest in {@code directory} atomically and durably. */
  public void write(Path directory) throws IOException {
    int bodyLength = 8 + 4 + series.size() * (8 + Label.LENGTH) + 4;
    for (LensEntry lens : lenses) {
      bodyLength += 2 * Label.LENGTH + 1 + lens.transforms().size();
    }
    ByteBuffer buffer =
        ByteBuffer.allocate(HEADER_LENGTH + bodyLength).order(ByteOrder.LITTLE_ENDIAN);
    buffer.put(MAGIC).putInt(bodyLength).putInt(0);
    buffer.putLong(nextSeriesId).putInt(series.size());
    for (SeriesEntry entry : series) {
      buffer.putLong(entry.id()).put(entry.label().toBytes());
    }
    buffer.putInt(lenses.size());
    for (LensEntry lens : lenses) {
      buffer.put(lens.label().toBytes()).put(lens.source().toBytes());
      buffer.put((byte) lens.transforms().size());
      for (Transform transform : lens.transforms()) {
        buffer.put((byte) transform.ordinal());
      }
    }
    byte[] bytes = buffer.array();
    CRC32C crc = new CRC32C();
    crc.update(bytes, HEADER_LENGTH, bodyLength);
    buffer.putInt(12, (int) crc.getValue());
    DurableFiles.writeAtomically(directory.resolve(FILE_NAME), bytes);
  }

  private static Label label(ByteBuffer buffer) {
    byte[] raw = new byte[Label.LENGTH];
    buffer.get(raw);
    return Label.ofBytes(raw);
  }

  private static IOException corrupt(Path file, String what) {
    return new IOException("manifest " + file + " is corrupt: " + what);
  }
}
