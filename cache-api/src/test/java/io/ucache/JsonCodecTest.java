package io.ucache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code codec=json}: any declared type comes back equal (records, beans that are not
 * {@code Serializable}, generic collections of them, optionals, {@code java.time}), nothing
 * else is ever built, and bytes of another shape fail rather than come back half-filled.
 */
class JsonCodecTest {

  record Item(String id, long cents, LocalDate since) {}

  /** A plain bean: not Serializable, setters and getters. */
  public static final class Customer {
    private String name;
    private List<Item> orders;

    public Customer() {}

    Customer(String name, List<Item> orders) {
      this.name = name;
      this.orders = orders;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public List<Item> getOrders() {
      return orders;
    }

    public void setOrders(List<Item> orders) {
      this.orders = orders;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Customer c && name.equals(c.name) && orders.equals(c.orders);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }
  }

  private static final Item APPLE = new Item("apple", 120, LocalDate.of(2026, 1, 2));
  private static final Item PEAR = new Item("pear", 95, LocalDate.of(2026, 3, 4));

  private static <V> V roundTrip(ValueType<V> type, V value) {
    ValueCodec<V> codec = ValueCodec.json(type);
    return codec.decode(codec.encode(value));
  }

  @Test
  void json_recordsBeansAndGenericContainers_comeBackEqual() {
    assertThat(roundTrip(ValueType.of(Item.class), APPLE)).isEqualTo(APPLE);
    assertThat(roundTrip(ValueType.of(Customer.class), new Customer("Ada", List.of(APPLE))))
        .isEqualTo(new Customer("Ada", List.of(APPLE)));
    assertThat(roundTrip(new ValueType<List<Item>>() {}, List.of(APPLE, PEAR)))
        .containsExactly(APPLE, PEAR)
        .allSatisfy(item -> assertThat(item).isInstanceOf(Item.class));
    assertThat(roundTrip(new ValueType<Map<String, Item>>() {}, Map.of("a", APPLE)))
        .isEqualTo(Map.of("a", APPLE));
    assertThat(roundTrip(new ValueType<Optional<Item>>() {}, Optional.of(PEAR)))
        .contains(PEAR);
    assertThat(roundTrip(new ValueType<Set<Long>>() {}, Set.of(1L, 2L)))
        .containsExactlyInAnyOrder(1L, 2L).allSatisfy(n -> assertThat(n).isInstanceOf(Long.class));
  }

  @Test
  void json_isReadableText() {
    byte[] bytes = ValueCodec.json(ValueType.of(Item.class)).encode(APPLE);

    assertThat(new String(bytes, StandardCharsets.UTF_8))
        .isEqualTo("{\"id\":\"apple\",\"cents\":120,\"since\":\"2026-01-02\"}");
    assertThat(ValueCodec.json(ValueType.of(Item.class)).id()).isEqualTo(5);
  }

  @Test
  void json_bytesOfAnotherShape_failRatherThanComeBackHalfFilled() {
    ValueCodec<Item> codec = ValueCodec.json(ValueType.of(Item.class));

    // A field renamed since the value was written, and one added since.
    assertThatThrownBy(() -> codec.decode(
        "{\"id\":\"apple\",\"price\":120,\"since\":\"2026-01-02\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(CacheSerializationException.class);
    assertThatThrownBy(() -> codec.decode(
        "{\"id\":\"apple\",\"since\":\"2026-01-02\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(CacheSerializationException.class).hasMessageContaining("cents");
    assertThatThrownBy(() -> codec.decode(
        "{\"id\":\"apple\",\"cents\":null,\"since\":\"2026-01-02\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(CacheSerializationException.class);
    assertThatThrownBy(() -> codec.decode("[1,2]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(CacheSerializationException.class);
    assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5}))
        .isInstanceOf(CacheSerializationException.class);
  }

  @Test
  void json_bytesNamingAClass_neverBuildIt() {
    // No polymorphic typing: a class name in the bytes is just an unknown property.
    ValueCodec<Item> codec = ValueCodec.json(ValueType.of(Item.class));

    assertThatThrownBy(() -> codec.decode(("{\"@class\":\"java.lang.ProcessBuilder\",\"id\":\"x\","
        + "\"cents\":1,\"since\":\"2026-01-02\"}").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(CacheSerializationException.class).hasMessageContaining("@class");
  }

  @Test
  void json_typesJsonWouldNotGiveBack_refusedNamingTheField() {
    record Envelope(String id, Object payload) {}

    assertThatThrownBy(() -> ValueCodec.json(ValueType.of(Envelope.class)))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("payload of " + Envelope.class.getName())
        .hasMessageContaining("codec=java");
    assertThatThrownBy(() -> ValueCodec.json(ValueType.of(Object.class)))
        .isInstanceOf(CacheConfigException.class);
    assertThatThrownBy(() -> ValueCodec.forType("json", List.class))
        .isInstanceOf(CacheConfigException.class).hasMessageContaining("java.util.List");
    assertThatThrownBy(() -> ValueCodec.forType("json", Thread.class))
        .isInstanceOf(CacheConfigException.class).hasMessageContaining("java.lang.Thread");
    assertThat(roundTrip(new ValueType<java.util.ArrayList<Item>>() {},
        new java.util.ArrayList<>(List.of(APPLE)))).containsExactly(APPLE);
  }

  @Test
  void javaCodec_genericType_allowsTheElementType() {
    record Line(String sku) implements java.io.Serializable {}
    ValueCodec<List<Line>> codec = ValueCodec.java(new ValueType<List<Line>>() {});

    assertThat(codec.decode(codec.encode(List.of(new Line("a"))))).containsExactly(new Line("a"));
  }
}
