package io.tokenworks.tkn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MinerConfigTest {

  @Test
  void defaultsAreUpstreamV1() {
    MinerConfig config = MinerConfig.defaults();
    assertThat(config.bankCapacity()).isEqualTo(1000);
    assertThat(config.maxWindow()).isEqualTo(MinerConfig.UNBOUNDED_WINDOW);
  }

  @Test
  void withersChangeOneSetting() {
    MinerConfig config = MinerConfig.defaults().withBankCapacity(4).withMaxWindow(3);
    assertThat(config).isEqualTo(new MinerConfig(4, 3));
  }

  @Test
  void bankCapacityBelowOneIsRejected() {
    assertThatThrownBy(() -> new MinerConfig(0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bankCapacity=0: must be between 1 and ");
  }

  @Test
  void bankCapacityAboveTheMaximumIsRejected() {
    assertThatThrownBy(
            () -> MinerConfig.defaults().withBankCapacity(MinerConfig.MAX_BANK_CAPACITY + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bankCapacity=" + (MinerConfig.MAX_BANK_CAPACITY + 1));
  }

  @Test
  void negativeMaxWindowIsRejected() {
    assertThatThrownBy(() -> MinerConfig.defaults().withMaxWindow(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "maxWindow=-1: must be a positive number of symbols, or 0 for unbounded windows");
  }
}
