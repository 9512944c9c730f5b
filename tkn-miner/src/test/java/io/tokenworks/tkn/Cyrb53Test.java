package io.tokenworks.tkn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Cyrb53Test {

  @Test
  void stringsHashToTheReferenceVectors() {
    assertThat(Cyrb53.hex(Cyrb53.hash("a"))).isEqualTo("a72b1c500179c982");
    assertThat(Cyrb53.hex(Cyrb53.hash("b"))).isEqualTo("5bda9e45bfd254c2");
    assertThat(Cyrb53.hex(Cyrb53.hash("AB"))).isEqualTo("2c29522de834b684");
    assertThat(Cyrb53.hex(Cyrb53.hash("é"))).isEqualTo("84fdfed9d526e951");
    assertThat(Cyrb53.hex(Cyrb53.hash(""))).isEqualTo("b8dc8b48838dee1a");
  }

  @Test
  void bytesHashTheirBytesNotTheirCharacters() {
    byte[] ab = "AB".getBytes(StandardCharsets.US_ASCII);
    assertThat(Cyrb53.hex(Cyrb53.hash(ab, 0, ab.length))).isEqualTo("2c29522de834b684");
    byte[] e = "é".getBytes(StandardCharsets.UTF_8);
    assertThat(Cyrb53.hex(Cyrb53.hash(e, 0, e.length))).isEqualTo("686c30797e03122c");
  }

  @Test
  void standardFiftyThreeBitFormMatchesPublishedValues() {
    assertThat(Cyrb53.standard53(Cyrb53.hash("a"))).isEqualTo(7929297801672961L);
    assertThat(Cyrb53.standard53(Cyrb53.hash("revenue"))).isEqualTo(8309097637345594L);
  }

  @Test
  void base64KeyIsTheSixtyFourByteLayout() {
    String key = Cyrb53.base64Key(Cyrb53.hash("a"));
    assertThat(key).hasSize(88).startsWith("pyscUAF5yYI").endsWith("AAAA==");
  }
}
