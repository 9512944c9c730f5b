package io.tokenworks.tau.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BlockSupplyTest {

  private static void awaitReady(BlockSupply supply, int count) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (supply.readyCount() < count && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(supply.readyCount()).isEqualTo(count);
  }

  @Test
  void keepsAsManyBlocksReadyAsFitInItsBudgetAndRefillsAfterTakes() throws Exception {
    // 16-point blocks are 256 bytes: a 1 KiB budget keeps four.
    try (BlockSupply supply = BlockSupply.ahead(16, 1024)) {
      awaitReady(supply, 4);
      Set<Block> taken = new HashSet<>();
      for (int i = 0; i < 6; i++) {
        Block block = supply.take();
        assertThat(block.capacity()).isEqualTo(16);
        assertThat(block.count()).isZero();
        assertThat(taken.add(block)).isTrue();
      }
      // The filler refills once half the blocks are gone: take until a take has left that few.
      while (supply.readyCount() > 2) {
        assertThat(taken.add(supply.take())).isTrue();
      }
      awaitReady(supply, 4);
    }
  }

  @Test
  void theFillerIsWokenOnceHalfTheBlocksAreGoneNotAtEveryTake() throws Exception {
    assertThat(BlockSupply.wakesFiller(3, 1)).isFalse();
    assertThat(BlockSupply.wakesFiller(2, 2)).isTrue();
    assertThat(BlockSupply.wakesFiller(0, 4)).isTrue();
    assertThat(BlockSupply.wakesFiller(0, 1)).as("a supply keeping one block").isTrue();
    try (BlockSupply supply = BlockSupply.ahead(16, 1024)) {
      awaitReady(supply, 4);
      supply.take();
      supply.take(); // two of four left: this take wakes the filler
      awaitReady(supply, 4);
    }
  }

  @Test
  void keepsAtLeastOneBlockHoweverSmallTheBudget() throws Exception {
    try (BlockSupply supply = BlockSupply.ahead(4096, 1)) {
      awaitReady(supply, 1);
    }
  }

  @Test
  void anInlineSupplyAllocatesOnTheCallersThread() {
    BlockSupply supply = BlockSupply.inline(8);
    assertThat(supply.take().capacity()).isEqualTo(8);
    assertThat(supply.readyCount()).isZero();
    supply.close();
  }

  @Test
  void aClosedSupplyLetsItsReadyBlocksGoAndStillHandsOutBlocks() throws Exception {
    BlockSupply supply = BlockSupply.ahead(16, 1024);
    awaitReady(supply, 4);
    supply.close();
    assertThat(supply.readyCount()).isZero();
    assertThat(supply.take().capacity()).isEqualTo(16);
    supply.close();
  }

  @Test
  void seriesDataTakesItsBlocksFromTheSupply() throws Exception {
    try (BlockSupply supply = BlockSupply.ahead(4, 4 * 64)) {
      awaitReady(supply, 4);
      SeriesData data = new SeriesData(supply);
      for (int t = 1; t <= 9; t++) {
        if (data.append(t, t * 0.5)) {
          data.sealHead();
        }
      }
      assertThat(data.pointCount()).isEqualTo(9);
      assertThat(data.latest()).map(p -> p.timestamp()).contains(9L);
    }
  }

  @Test
  void refusesABlockSizeBelowOne() {
    assertThatThrownBy(() -> BlockSupply.inline(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
