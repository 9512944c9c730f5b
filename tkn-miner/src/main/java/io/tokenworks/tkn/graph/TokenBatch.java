package io.tokenworks.tkn.graph;

import io.tokenworks.tkn.SymbolTable;
import java.util.Objects;

/**
 * Consecutive tokens of one session, handed to a {@link GraphSink} in one write. Token {@code i}
 * has session index {@link #firstIndex()}{@code + i}; pairs are {@code (i, i + 1)} for {@code i <
 * tokenCount() - 1}, so a batch of n tokens carries n - 1 pairs.
 *
 * <p>So that no pair is lost between batches, a batch after the first starts with the last token of
 * the batch before it ({@link #carriesPrevious()}); that token's node already exists and is merged
 * again, harmlessly. A batch with one token is a node and no edge (a session that emitted a single
 * token).
 *
 * <p>The batch owns its arrays: nobody changes them after construction. Symbol ids refer to {@link
 * #symbols()}, which is only appended to, so a writer thread may read them.
 */
public final class TokenBatch {

  private final String tenant;
  private final String sessionId;
  private final SymbolTable symbols;
  private final long firstIndex;
  private final int[][] tokens;
  private final boolean carriesPrevious;

  /**
   * @param tokens the tokens' symbol ids, at least one token of at least one symbol; the batch
   *     takes ownership of the arrays
   * @param carriesPrevious whether {@code tokens[0]} was the last token of the previous batch
   */
  public TokenBatch(
      String tenant,
      String sessionId,
      SymbolTable symbols,
      long firstIndex,
      int[][] tokens,
      boolean carriesPrevious) {
    this.tenant = requireText(tenant, "tenant");
    this.sessionId = requireText(sessionId, "sessionId");
    this.symbols = Objects.requireNonNull(symbols, "symbols");
    if (firstIndex < 0) {
      throw new IllegalArgumentException("firstIndex must not be negative, was " + firstIndex);
    }
    Objects.requireNonNull(tokens, "tokens");
    if (tokens.length == 0) {
      throw new IllegalArgumentException("a batch needs at least one token");
    }
    if (carriesPrevious && tokens.length < 2) {
      throw new IllegalArgumentException("a batch carrying the previous token needs a new one too");
    }
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i] == null || tokens[i].length == 0) {
        throw new IllegalArgumentException("token " + (firstIndex + i) + " has no symbols");
      }
    }
    this.firstIndex = firstIndex;
    this.tokens = tokens;
    this.carriesPrevious = carriesPrevious;
  }

  private static String requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return value;
  }

  /** The tenant whose graph this goes to (a property on every node, not a label). */
  public String tenant() {
    return tenant;
  }

  /** The session the tokens came from (the {@code session} property of its edges). */
  public String sessionId() {
    return sessionId;
  }

  public SymbolTable symbols() {
    return symbols;
  }

  /** Session index of {@code token(0)}. */
  public long firstIndex() {
    return firstIndex;
  }

  /** Session index of the last token. */
  public long lastIndex() {
    return firstIndex + tokens.length - 1;
  }

  public int tokenCount() {
    return tokens.length;
  }

  /** Tokens not already written by an earlier batch. */
  public int newTokenCount() {
    return carriesPrevious ? tokens.length - 1 : tokens.length;
  }

  public int pairCount() {
    return tokens.length - 1;
  }

  public boolean carriesPrevious() {
    return carriesPrevious;
  }

  /** The symbol ids of token {@code i} (0-based in the batch). Do not modify. */
  public int[] token(int i) {
    return tokens[i];
  }

  @Override
  public String toString() {
    return "TokenBatch[tenant="
        + tenant
        + ", session="
        + sessionId
        + ", tokens="
        + firstIndex
        + ".."
        + lastIndex()
        + "]";
  }
}
