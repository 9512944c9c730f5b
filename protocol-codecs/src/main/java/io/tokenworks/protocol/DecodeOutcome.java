package io.tokenworks.protocol;

/**
 * What every decode result of every wire format can say: the frame is not complete yet, a whole
 * frame was decoded, or the bytes are wrong. Each protocol's result enum implements this and names
 * its own errors.
 */
public interface DecodeOutcome {

  /**
   * The bytes so far are a valid prefix of a frame; read more and call again with the same start.
   */
  boolean needsMoreBytes();

  /** A whole, valid frame was decoded. */
  boolean isFrame();

  /**
   * The bytes break the protocol; {@link #closesConnection()} says whether the stream can go on.
   */
  default boolean isError() {
    return !needsMoreBytes() && !isFrame();
  }

  /**
   * Whether the stream cannot be trusted after this result: the frame boundary is lost (bad header)
   * or the frame is too large to skip safely. When false, the caller may skip the offending frame
   * and keep reading.
   */
  boolean closesConnection();
}
