package io.tokenworks.tkn;

import java.util.Arrays;
import java.util.Objects;

/**
 * The TKN miner: greedy LZ78-style parsing of one session's symbol stream into tokens, as upstream
 * v1 does it, with upstream's defects fixed.
 *
 * <p>The miner keeps a <em>window</em> of symbols and a bounded <em>bank</em> of windows seen
 * before. Each symbol is appended to the window; while the window is in the bank it keeps growing.
 * When it is not, the window without its new symbol (the <em>known</em> prefix) is emitted as a
 * token, known and then the whole window are set in the bank (inserted, or refreshed if present;
 * looking a window up does not refresh it), and the window restarts as the new symbol alone. The
 * bank evicts its least recently set window when full ({@link MinerConfig#bankCapacity()}).
 *
 * <p>Differences from upstream v1, on purpose:
 *
 * <ul>
 *   <li>every symbol is mined (upstream mined only the first symbol of each frame);
 *   <li>no empty token: when the known prefix is empty (the first symbol of a session, or after
 *       {@link #flush()}) nothing is emitted and the empty window is never stored in the bank;
 *   <li>{@link #flush()} emits what is left in the window (upstream lost it);
 *   <li>an optional window limit ({@link MinerConfig#maxWindow()}).
 * </ul>
 *
 * <p>So the concatenation of all tokens, after a final {@code flush()}, is exactly the input.
 * Tokens are numbered from 0 without gaps. Mining a symbol is O(1) and allocates nothing once the
 * internal arrays have grown to the working set: windows are trie nodes (see {@code WindowBank}),
 * never rebuilt or hashed whole.
 *
 * <p>One instance per session, used by one thread at a time. If the {@link TokenListener} throws,
 * the exception propagates after the miner's state has been fully updated: the token counts as
 * emitted and the symbol as mined.
 */
public final class TknMiner {

  private final TokenListener listener;
  private final int maxWindow;
  private final WindowBank bank;
  private int[] window = new int[16];
  private int windowLength;

  /** Node of the current window; {@code ROOT} when empty, {@code NO_NODE} if it has none. */
  private int windowNode = WindowBank.ROOT;

  // Only misses are counted per symbol: mined = emitted + windowLength and hits = mined - misses,
  // which keeps the hit path free of counter updates.
  private long symbolsEmitted;
  private long tokensEmitted;
  private long misses;

  public TknMiner(MinerConfig config, TokenListener listener) {
    Objects.requireNonNull(config, "config");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.maxWindow = config.maxWindow();
    this.bank = new WindowBank(config.bankCapacity());
  }

  /** Mines one symbol. Symbol ids are those of a {@link SymbolTable}: never negative. */
  public void accept(int symbolId) {
    if (symbolId < 0) {
      throw negativeSymbol(symbolId);
    }
    int[] window = this.window;
    int length = windowLength;
    if (length == window.length) {
      window = growWindow();
    }
    window[length++] = symbolId;
    windowLength = length;
    int extended = bank.child(windowNode, symbolId);
    if (bank.contains(extended)) {
      windowNode = extended;
      if (length == maxWindow) {
        emitWholeWindow();
      }
    } else {
      misses++;
      if (length == 1) {
        // The known prefix is empty: remember the symbol, emit nothing.
        windowNode = bank.setRoot(extended, symbolId);
        if (maxWindow == 1) {
          emitWholeWindow();
        }
      } else {
        emitKnown(symbolId, extended);
      }
    }
  }

  /** Mines {@code ids[offset .. offset+length)} in order. */
  public void accept(int[] ids, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, ids.length);
    for (int i = offset, end = offset + length; i < end; i++) {
      accept(ids[i]);
    }
  }

  /**
   * Emits the current window as a token if it is not empty, and empties it. The bank is left as it
   * is. Call it at the end of a session (or at any point where the stream is cut) so no symbol is
   * left unemitted.
   */
  public void flush() {
    if (windowLength > 0) {
      symbolsEmitted += windowLength;
      long index = tokensEmitted++;
      try {
        listener.onToken(index, window, windowLength);
      } finally {
        windowLength = 0;
        windowNode = WindowBank.ROOT;
      }
    }
  }

  /** Symbols accepted so far. */
  public long symbolsMined() {
    return symbolsEmitted + windowLength;
  }

  /** Tokens emitted so far; the next token's index. */
  public long tokensEmitted() {
    return tokensEmitted;
  }

  /** Symbols in the current window, not yet emitted. */
  public int windowLength() {
    return windowLength;
  }

  /** Symbols that extended the window because the extended window was in the bank. */
  public long bankHits() {
    return symbolsMined() - misses;
  }

  /** Windows in the bank now. */
  public int bankSize() {
    return bank.size();
  }

  /** Windows evicted from the bank so far. */
  public long bankEvictions() {
    return bank.evictions();
  }

  /** For tests: the bank's structural invariants hold. */
  void verifyIntegrity() {
    bank.verifyIntegrity();
  }

  int trieNodes() {
    return bank.nodes();
  }

  private void emitKnown(int symbolId, int extended) {
    int knownLength = windowLength - 1;
    // Only a length-1 known window can lack a node: longer windows grew through bank hits.
    bank.setKnownThenExtended(windowNode, window[0], extended, symbolId);
    symbolsEmitted += knownLength;
    long index = tokensEmitted++;
    try {
      listener.onToken(index, window, knownLength);
    } finally {
      window[0] = symbolId;
      windowLength = 1;
      windowNode = bank.child(WindowBank.ROOT, symbolId);
    }
    // maxWindow == 1 never reaches here: that window is emitted on every symbol.
  }

  private void emitWholeWindow() {
    bank.set(windowNode);
    flush();
  }

  private int[] growWindow() {
    window = Arrays.copyOf(window, windowLength * 2);
    return window;
  }

  private static IllegalArgumentException negativeSymbol(int symbolId) {
    return new IllegalArgumentException(
        "symbolId=" + symbolId + ": symbol ids come from a SymbolTable and are never negative");
  }
}
