package io.ucache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void string_plainText_isQuoted() {
    assertThat(Json.string("caffeine")).isEqualTo("\"caffeine\"");
    assertThat(Json.string("")).isEqualTo("\"\"");
  }

  @Test
  void string_quotesAndBackslashes_areEscaped() {
    assertThat(Json.string("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
  }

  @Test
  void string_controlCharacters_areEscaped() {
    assertThat(Json.string("\n\r\t\b\f")).isEqualTo("\"\\n\\r\\t\\b\\f\"");
    assertThat(Json.string("\u0000\u001f")).isEqualTo("\"\\u0000\\u001f\"");
    assertThat(Json.string("\u2028")).isEqualTo("\"\\u2028\"");
  }

  @Test
  void string_nonAscii_isKeptAsIs() {
    assertThat(Json.string("é€😀/")).isEqualTo("\"é€😀/\"");
  }

  @Test
  void string_everyCharacterBelow128_roundTripsThroughAParser() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 128; c++) {
      all.append(c);
    }
    assertThat(MiniJson.parse(Json.string(all.toString()))).isEqualTo(all.toString());
  }
}
