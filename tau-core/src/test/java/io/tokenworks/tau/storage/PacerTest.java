package io.tokenworks.tau.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacerTest {

  @Test
  void restsTwiceTheWorkOnceASliceIsFullAndNotBefore() {
    List<Long> rests = new ArrayList<>();
    Pacer pacer = new Pacer(rests::add);

    pacer.worked(300_000);
    pacer.worked(1_600_000);
    assertThat(rests).as("1.9 ms of work is not a slice yet").isEmpty();

    pacer.worked(200_000);
    assertThat(rests).containsExactly(4_200_000L);

    pacer.worked(1_999_999);
    assertThat(rests).as("the count starts again after a rest").hasSize(1);
    pacer.worked(5_000_000);
    assertThat(rests).containsExactly(4_200_000L, 13_999_998L);
  }
}
