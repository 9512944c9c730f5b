package io.tokenworks.tkn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** JavaScript's Number#toString, checked on values whose JavaScript output is well known. */
class JsValuesTest {

  @Test
  void integersPrintWithoutAFraction() {
    assertThat(JsValues.numberToString(1)).isEqualTo("1");
    assertThat(JsValues.numberToString(-42)).isEqualTo("-42");
    assertThat(JsValues.numberToString(9007199254740993.0)).isEqualTo("9007199254740992");
    assertThat(JsValues.numberToString(1e21 - 65536 * 2)).isEqualTo("999999999999999900000");
  }

  @Test
  void fractionsUseTheShortestRoundTripDigits() {
    assertThat(JsValues.numberToString(0.1)).isEqualTo("0.1");
    assertThat(JsValues.numberToString(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    assertThat(JsValues.numberToString(2e23)).isEqualTo("2e+23");
    assertThat(JsValues.numberToString(1.0 / 3)).isEqualTo("0.3333333333333333");
  }

  @Test
  void exponentFormAppliesOutsideTheJavaScriptRange() {
    assertThat(JsValues.numberToString(1e21)).isEqualTo("1e+21");
    assertThat(JsValues.numberToString(1.5e300)).isEqualTo("1.5e+300");
    assertThat(JsValues.numberToString(1e-6)).isEqualTo("0.000001");
    assertThat(JsValues.numberToString(1.5e-7)).isEqualTo("1.5e-7");
    assertThat(JsValues.numberToString(Double.MIN_VALUE)).isEqualTo("5e-324");
  }

  @Test
  void specialValuesPrintAsJavaScriptDoes() {
    assertThat(JsValues.numberToString(-0.0)).isEqualTo("0");
    assertThat(JsValues.numberToString(Double.NaN)).isEqualTo("NaN");
    assertThat(JsValues.numberToString(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
  }

  @Test
  void arrayIndexKeysAreCanonicalIntegersBelowTwoToThe32MinusOne() {
    assertThat(JsValues.arrayIndex("0")).isZero();
    assertThat(JsValues.arrayIndex("4294967294")).isEqualTo(4294967294L);
    assertThat(JsValues.arrayIndex("4294967295")).isEqualTo(-1);
    assertThat(JsValues.arrayIndex("01")).isEqualTo(-1);
    assertThat(JsValues.arrayIndex("-1")).isEqualTo(-1);
    assertThat(JsValues.arrayIndex("")).isEqualTo(-1);
  }
}
