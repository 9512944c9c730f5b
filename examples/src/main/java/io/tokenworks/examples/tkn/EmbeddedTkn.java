package io.tokenworks.examples.tkn;

import io.tokenworks.tkn.MinerConfig;
import io.tokenworks.tkn.SymbolTable;
import io.tokenworks.tkn.TknMiner;
import io.tokenworks.tkn.graph.BoltConfig;
import io.tokenworks.tkn.graph.BoltGraphSink;
import io.tokenworks.tkn.graph.DiscardingSink;
import io.tokenworks.tkn.graph.GraphSink;
import io.tokenworks.tkn.graph.GraphWriteException;
import io.tokenworks.tkn.pipeline.PipelineConfig;
import io.tokenworks.tkn.pipeline.PipelineListener;
import io.tokenworks.tkn.pipeline.TokenPipeline;
import io.tokenworks.tkn.pipeline.TokenPipelines;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Embeds the TKN miner: mines a text one character per symbol and prints the tokens, then mines it
 * again into a graph through a token pipeline (Neo4j or Memgraph when {@code NEO4J_URI} or {@code
 * MEMGRAPH_URI} is set, otherwise a sink that only counts). The README's "Embedding" snippets are
 * {@link #mine} and {@link #store}.
 */
public final class EmbeddedTkn {

  private EmbeddedTkn() {}

  public static void main(String[] args) throws GraphWriteException {
    String text = args.length > 0 ? args[0] : "the cat the cat the cat";
    System.out.println("tokens: " + mine(text));
    Optional<BoltConfig> bolt = BoltConfig.fromEnvironment(System.getenv());
    try (GraphSink sink =
        bolt.isPresent() ? BoltGraphSink.open(bolt.get()) : new DiscardingSink()) {
      store(text, sink);
      System.out.println("stored in " + sink.describe());
    }
  }

  static List<String> mine(String text) {
    SymbolTable symbols = new SymbolTable();
    List<String> tokens = new ArrayList<>();
    TknMiner miner =
        new TknMiner(
            MinerConfig.defaults(), // a bank of 1000 windows, as upstream
            (index, ids, length) -> { // ids are valid during the call only
              StringBuilder token = new StringBuilder();
              for (int i = 0; i < length; i++) {
                token.append(symbols.value(ids[i]));
              }
              tokens.add(token.toString());
            });
    text.chars().forEach(c -> miner.accept(symbols.intern(String.valueOf((char) c))));
    miner.flush(); // the last window is a token too
    return tokens;
  }

  static long store(String text, GraphSink sink) {
    try (TokenPipelines pipelines = new TokenPipelines(sink, PipelineConfig.defaults())) {
      SymbolTable symbols = new SymbolTable();
      TokenPipeline pipeline = pipelines.open("acme", "example-1", symbols, PipelineListener.NONE);
      TknMiner miner = new TknMiner(MinerConfig.defaults(), pipeline);
      text.chars().forEach(c -> miner.accept(symbols.intern(String.valueOf((char) c))));
      miner.flush();
      pipeline.close(); // writes what is queued, then releases the session
      return miner.tokensEmitted();
    }
  }
}
