package io.tokenworks.tkn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class TknMinerProperties {

  @Property(tries = 300)
  void tokensThenFlushReconstructTheInput(
      @ForAll @Size(max = 400) List<@IntRange(max = 6) Integer> input,
      @ForAll @IntRange(min = 1, max = 12) int bankCapacity,
      @ForAll @IntRange(max = 5) int maxWindow) {
    RecordingListener listener = new RecordingListener();
    TknMiner miner = new TknMiner(new MinerConfig(bankCapacity, maxWindow), listener);
    input.forEach(miner::accept);
    miner.flush();

    List<Integer> joined = new ArrayList<>();
    listener.tokens.forEach(joined::addAll);
    assertThat(joined).isEqualTo(input);
    assertThat(listener.tokens).allSatisfy(token -> assertThat(token).isNotEmpty());
    if (maxWindow > 0) {
      assertThat(listener.tokens)
          .allSatisfy(token -> assertThat(token).hasSizeLessThanOrEqualTo(maxWindow));
    }
    assertThat(listener.indexes)
        .isEqualTo(LongStream.range(0, listener.tokens.size()).boxed().toList());
    assertThat(miner.symbolsMined()).isEqualTo(input.size());
    assertThat(miner.windowLength()).isZero();
    miner.verifyIntegrity();
  }

  @Property(tries = 500)
  void trieMinerEmitsExactlyWhatTheReferenceModelEmits(
      @ForAll @Size(max = 600) List<@IntRange(max = 3) Integer> input,
      @ForAll @IntRange(min = 1, max = 6) int bankCapacity,
      @ForAll @IntRange(max = 4) int maxWindow,
      @ForAll @IntRange(max = 600) int flushAt) {
    MinerConfig config = new MinerConfig(bankCapacity, maxWindow);
    RecordingListener listener = new RecordingListener();
    TknMiner miner = new TknMiner(config, listener);
    ReferenceMiner reference = new ReferenceMiner(config);
    for (int i = 0; i < input.size(); i++) {
      if (i == flushAt) {
        miner.flush();
        reference.flush();
      }
      miner.accept(input.get(i));
      reference.accept(input.get(i));
    }
    assertThat(listener.tokens).isEqualTo(reference.tokens());
    assertThat(miner.bankSize()).isEqualTo(reference.bankSize());
    miner.flush();
    reference.flush();
    assertThat(listener.tokens).isEqualTo(reference.tokens());
    miner.verifyIntegrity();
  }

  @Property(tries = 100)
  void trieMinerMatchesTheReferenceModelWithLargerAlphabetsAndBanks(
      @ForAll @Size(max = 2000) List<@IntRange(max = 40) Integer> input,
      @ForAll @IntRange(min = 1, max = 64) int bankCapacity) {
    MinerConfig config = new MinerConfig(bankCapacity, 0);
    RecordingListener listener = new RecordingListener();
    TknMiner miner = new TknMiner(config, listener);
    ReferenceMiner reference = new ReferenceMiner(config);
    input.forEach(
        id -> {
          miner.accept(id);
          reference.accept(id);
        });
    miner.flush();
    reference.flush();
    assertThat(listener.tokens).isEqualTo(reference.tokens());
    miner.verifyIntegrity();
  }
}
