package io.tokenworks.tkn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Keeps every token a miner emits, with its index. */
final class RecordingListener implements TokenListener {

  final List<Long> indexes = new ArrayList<>();
  final List<List<Integer>> tokens = new ArrayList<>();

  @Override
  public void onToken(long index, int[] symbols, int length) {
    indexes.add(index);
    tokens.add(Arrays.stream(symbols, 0, length).boxed().collect(Collectors.toUnmodifiableList()));
  }

  /** Tokens as strings, for inputs of one character per symbol id (id = char - 'a' + ...). */
  List<String> asText(SymbolTable table) {
    List<String> text = new ArrayList<>();
    for (List<Integer> token : tokens) {
      StringBuilder out = new StringBuilder();
      token.forEach(id -> out.append(table.value(id)));
      text.add(out.toString());
    }
    return text;
  }
}
