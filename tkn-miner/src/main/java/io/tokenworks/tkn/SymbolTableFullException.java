package io.tokenworks.tkn;

/** A new symbol arrived at a {@link SymbolTable} that already holds its capacity. */
public final class SymbolTableFullException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SymbolTableFullException(int capacity) {
    super(
        "symbol table full: "
            + capacity
            + " distinct symbols (raise the symbol table capacity or use fewer distinct symbols)");
  }

  SymbolTableFullException(String message) {
    super(message);
  }
}
