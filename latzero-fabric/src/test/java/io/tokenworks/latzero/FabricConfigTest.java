package io.tokenworks.latzero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FabricConfigTest {

  private static final Path DIR = Path.of("unused");

  @Test
  void defaultsMatchUpstreamWhereUpstreamHadThem() {
    FabricConfig config = FabricConfig.builder(DIR).build();

    assertThat(config.defaultTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.autoCreatePools()).isTrue();
    assertThat(config.maxOutstandingCallsPerSession()).isEqualTo(1024);
    assertThat(config.backupsKept()).isEqualTo(7);
    assertThat(config.backupInterval()).isEqualTo(Duration.ofHours(24));
    assertThat(config.describe())
        .containsKeys("dataDirectory", "defaultTtl", "maxTtl", "backupsKept");
  }

  @Test
  void badSettingsAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> FabricConfig.builder(DIR).defaultTtl(Duration.ZERO).build())
        .hasMessageContaining("defaultTtl=PT0S");
    assertThatThrownBy(
            () ->
                FabricConfig.builder(DIR)
                    .defaultTtl(Duration.ofMinutes(2))
                    .maxTtl(Duration.ofMinutes(1))
                    .build())
        .hasMessageContaining("must not exceed maxTtl");
    assertThatThrownBy(() -> FabricConfig.builder(DIR).maxOutstandingCallsPerSession(0).build())
        .hasMessageContaining("maxOutstandingCallsPerSession=0");
    assertThatThrownBy(() -> FabricConfig.builder(DIR).maxOutstandingCalls(0).build())
        .hasMessageContaining("maxOutstandingCalls=0");
    assertThatThrownBy(() -> FabricConfig.builder(DIR).maxPools(1).build())
        .hasMessageContaining("maxPools=1");
    assertThatThrownBy(() -> FabricConfig.builder(DIR).backupsKept(0).build())
        .hasMessageContaining("backupsKept=0");
    assertThatThrownBy(
            () -> FabricConfig.builder(DIR).backupInterval(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("backupInterval=PT-1S");
    assertThatThrownBy(() -> FabricConfig.builder(DIR).adminAppIds("no spaces").build())
        .hasMessageContaining("adminAppIds entry=no spaces");
  }

  @Test
  void errorWireNamesAreStableAndRoundTrip() {
    for (FabricError error : FabricError.values()) {
      assertThat(FabricError.fromWireName(error.wireName())).isSameAs(error);
    }
    assertThat(FabricError.TRIGGER_ROUTING_ERROR.wireName()).isEqualTo("TRIGGER_ROUTING_ERROR");
    assertThat(FabricError.fromWireName("NO_SUCH_CODE")).isNull();
  }
}
