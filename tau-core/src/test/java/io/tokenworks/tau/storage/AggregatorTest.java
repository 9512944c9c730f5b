package io.tokenworks.tau.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenworks.tau.Aggregate;
import org.junit.jupiter.api.Test;

class AggregatorTest {

  private static Aggregate of(double... values) {
    Aggregator aggregator = new Aggregator();
    for (double value : values) {
      aggregator.add(value);
    }
    return aggregator.result();
  }

  @Test
  void nothingAddedIsTheEmptyAggregate() {
    assertThat(of()).isEqualTo(Aggregate.EMPTY);
  }

  @Test
  void theSumCarriesWhatEachAdditionRoundsAway() {
    // In order and uncompensated: 1e16 + 1 rounds back to 1e16, and the sum ends at 0.
    assertThat(1e16 + 1.0 - 1e16).isZero();
    assertThat(of(1e16, 1.0, -1e16).sum()).isEqualTo(1.0);
    // Ten times 0.1 (as a double, a little over a tenth) is 1.0 correctly rounded.
    assertThat(0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1).isLessThan(1.0);
    assertThat(of(0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1).sum()).isEqualTo(1.0);
  }

  @Test
  void infinitiesAndNaNsGiveWhatIeeeAdditionGives() {
    assertThat(of(Double.POSITIVE_INFINITY, 1.0).sum()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(of(-1.0, Double.NEGATIVE_INFINITY).sum()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(of(Double.MAX_VALUE, Double.MAX_VALUE).sum()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY).sum()).isNaN();
    Aggregate withNaN = of(1.0, Double.NaN, 3.0);
    assertThat(withNaN.count()).isEqualTo(3);
    assertThat(withNaN.min()).isNaN();
    assertThat(withNaN.max()).isNaN();
    assertThat(withNaN.sum()).isNaN();
  }

  @Test
  void minAndMaxTellTheZerosApart() {
    Aggregate zeros = of(0.0, -0.0);
    assertThat(Double.doubleToRawLongBits(zeros.min())).isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(Double.doubleToRawLongBits(zeros.max())).isEqualTo(Double.doubleToRawLongBits(0.0));
  }

  @Test
  void addingChunkSummariesGivesWhatAddingTheirValuesGives() {
    double[] first = {3.5, -2.0, 1e16, 7.25};
    double[] second = {1.0, -1e16, 0.5};
    Aggregator chunks = new Aggregator();
    chunks.add(first.length, ValueSummary.of(first, first.length));
    chunks.add(second.length, ValueSummary.of(second, second.length));
    Aggregate expected = of(3.5, -2.0, 1e16, 7.25, 1.0, -1e16, 0.5);
    assertThat(chunks.result()).isEqualTo(expected);
    assertThat(expected).isEqualTo(new Aggregate(7, -1e16, 1e16, 10.25));
  }
}
