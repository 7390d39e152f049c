package io.ucache.interceptor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The in-process key: equal by argument content, arrays deeply. */
class CallKeyTest {

  record Point(int x, int y) {}

  private static CallKey key(@Nullable Object... args) {
    return new CallKey(args);
  }

  @Test
  void equals_sameMethodAndEqualArguments_equalWithSameHashCode() {
    CallKey a = key("x", 1, List.of(2, 3), new Point(1, 2), null);
    CallKey b = key("x", 1, List.of(2, 3), new Point(1, 2), null);

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
  }

  @Test
  void equals_arraysWithEqualContent_equalWithSameHashCode() {
    CallKey a = key(new int[] {1, 2}, new String[] {"a"}, new int[][] {{1}, {2}});
    CallKey b = key(new int[] {1, 2}, new String[] {"a"}, new int[][] {{1}, {2}});

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(key(new int[] {2, 1}, new String[] {"a"},
        new int[][] {{1}, {2}}));
    assertThat(a).isNotEqualTo(key(new int[] {1, 2}, new String[] {"a"},
        new int[][] {{1}, {3}}));
  }

  @Test
  void equals_boxedTypesWithSameValue_notEqual() {
    assertThat(key(1)).isNotEqualTo(key(1L));
    assertThat(key(0.0)).isNotEqualTo(key(-0.0));
    assertThat(key(Double.NaN)).isEqualTo(key(Double.NaN));
  }

  @Test
  void equals_setsInAnyOrder_equal() {
    assertThat(key(Set.of("a", "b"))).isEqualTo(key(new java.util.LinkedHashSet<>(
        List.of("b", "a"))));
  }

  @Test
  void equals_nullsAndOtherTypes_notEqual() {
    CallKey key = key("x");

    assertThat(key.equals(null)).isFalse();
    assertThat(key.equals("x")).isFalse();
    assertThat(key((Object) null)).isNotEqualTo(key("null"));
    assertThat(key()).isEqualTo(key()).isNotEqualTo(key((Object) null));
  }

  @Test
  void detached_callerChangesItsArraysLater_detachedKeyKeepsOriginalContent() {
    int[][] cells = {{1}, {2}};
    String[] words = {"a"};
    Object[] args = {cells, words};
    CallKey lookup = new CallKey(args);

    CallKey stored = lookup.detached();
    cells[0][0] = 9;
    words[0] = "z";
    args[1] = "replaced";

    CallKey original = key(new int[][] {{1}, {2}}, new String[] {"a"});
    assertThat(stored).isEqualTo(original).hasSameHashCodeAs(original);
    assertThat(stored).isNotEqualTo(lookup);
  }

  @Test
  void detached_keyWithoutArrays_equalsTheKey() {
    CallKey key = key("a", List.of(1));

    assertThat(key.detached()).isEqualTo(key).hasSameHashCodeAs(key);
  }

  @Test
  void toString_encodableArguments_isTheCanonicalEncoding() {
    assertThat(key("a", 1)).hasToString(io.ucache.CacheKeys.of("a", 1)).hasToString("a:1");
  }

  @Test
  void toString_argumentWithoutCanonicalForm_stillRendersWithoutThrowing() {
    assertThat(key(new File("data.csv")).toString()).contains("data.csv");
  }
}
