package io.ucache.interceptor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What a key parameter's declared type allows, decided once per method. */
class KeyTypesTest {

  enum Color { RED }

  record Point(int x, int y) {}

  record Tagged(String name, int[] values) {}

  /** Overrides equals: keyed by its fields. */
  static final class ValueBean {
    private String name = "";

    @Override
    public boolean equals(Object o) {
      return o instanceof ValueBean b && b.name.equals(name);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }
  }

  @SuppressWarnings("unused")
  private static void parameters(List<String> strings, Collection<String> collection,
      Map<String, Point> points, Set<Tagged> tagged, Optional<Color> color) {}

  @Test
  void encodable_declaredTypes_acceptsValueTypesAndRefusesOthers() {
    assertThat(List.of(String.class, int.class, Integer.class, double.class, BigDecimal.class,
        Color.class, Point.class, int[].class, String[][].class, List.class, Set.class,
        Map.class, Optional.class, UUID.class, URI.class, LocalDate.class, Object.class,
        CharSequence.class, Number.class, ValueBean.class))
        .allSatisfy(type -> assertThat(KeyTypes.encodable(type)).as(type.getName()).isTrue());
    assertThat(List.of(File.class, File[].class, AtomicInteger.class, StringBuilder.class,
        Thread.class))
        .allSatisfy(type -> assertThat(KeyTypes.encodable(type)).as(type.getName()).isFalse());
  }

  @Test
  void valueEqual_genericTypes_onlyWhenEveryPartComparesByContent() throws Exception {
    Type[] types = KeyTypesTest.class.getDeclaredMethod("parameters", List.class,
        Collection.class, Map.class, Set.class, Optional.class).getGenericParameterTypes();

    assertThat(KeyTypes.valueEqual(types[0])).as("List<String>").isTrue();
    assertThat(KeyTypes.valueEqual(types[1])).as("Collection<String>").isFalse();
    assertThat(KeyTypes.valueEqual(types[2])).as("Map<String, Point>").isTrue();
    assertThat(KeyTypes.valueEqual(types[3])).as("Set<record with an array>").isFalse();
    assertThat(KeyTypes.valueEqual(types[4])).as("Optional<enum>").isTrue();
    assertThat(KeyTypes.valueEqual(int[].class)).as("an array argument").isTrue();
    assertThat(KeyTypes.valueEqual(Object.class)).isFalse();
  }
}
