package io.tokenworks.benchmarks.codec;

/** JVM options every benchmark fork needs. */
final class Jvm {

  /**
   * Agrona 2 reaches {@code jdk.internal.misc.Unsafe}; see the parent pom's {@code
   * agrona.jvm.args}.
   */
  static final String AGRONA_EXPORTS = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

  private Jvm() {}
}
