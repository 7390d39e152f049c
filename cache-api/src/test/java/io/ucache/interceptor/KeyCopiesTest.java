package io.ucache.interceptor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyCopiesTest {

  enum Color { RED }

  record Point(int x, String label, Color color) {}

  record Terms(List<String> terms, int page) {}

  @Test
  void detach_knownImmutableValues_returnsTheSameInstance() {
    Point point = new Point(1, "a", Color.RED);
    Object[] values = {"text", 42, 7L, Color.RED, LocalDate.of(2024, 1, 1), point};
    for (Object value : values) {
      assertThat(KeyCopies.detach(value)).isSameAs(value);
    }
  }

  @Test
  void detach_mutableCollections_equalCopiesUnaffectedByLaterChanges() {
    List<String> list = new ArrayList<>(List.of("a", "b"));
    Set<List<String>> set = new HashSet<>(Set.of(new ArrayList<>(List.of("s"))));
    Map<String, List<String>> map = new HashMap<>(Map.of("k", new ArrayList<>(List.of("v"))));
    Object listCopy = KeyCopies.detach(list);
    Object setCopy = KeyCopies.detach(set);
    Object mapCopy = KeyCopies.detach(map);
    assertThat(listCopy).isEqualTo(list).hasSameHashCodeAs(list);
    assertThat(setCopy).isEqualTo(set).hasSameHashCodeAs(set);
    assertThat(mapCopy).isEqualTo(map).hasSameHashCodeAs(map);
    list.add("c");
    map.get("k").add("w");
    assertThat(listCopy).isEqualTo(List.of("a", "b"));
    assertThat(mapCopy).isEqualTo(Map.of("k", List.of("v")));
  }

  @Test
  void detach_recordOrOptionalHoldingAList_rebuiltAroundACopy() {
    List<String> terms = new ArrayList<>(List.of("x"));
    Terms record = new Terms(terms, 2);
    Object copy = KeyCopies.detach(record);
    Object optional = KeyCopies.detach(Optional.of(terms));
    assertThat(copy).isEqualTo(record).isNotSameAs(record).hasSameHashCodeAs(record);
    terms.add("y");
    assertThat(copy).isEqualTo(new Terms(List.of("x"), 2));
    assertThat(optional).isEqualTo(Optional.of(List.of("x")));
  }

  @Test
  void detach_nullsInsideCollections_kept() {
    List<String> withNull = new ArrayList<>();
    withNull.add(null);
    assertThat(KeyCopies.detach(withNull)).isEqualTo(withNull);
    assertThat(KeyCopies.detach(null)).isNull();
  }
}
