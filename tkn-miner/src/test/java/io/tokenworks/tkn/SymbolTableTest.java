package io.tokenworks.tkn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class SymbolTableTest {

  private final SymbolTable table = new SymbolTable();

  private static UnsafeBuffer bytes(int... values) {
    byte[] array = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      array[i] = (byte) values[i];
    }
    return new UnsafeBuffer(array);
  }

  private int internUtf8(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    return table.internUtf8(new UnsafeBuffer(utf8), 0, utf8.length);
  }

  @Test
  void singleAsciiCharactersTakeTheFastPathToTheSameIds() {
    SymbolTable table = new SymbolTable(3);
    int a = table.intern("a");
    assertThat(table.internUtf8(bytes('a'), 0, 1)).isEqualTo(a);
    int b = table.internUtf8(bytes('b'), 0, 1);
    assertThat(table.intern("b")).isEqualTo(b);
    assertThat(table.internUtf8(bytes('b'), 0, 1)).isEqualTo(b);
    table.intern("c");
    assertThatThrownBy(() -> table.internUtf8(bytes('d'), 0, 1))
        .isInstanceOf(SymbolTableFullException.class);
    assertThatThrownBy(() -> table.internUtf8(bytes('d'), 0, 1))
        .isInstanceOf(SymbolTableFullException.class);
    assertThat(table.size()).isEqualTo(3);
  }

  @Test
  void internNumbersSymbolsInOrderOfFirstSight() {
    assertThat(table.intern("a")).isZero();
    assertThat(table.intern("b")).isEqualTo(1);
    assertThat(table.intern("a")).isZero();
    assertThat(table.size()).isEqualTo(2);
    assertThat(table.value(1)).isEqualTo("b");
    assertThat(Cyrb53.hex(table.hash(0))).isEqualTo("a72b1c500179c982");
    assertThat(table.key(0)).isEqualTo(Cyrb53.base64Key(Cyrb53.hash("a")));
    assertThat(table.collisions()).isZero();
  }

  @Test
  void utf8BytesAndStringsAreTheSameSymbol() {
    int id = table.intern("héllo 😀");
    assertThat(internUtf8("héllo 😀")).isEqualTo(id);
    int fresh = internUtf8("ünïcode");
    assertThat(table.intern("ünïcode")).isEqualTo(fresh);
    assertThat(table.value(fresh)).isEqualTo("ünïcode");
  }

  @Test
  void emptyBytesAreTheEmptyStringSymbol() {
    int id = table.internUtf8(bytes(), 0, 0);
    assertThat(table.value(id)).isEmpty();
    assertThat(table.intern("")).isEqualTo(id);
  }

  @Test
  void longSymbolsCompareEveryByte() {
    String a = "x".repeat(40) + "a";
    String b = "x".repeat(40) + "b";
    assertThat(internUtf8(a)).isNotEqualTo(internUtf8(b));
    assertThat(internUtf8(a)).isEqualTo(table.intern(a));
  }

  @Test
  void malformedBytesBecomeReplacementCharactersAndEqualARealOne() {
    int replaced = table.internUtf8(bytes('a', 0x80, 'b'), 0, 3);
    assertThat(table.value(replaced)).isEqualTo("a\uFFFDb");
    assertThat(table.intern("a\uFFFDb")).isEqualTo(replaced);
    assertThat(internUtf8("a\uFFFDb")).isEqualTo(replaced);
    assertThat(table.internUtf8(bytes('a', 0xFF, 'b'), 0, 3)).isEqualTo(replaced);
  }

  @Test
  void encodedSurrogateBytesAreMalformedNotTheLoneSurrogateString() {
    int lone = table.intern("\uD800"); // from a JSON "\ud800" escape
    int fromBytes = table.internUtf8(bytes(0xED, 0xA0, 0x80), 0, 3);
    assertThat(fromBytes).isNotEqualTo(lone);
    assertThat(table.value(fromBytes)).isEqualTo("\uFFFD\uFFFD\uFFFD");
    assertThat(table.intern("\uD800")).isEqualTo(lone);
  }

  @Test
  void leadingByteOrderMarkIsDroppedAsTextDecoderDoes() {
    int a = table.intern("a");
    assertThat(table.internUtf8(bytes(0xEF, 0xBB, 0xBF, 'a'), 0, 4)).isEqualTo(a);
    assertThat(table.intern("\uFEFFa")).isNotEqualTo(a);
  }

  @Test
  void internUtf8ReadsOnlyItsRangeOfAnOffHeapBuffer() {
    ByteBuffer direct = ByteBuffer.allocateDirect(16);
    direct.put("xxcatxx".getBytes(StandardCharsets.US_ASCII));
    UnsafeBuffer buffer = new UnsafeBuffer(direct);
    assertThat(table.internUtf8(buffer, 2, 3)).isEqualTo(table.intern("cat"));
  }

  @Test
  void internUtf8OutsideTheBufferIsRejected() {
    assertThatThrownBy(() -> table.internUtf8(bytes('a'), 0, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(table.size()).isZero();
  }

  @Test
  void byteSymbolIsTheDecimalStringOfTheByte() {
    int id = table.byteSymbol('A');
    assertThat(table.value(id)).isEqualTo("65");
    assertThat(table.intern("65")).isEqualTo(id);
    assertThat(table.byteSymbol(65)).isEqualTo(id);
    assertThat(table.value(table.byteSymbol(0))).isEqualTo("0");
    assertThat(table.value(table.byteSymbol(255))).isEqualTo("255");
  }

  @Test
  void byteSymbolOutsideAByteIsRejected() {
    assertThatThrownBy(() -> table.byteSymbol(256))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unsignedByte=256: must be 0..255");
    assertThatThrownBy(() -> table.byteSymbol(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(table.size()).isZero();
  }

  @Test
  void fullTableRejectsNewSymbolsButStillFindsKnownOnes() {
    SymbolTable small = new SymbolTable(2);
    small.intern("a");
    small.byteSymbol(7);
    assertThatThrownBy(() -> small.intern("c"))
        .isInstanceOf(SymbolTableFullException.class)
        .hasMessageContaining("2 distinct symbols");
    assertThatThrownBy(() -> small.internUtf8(bytes('c'), 0, 1))
        .isInstanceOf(SymbolTableFullException.class);
    assertThatThrownBy(() -> small.byteSymbol(8)).isInstanceOf(SymbolTableFullException.class);
    assertThat(small.size()).isEqualTo(2);
    assertThat(small.internUtf8(bytes('a'), 0, 1)).isZero();
    assertThat(small.byteSymbol(7)).isEqualTo(1);
  }

  @Test
  void capacityBelowOneIsRejected() {
    assertThatThrownBy(() -> new SymbolTable(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity must be at least 1, was 0");
  }

  @Test
  void idsOutsideTheTableAreRejected() {
    table.intern("a");
    assertThatThrownBy(() -> table.value(1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> table.key(-1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void manySymbolsSurviveGrowthWithExactIdentity() {
    for (int i = 0; i < 5000; i++) {
      assertThat(table.intern("s" + i)).isEqualTo(i);
    }
    for (int i = 0; i < 5000; i++) {
      assertThat(internUtf8("s" + i)).isEqualTo(i);
      assertThat(table.value(i)).isEqualTo("s" + i);
    }
  }

  @Test
  void anotherThreadReadsValuesOfPublishedIds() throws Exception {
    for (int i = 0; i < 1000; i++) {
      table.intern("v" + i);
    }
    String read =
        CompletableFuture.supplyAsync(
                () -> {
                  int size = table.size();
                  return table.value(size - 1) + "/" + table.key(0).length();
                })
            .get();
    assertThat(read).isEqualTo("v999/88");
  }
}
