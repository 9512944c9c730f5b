package io.tokenworks.latzero.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts the typed error of a manager call. */
final class MemoryAssertions {

  private MemoryAssertions() {}

  static void assertError(ThrowingCallable call, MemoryError expected) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            MemoryException.class, e -> assertThat(e.error()).isEqualTo(expected));
  }
}
