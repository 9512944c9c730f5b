package io.tokenworks.tkn;

/**
 * How a {@link TknMiner} runs.
 *
 * @param bankCapacity how many distinct windows the bank remembers before it evicts the least
 *     recently set one; upstream v1 used 1000 ({@link #DEFAULT_BANK_CAPACITY}). At least 1, at most
 *     {@link #MAX_BANK_CAPACITY}.
 * @param maxWindow the longest token, in symbols, or {@link #UNBOUNDED_WINDOW} for no limit (as
 *     upstream v1). When the window grows to {@code maxWindow} symbols it is emitted whole as a
 *     token, its bank entry is refreshed as for any emitted token, and the window becomes empty, so
 *     the next symbol starts afresh as at the start of a session. No symbol is dropped (unlike
 *     upstream v3, which discarded the oldest symbol).
 */
public record MinerConfig(int bankCapacity, int maxWindow) {

  /** Upstream v1's bank size. */
  public static final int DEFAULT_BANK_CAPACITY = 1000;

  /** Keeps node slots and the trie index within int-indexed arrays. */
  public static final int MAX_BANK_CAPACITY = 1 << 26;

  /** {@link #maxWindow} value meaning tokens may be of any length. */
  public static final int UNBOUNDED_WINDOW = 0;

  public MinerConfig {
    if (bankCapacity < 1 || bankCapacity > MAX_BANK_CAPACITY) {
      throw new IllegalArgumentException(
          "bankCapacity="
              + bankCapacity
              + ": must be between 1 and "
              + MAX_BANK_CAPACITY
              + " (upstream v1 used "
              + DEFAULT_BANK_CAPACITY
              + ")");
    }
    if (maxWindow < 0) {
      throw new IllegalArgumentException(
          "maxWindow="
              + maxWindow
              + ": must be a positive number of symbols, or "
              + UNBOUNDED_WINDOW
              + " for unbounded windows");
    }
  }

  /** Upstream v1's settings: a bank of 1000 windows and no window limit. */
  public static MinerConfig defaults() {
    return new MinerConfig(DEFAULT_BANK_CAPACITY, UNBOUNDED_WINDOW);
  }

  /** This configuration with another bank capacity. */
  public MinerConfig withBankCapacity(int bankCapacity) {
    return new MinerConfig(bankCapacity, maxWindow);
  }

  /** This configuration with another window limit. */
  public MinerConfig withMaxWindow(int maxWindow) {
    return new MinerConfig(bankCapacity, maxWindow);
  }
}
