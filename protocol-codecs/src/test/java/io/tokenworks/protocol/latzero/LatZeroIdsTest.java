package io.tokenworks.protocol.latzero;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LatZeroIdsTest {

  @Test
  void idsAreVersionFourUuidsInTheirCanonicalForm() {
    for (int i = 0; i < 1_000; i++) {
      String id = LatZeroIds.next();
      assertThat(id).hasSize(LatZeroIds.LENGTH).matches("[0-9a-f-]{36}");
      UUID parsed = UUID.fromString(id);
      assertThat(parsed.version()).isEqualTo(4);
      assertThat(parsed.variant()).isEqualTo(2);
      assertThat(parsed.toString()).isEqualTo(id);
    }
  }

  @Test
  void idsDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      assertThat(seen.add(LatZeroIds.next())).isTrue();
    }
  }
}
