package io.tokenworks.protocol;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import org.agrona.concurrent.UnsafeBuffer;

/** Test helpers for byte vectors and allocation checks. */
public final class Bytes {

  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  private Bytes() {}

  /** Bytes from hex, ignoring spaces so vectors can be written as the reference writes them. */
  public static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  public static UnsafeBuffer bufferOf(String hex) {
    return new UnsafeBuffer(hex(hex));
  }

  public static String hexOf(UnsafeBuffer buffer, int offset, int length) {
    byte[] bytes = new byte[length];
    buffer.getBytes(offset, bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Bytes allocated on the heap by this thread so far. */
  public static long allocatedBytes() {
    return THREADS.getCurrentThreadAllocatedBytes();
  }
}
