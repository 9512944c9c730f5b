package io.tokenworks.tkn.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tokenworks.tkn.graph.DiscardingSink;
import io.tokenworks.tkn.pipeline.PipelineConfig;
import io.tokenworks.tkn.pipeline.TokenPipelines;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connection's flow control, on Netty's in-memory channel. */
class TknConnectionTest {

  @Test
  void aPeerThatDoesNotReadItsAcksStopsBeingRead(@TempDir Path data) throws Exception {
    TknServerConfig config =
        TknServerConfig.of(Map.of("graph", "none", "data-dir", data.toString()));
    TknMetrics metrics = new TknMetrics();
    AtomicInteger slowReaderPauses = new AtomicInteger();
    try (TokenPipelines pipelines =
        new TokenPipelines(new DiscardingSink(), PipelineConfig.defaults())) {
      MiningSession.Opener miners = new MiningSession.Opener(config, pipelines, metrics);
      EmbeddedChannel channel =
          new EmbeddedChannel(
              new TknConnection(
                  false,
                  (output, transport) -> new TknSession(output, transport, config, metrics, miners),
                  slowReaderPauses::incrementAndGet));

      channel.writeInbound(Unpooled.wrappedBuffer(RawTkn.string("a")));
      assertThat((Object) channel.readOutbound()).isNotNull(); // the compatibility ack
      assertThat(channel.config().isAutoRead()).isTrue();

      channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
      channel.runPendingTasks();
      assertThat(channel.config().isAutoRead()).isFalse();
      assertThat(slowReaderPauses).hasValue(1);

      channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
      channel.runPendingTasks();
      assertThat(channel.config().isAutoRead()).isTrue();
      channel.finishAndReleaseAll();
    }
  }
}
