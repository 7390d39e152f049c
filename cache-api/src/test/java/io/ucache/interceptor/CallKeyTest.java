package io.ucache.interceptor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The in-process key: equal by method and argument content, arrays deeply. */
class CallKeyTest {

  record Point(int x, int y) {}

  private static CallKey key(String method, @Nullable Object... args) {
    return new CallKey(method, args);
  }

  @Test
  void equals_sameMethodAndEqualArguments_equalWithSameHashCode() {
    CallKey a = key("m", "x", 1, List.of(2, 3), new Point(1, 2), null);
    CallKey b = key("m", "x", 1, List.of(2, 3), new Point(1, 2), null);

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
  }

  @Test
  void equals_arraysWithEqualContent_equalWithSameHashCode() {
    CallKey a = key("m", new int[] {1, 2}, new String[] {"a"}, new int[][] {{1}, {2}});
    CallKey b = key("m", new int[] {1, 2}, new String[] {"a"}, new int[][] {{1}, {2}});

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(key("m", new int[] {2, 1}, new String[] {"a"},
        new int[][] {{1}, {2}}));
    assertThat(a).isNotEqualTo(key("m", new int[] {1, 2}, new String[] {"a"},
        new int[][] {{1}, {3}}));
  }

  @Test
  void equals_otherMethodSameArguments_notEqual() {
    assertThat(key("a", "x")).isNotEqualTo(key("b", "x"));
  }

  @Test
  void equals_boxedTypesWithSameValue_notEqual() {
    assertThat(key("m", 1)).isNotEqualTo(key("m", 1L));
    assertThat(key("m", 0.0)).isNotEqualTo(key("m", -0.0));
    assertThat(key("m", Double.NaN)).isEqualTo(key("m", Double.NaN));
  }

  @Test
  void equals_setsInAnyOrder_equal() {
    assertThat(key("m", Set.of("a", "b"))).isEqualTo(key("m", new java.util.LinkedHashSet<>(
        List.of("b", "a"))));
  }

  @Test
  void equals_nullsAndOtherTypes_notEqual() {
    CallKey key = key("m", "x");

    assertThat(key.equals(null)).isFalse();
    assertThat(key.equals("m")).isFalse();
    assertThat(key("m", (Object) null)).isNotEqualTo(key("m", "null"));
    assertThat(key("m")).isEqualTo(key("m")).isNotEqualTo(key("m", (Object) null));
  }

  @Test
  void detached_callerChangesItsArraysLater_detachedKeyKeepsOriginalContent() {
    int[][] cells = {{1}, {2}};
    String[] words = {"a"};
    Object[] args = {cells, words};
    CallKey lookup = new CallKey("m", args);

    CallKey stored = lookup.detached();
    cells[0][0] = 9;
    words[0] = "z";
    args[1] = "replaced";

    CallKey original = key("m", new int[][] {{1}, {2}}, new String[] {"a"});
    assertThat(stored).isEqualTo(original).hasSameHashCodeAs(original);
    assertThat(stored).isNotEqualTo(lookup);
  }

  @Test
  void detached_keyWithoutArrays_equalsTheKey() {
    CallKey key = key("m", "a", List.of(1));

    assertThat(key.detached()).isEqualTo(key).hasSameHashCodeAs(key);
  }

  @Test
  void toString_encodableArguments_isTheCanonicalEncoding() {
    assertThat(key("m", "a", 1)).hasToString(KeyEncoder.encode("m", new Object[] {"a", 1}))
        .hasToString("1:m(s1:ai1;)");
  }

  @Test
  void toString_argumentWithoutCanonicalForm_stillRendersWithoutThrowing() {
    assertThat(key("m", new File("data.csv")).toString()).contains("m").contains("data.csv");
  }
}
