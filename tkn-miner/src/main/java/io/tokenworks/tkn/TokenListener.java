package io.tokenworks.tkn;

/** Receives the tokens a {@link TknMiner} emits, in order, on the miner's thread. */
@FunctionalInterface
public interface TokenListener {

  /**
   * One token: the symbol ids {@code symbols[0 .. length)}. The array is the miner's own and is
   * reused after the call returns: copy what you keep.
   *
   * @param index the token's position in its session, counting from 0 without gaps
   */
  void onToken(long index, int[] symbols, int length);
}
