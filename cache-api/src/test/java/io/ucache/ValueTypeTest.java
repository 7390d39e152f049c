package io.ucache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.spi.StoredValueFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generic value type: its name, its shape, equality, and the tag stored values carry. */
class ValueTypeTest {

  record Line(String sku, int count) {}

  record Order(String id, List<Line> lines) {}

  @Test
  void captured_equalsTheReflectedType_andNamesItsArguments() {
    ValueType<List<Line>> captured = new ValueType<List<Line>>() {};

    assertThat(captured.rawType()).isEqualTo(List.class);
    assertThat(captured.isClass()).isFalse();
    assertThat(captured.name()).isEqualTo("java.util.List<" + Line.class.getName() + ">");
    assertThat(new ValueType<String>() {}).isEqualTo(ValueType.of(String.class))
        .hasSameHashCodeAs(ValueType.of(String.class));
    assertThat(captured).isNotEqualTo(new ValueType<List<Order>>() {});
  }

  @Test
  void typeVariable_refusedNamingIt() {
    assertThatThrownBy(() -> ValueType.of(List.class.getTypeParameters()[0]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'E'");
  }

  @Test
  void shape_listsTheApplicationClassesReachedAndTheirFields() {
    assertThat(ValueType.of(String.class).shape()).isEmpty();
    assertThat(new ValueType<Map<String, Long>>() {}.shape()).isEmpty();
    assertThat(ValueType.of(Order.class).applicationClasses())
        .containsExactly(Order.class, Line.class);
    assertThat(ValueType.of(Order.class).shape()).isEqualTo(
        Line.class.getName() + "{sku:java.lang.String,count:int}"
            + Order.class.getName() + "{id:java.lang.String,lines:java.util.List<"
            + Line.class.getName() + ">}");
  }

  @Test
  void valueTag_plainJdkClassAtVersionZero_isTheClassTag_elseShapeAndVersionCount() {
    assertThat(StoredValueFormat.valueTag(ValueType.of(Long.class), 0))
        .isEqualTo(StoredValueFormat.typeTag(Long.class));
    assertThat(StoredValueFormat.valueTag(ValueType.of(Long.class), 1))
        .isNotEqualTo(StoredValueFormat.typeTag(Long.class));
    assertThat(StoredValueFormat.valueTag(ValueType.of(Order.class), 0))
        .isNotEqualTo(StoredValueFormat.typeTag(Order.class));
  }
}
