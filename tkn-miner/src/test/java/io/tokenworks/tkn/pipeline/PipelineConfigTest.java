package io.tokenworks.tkn.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PipelineConfigTest {

  @Test
  void defaultsAreValid() {
    PipelineConfig config = PipelineConfig.defaults();
    assertThat(config.maxBatchPairs()).isEqualTo(1000);
    assertThat(config.maxBatchDelay()).isEqualTo(Duration.ofMillis(100));
    assertThat(config.lowWatermark()).isLessThan(config.highWatermark());
    assertThat(config.writerThreads()).isEqualTo(2);
  }

  @Test
  void rejectsBadValuesNamingTheSetting() {
    PipelineConfig config = PipelineConfig.defaults();
    assertThatThrownBy(() -> config.withMaxBatchPairs(0)).hasMessageContaining("maxBatchPairs=0");
    assertThatThrownBy(() -> config.withMaxBatchDelay(Duration.ofMillis(-1)))
        .hasMessageContaining("maxBatchDelay");
    assertThatThrownBy(() -> config.withWatermarks(10, 10)).hasMessageContaining("lowWatermark=10");
    assertThatThrownBy(() -> config.withWatermarks(0, 0)).hasMessageContaining("highWatermark=0");
    assertThatThrownBy(() -> config.withRetryBackoff(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("retryInitialBackoff");
    assertThatThrownBy(() -> config.withRetryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("retryMaxBackoff");
    assertThatThrownBy(() -> config.withWriterThreads(0)).hasMessageContaining("writerThreads=0");
    assertThatThrownBy(() -> config.withCloseTimeout(Duration.ofSeconds(-1)))
        .hasMessageContaining("closeTimeout");
  }

  @Test
  void retryDelayDoublesFromTheInitialBackoffUpToTheCap() {
    PipelineConfig config =
        PipelineConfig.defaults().withRetryBackoff(Duration.ofMillis(50), Duration.ofSeconds(5));
    long ms = 1_000_000;
    assertThat(config.retryDelayNanos(1, 1.0)).isEqualTo(50 * ms);
    assertThat(config.retryDelayNanos(1, 0.0)).isEqualTo(25 * ms);
    assertThat(config.retryDelayNanos(2, 1.0)).isEqualTo(100 * ms);
    assertThat(config.retryDelayNanos(4, 1.0)).isEqualTo(400 * ms);
    assertThat(config.retryDelayNanos(8, 1.0)).isEqualTo(5000 * ms);
    assertThat(config.retryDelayNanos(1_000_000, 1.0)).isEqualTo(5000 * ms);
    assertThat(config.retryDelayNanos(Long.MAX_VALUE, 0.5)).isBetween(2500 * ms, 5000 * ms);
  }
}
