package io.tokenworks.protocol.tkn;

/**
 * The cumulative figures of a HELLO mode session as of one ACK: data frames processed, symbols
 * mined and tokens emitted since the session began.
 */
public record TknAck(long frames, long symbols, long tokens) {

  /** The figures before any ACK. */
  public static final TknAck NONE = new TknAck(0, 0, 0);
}
