package io.ucache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CodecTest {

  /** A typical cached value. */
  record Person(String name, int age) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** A value whose field has a type that is neither the declared type nor a JDK value type. */
  record Address(String city) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  record Customer(String name, Address address) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** A value that carries anything serializable: the codec must still police what is inside. */
  record Envelope(String id, Serializable payload) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** A value with JDK collections and value types inside. */
  record Order(String id, List<String> lines, Map<String, Integer> counts, Set<UUID> tags,
      BigDecimal total, Instant at, Duration ttl) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** A value with java.time fields, each read back through java.time.Ser's readResolve. */
  record Times(LocalDate date, LocalTime time, LocalDateTime local, ZonedDateTime zoned,
      OffsetDateTime offset, ZoneId zone, Period period, YearMonth month, DayOfWeek day)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** The non-serializable base of {@link Gadget}: deserializing a Gadget runs this constructor. */
  static class GadgetBase {
    static final AtomicInteger CONSTRUCTED = new AtomicInteger();

    GadgetBase() {
      CONSTRUCTED.incrementAndGet();
    }
  }

  /**
   * Stands for a deserialization gadget: reading one runs code. The codec must refuse it before
   * either its {@code readObject} or its base's constructor runs.
   */
  static final class Gadget extends GadgetBase implements Serializable {
    private static final long serialVersionUID = 1L;
    static final AtomicInteger READ_OBJECT_RAN = new AtomicInteger();

    final String command;

    Gadget(String command) {
      this.command = command;
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      READ_OBJECT_RAN.incrementAndGet();
      in.defaultReadObject();
    }
  }

  /** Neither Serializable nor a known type. */
  static final class Plain {}

  /** Serializable, but its Object field would come back from JSON as a map. */
  record Parcel(String id, Object payload) implements Serializable {}

  /** Neither Serializable nor JSON-faithful. */
  static final class Holder {
    public Object payload;
  }

  private static byte[] serialize(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return bytes.toByteArray();
  }

  @BeforeEach
  void resetGadgetCounters() {
    GadgetBase.CONSTRUCTED.set(0);
    Gadget.READ_OBJECT_RAN.set(0);
  }

  // --- utf8 ---------------------------------------------------------------------------------

  @Test
  void utf8_encode_plainUtf8Bytes() {
    byte[] encoded = ValueCodec.utf8().encode("héllo");

    assertThat(encoded).containsExactly('h', 0xC3, 0xA9, 'l', 'l', 'o');
    assertThat(encoded).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void utf8_roundTrip_sameString() {
    for (String text : new String[] {"", "plain", "héllo wörld", "日本語", "emoji \uD83D\uDE00"}) {
      ValueCodec<String> codec = ValueCodec.utf8();

      assertThat(codec.decode(codec.encode(text))).isEqualTo(text);
    }
  }

  @Test
  void utf8_decodeBytesWrittenByAnotherClient_readsThem() {
    assertThat(ValueCodec.utf8().decode(new byte[] {'o', 'k', (byte) 0xE2, (byte) 0x9C,
        (byte) 0x93})).isEqualTo("ok\u2713");
  }

  // --- bytes --------------------------------------------------------------------------------

  @Test
  void bytes_encode_copiesInput() {
    byte[] value = {1, 2, 3};

    byte[] encoded = ValueCodec.bytes().encode(value);
    value[0] = 9;

    assertThat(encoded).containsExactly(1, 2, 3).isNotSameAs(value);
  }

  @Test
  void bytes_decode_copiesInput() {
    byte[] stored = {4, 5, 6};

    byte[] decoded = ValueCodec.bytes().decode(stored);
    decoded[0] = 0;

    assertThat(stored).containsExactly(4, 5, 6);
    assertThat(ValueCodec.bytes().decode(stored)).containsExactly(4, 5, 6);
  }

  // --- text ---------------------------------------------------------------------------------

  @Test
  void textLong_encode_storesDecimalText() {
    ValueCodec<Long> codec = ValueCodec.text(Long.class);

    assertThat(codec.encode(42L)).isEqualTo("42".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(codec.encode(-7L), StandardCharsets.UTF_8)).isEqualTo("-7");
    assertThat(codec.decode("42".getBytes(StandardCharsets.UTF_8))).isEqualTo(42L);
    assertThat(codec.decode(codec.encode(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void text_everyBoxedPrimitive_roundTrips() {
    assertThat(roundTrip(ValueCodec.text(Integer.class), 7)).isEqualTo(7);
    assertThat(roundTrip(ValueCodec.text(Short.class), (short) 3)).isEqualTo((short) 3);
    assertThat(roundTrip(ValueCodec.text(Byte.class), (byte) -2)).isEqualTo((byte) -2);
    assertThat(roundTrip(ValueCodec.text(Double.class), 1.5)).isEqualTo(1.5);
    assertThat(roundTrip(ValueCodec.text(Float.class), 2.25f)).isEqualTo(2.25f);
    assertThat(roundTrip(ValueCodec.text(Boolean.class), true)).isTrue();
    assertThat(roundTrip(ValueCodec.text(Character.class), 'é')).isEqualTo('é');
    assertThat(ValueCodec.text(Boolean.class).encode(false))
        .isEqualTo("false".getBytes(StandardCharsets.UTF_8));
  }

  private static <V> V roundTrip(ValueCodec<V> codec, V value) {
    return codec.decode(codec.encode(value));
  }

  @Test
  void text_decodeNotANumber_throwsCacheSerializationException() {
    assertThatThrownBy(() -> ValueCodec.text(Long.class).decode(
        "forty-two".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(CacheSerializationException.class)
        .hasMessageContaining("Long")
        .hasCauseInstanceOf(NumberFormatException.class);
    assertThatThrownBy(() -> ValueCodec.text(Boolean.class).decode(
        "yes".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(CacheSerializationException.class);
    assertThatThrownBy(() -> ValueCodec.text(Character.class).decode(
        "ab".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(CacheSerializationException.class);
  }

  @Test
  void text_notABoxedPrimitive_throwsIllegalArgument() {
    assertThatThrownBy(() -> ValueCodec.text(String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.String");
    assertThatThrownBy(() -> ValueCodec.text(BigDecimal.class))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // --- java ---------------------------------------------------------------------------------

  @Test
  void java_serializableRecord_roundTrips() {
    ValueCodec<Person> codec = ValueCodec.java(Person.class);
    Person ada = new Person("Ada", 36);

    Person read = codec.decode(codec.encode(ada));

    assertThat(read).isEqualTo(ada).isNotSameAs(ada);
  }

  @Test
  void java_jdkValueTypes_roundTrip() {
    assertThat(roundTrip(ValueCodec.java(String.class), "text")).isEqualTo("text");
    assertThat(roundTrip(ValueCodec.java(Long.class), 5L)).isEqualTo(5L);
    assertThat(roundTrip(ValueCodec.java(BigDecimal.class), new BigDecimal("12.50")))
        .isEqualTo(new BigDecimal("12.50"));
    assertThat(roundTrip(ValueCodec.java(UUID.class), new UUID(1, 2))).isEqualTo(new UUID(1, 2));
    assertThat(roundTrip(ValueCodec.java(Duration.class), Duration.ofMinutes(3)))
        .isEqualTo(Duration.ofMinutes(3));
  }

  @Test
  void java_recordWithJdkCollections_roundTrips() {
    ValueCodec<Order> codec = ValueCodec.java(Order.class);
    Map<String, Integer> counts = new HashMap<>();
    counts.put("apples", 3);
    Order order = new Order("o-1", new ArrayList<>(List.of("a", "b")), counts,
        new HashSet<>(Set.of(new UUID(3, 4))), new BigDecimal("9.99"),
        Instant.ofEpochSecond(1_700_000_000), Duration.ofHours(2));

    assertThat(codec.decode(codec.encode(order))).isEqualTo(order);
  }

  @Test
  void java_immutableJdkCollections_roundTrip() {
    Order order = new Order("o-2", List.of("x", "y"), Map.of("pears", 2), Set.of(new UUID(5, 6)),
        BigDecimal.ONE, Instant.EPOCH, Duration.ZERO);

    assertThat(roundTrip(ValueCodec.java(Order.class), order)).isEqualTo(order);
  }

  @Test
  void java_recordWithJavaTimeFields_roundTrips() {
    Times times = new Times(LocalDate.of(2024, 2, 29), LocalTime.NOON,
        LocalDateTime.of(2024, 1, 2, 3, 4), ZonedDateTime.of(2024, 1, 2, 3, 4, 5, 6,
        ZoneId.of("Europe/Paris")), OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 6, ZoneOffset.UTC),
        ZoneId.of("America/New_York"), Period.ofDays(3), YearMonth.of(2024, 5), DayOfWeek.MONDAY);

    assertThat(roundTrip(ValueCodec.java(Times.class), times)).isEqualTo(times);
  }

  @Test
  void java_topLevelCollections_roundTrip() {
    @SuppressWarnings("unchecked")
    Class<ArrayList<String>> listType = (Class<ArrayList<String>>) (Class<?>) ArrayList.class;
    ArrayList<String> list = new ArrayList<>(List.of("a", "b", "c"));
    @SuppressWarnings("unchecked")
    Class<TreeMap<String, Long>> mapType = (Class<TreeMap<String, Long>>) (Class<?>) TreeMap.class;
    TreeMap<String, Long> map = new TreeMap<>(Map.of("k", 1L));
    @SuppressWarnings("unchecked")
    Class<LinkedHashMap<String, String>> linkedType =
        (Class<LinkedHashMap<String, String>>) (Class<?>) LinkedHashMap.class;
    LinkedHashMap<String, String> linked = new LinkedHashMap<>(Map.of("a", "b"));

    assertThat(roundTrip(ValueCodec.java(listType), list)).isEqualTo(list);
    assertThat(roundTrip(ValueCodec.java(mapType), map)).isEqualTo(map);
    assertThat(roundTrip(ValueCodec.java(linkedType), linked)).isEqualTo(linked);
  }

  @Test
  void java_declaredFieldType_roundTripsWithoutBeingListed() {
    ValueCodec<Customer> codec = ValueCodec.java(Customer.class);
    Customer ada = new Customer("Ada", new Address("London"));

    assertThat(codec.decode(codec.encode(ada))).isEqualTo(ada);
  }

  @Test
  void java_subclassBehindAnInterfaceField_refusedAtEncodeNamingIt() {
    ValueCodec<Kennel> codec = ValueCodec.java(Kennel.class);

    assertThatThrownBy(() -> codec.encode(new Kennel(new Dog("Rex"))))
        .isInstanceOf(CacheSerializationException.class)
        .hasMessageContaining(Dog.class.getName())
        .hasMessageContaining("alsoAllowed");
    ValueCodec<Kennel> allowing = ValueCodec.java(Kennel.class, Dog.class);
    assertThat(allowing.decode(allowing.encode(new Kennel(new Dog("Rex")))))
        .isEqualTo(new Kennel(new Dog("Rex")));
  }

  interface Animal extends Serializable {}

  record Dog(String name) implements Animal {}

  record Kennel(Animal resident) implements Serializable {}

  @Test
  void java_nestedFieldTypeAlsoAllowed_roundTrips() {
    ValueCodec<Customer> codec = ValueCodec.java(Customer.class, Address.class);
    Customer ada = new Customer("Ada", new Address("London"));

    assertThat(codec.decode(codec.encode(ada))).isEqualTo(ada);
  }

  @Test
  void java_garbageBytes_throwsCacheSerializationException() {
    ValueCodec<Person> codec = ValueCodec.java(Person.class);

    assertThatThrownBy(() -> codec.decode("not java serialization".getBytes(
        StandardCharsets.UTF_8)))
        .isInstanceOf(CacheSerializationException.class)
        .hasMessageContaining(Person.class.getName());
    assertThatThrownBy(() -> codec.decode(new byte[0]))
        .isInstanceOf(CacheSerializationException.class);
  }

  @Test
  void java_truncatedBytes_throwsCacheSerializationException() {
    ValueCodec<Person> codec = ValueCodec.java(Person.class);
    byte[] whole = codec.encode(new Person("Ada", 36));
    byte[] truncated = java.util.Arrays.copyOf(whole, whole.length / 2);

    assertThatThrownBy(() -> codec.decode(truncated))
        .isInstanceOf(CacheSerializationException.class);
  }

  @Test
  void java_atomicLongDeclaredLong_rejected() {
    byte[] bytes = serialize(new AtomicLong(7));

    CacheSerializationException e = catchThrowableOfType(CacheSerializationException.class,
        () -> ValueCodec.java(Long.class).decode(bytes));

    assertThat(e.getMessage()).contains("Refused");
  }

  @Test
  void java_disallowedClass_rejectedBeforeItsCodeRuns() {
    byte[] bytes = serialize(new Gadget("rm -rf /"));
    GadgetBase.CONSTRUCTED.set(0);

    assertThatThrownBy(() -> ValueCodec.java(Person.class).decode(bytes))
        .isInstanceOf(CacheSerializationException.class)
        .hasMessageContaining("Refused");

    assertThat(Gadget.READ_OBJECT_RAN.get()).as("readObject ran").isZero();
    assertThat(GadgetBase.CONSTRUCTED.get()).as("constructor ran").isZero();
  }

  @Test
  void java_disallowedClassNestedInAllowedOne_rejectedBeforeItsCodeRuns() {
    byte[] bytes = serialize(new Envelope("e-1", new Gadget("calc.exe")));
    GadgetBase.CONSTRUCTED.set(0);

    assertThatThrownBy(() -> ValueCodec.java(Envelope.class).decode(bytes))
        .isInstanceOf(CacheSerializationException.class);

    assertThat(Gadget.READ_OBJECT_RAN.get()).isZero();
    assertThat(GadgetBase.CONSTRUCTED.get()).isZero();
  }

  @Test
  void java_disallowedClassInsideAllowedCollection_rejectedBeforeItsCodeRuns() {
    List<Object> list = new ArrayList<>();
    list.add("harmless");
    list.add(new Gadget("calc.exe"));
    byte[] bytes = serialize(new Envelope("e-2", (Serializable) list));
    GadgetBase.CONSTRUCTED.set(0);

    assertThatThrownBy(() -> ValueCodec.java(Envelope.class).decode(bytes))
        .isInstanceOf(CacheSerializationException.class);

    assertThat(Gadget.READ_OBJECT_RAN.get()).isZero();
    assertThat(GadgetBase.CONSTRUCTED.get()).isZero();
  }

  @Test
  void java_gadgetExplicitlyAllowed_isRead() {
    // Control for the tests above: the counters do move when the class is allowed.
    byte[] bytes = serialize(new Gadget("echo"));
    GadgetBase.CONSTRUCTED.set(0);

    Gadget read = ValueCodec.java(Gadget.class).decode(bytes);

    assertThat(read.command).isEqualTo("echo");
    assertThat(Gadget.READ_OBJECT_RAN.get()).isEqualTo(1);
    assertThat(GadgetBase.CONSTRUCTED.get()).isEqualTo(1);
  }

  @Test
  void java_subclassOfDeclaredType_rejected() {
    // Only the declared class itself is allowed, not whatever extends it.
    byte[] bytes = serialize(new Gadget("x"));

    assertThatThrownBy(() -> ValueCodec.java(GadgetBase.class).decode(bytes))
        .isInstanceOf(CacheSerializationException.class);
    assertThat(Gadget.READ_OBJECT_RAN.get()).isZero();
  }

  @Test
  void java_allowedJdkTypeButNotDeclaredType_throwsCacheSerializationException() {
    byte[] bytes = serialize(42L);

    assertThatThrownBy(() -> ValueCodec.java(Person.class).decode(bytes))
        .isInstanceOf(CacheSerializationException.class)
        .hasMessageContaining("Expected a " + Person.class.getName())
        .hasMessageContaining("java.lang.Long");
  }

  @Test
  void java_serializedNull_throwsCacheSerializationException() {
    byte[] bytes = serialize(null);

    assertThatThrownBy(() -> ValueCodec.java(Person.class).decode(bytes))
        .isInstanceOf(CacheSerializationException.class)
        .hasMessageContaining("null");
  }

  @Test
  void java_encodeNotSerializable_failsAtEncode() {
    ValueCodec<Object> codec = ValueCodec.java(Object.class);

    assertThatThrownBy(() -> codec.encode(new Plain()))
        .isInstanceOf(CacheSerializationException.class)
        .hasMessageContaining(Plain.class.getName());
  }

  @Test
  void java_deeplyNestedStream_rejected() {
    List<Object> deep = new ArrayList<>();
    List<Object> cursor = deep;
    for (int i = 0; i < 100; i++) {
      List<Object> next = new ArrayList<>();
      cursor.add(next);
      cursor = next;
    }
    @SuppressWarnings("unchecked")
    Class<ArrayList<Object>> listType = (Class<ArrayList<Object>>) (Class<?>) ArrayList.class;
    byte[] bytes = serialize(deep);

    assertThatThrownBy(() -> ValueCodec.java(listType).decode(bytes))
        .isInstanceOf(CacheSerializationException.class);
  }

  // --- forType ------------------------------------------------------------------------------

  @Test
  void forTypeAuto_eachKindOfType_picksMatchingCodec() {
    assertThat(ValueCodec.forType("auto", String.class)).isSameAs(ValueCodec.utf8());
    assertThat(ValueCodec.forType("auto", byte[].class)).isSameAs(ValueCodec.bytes());
    assertThat(ValueCodec.forType("auto", Long.class).encode(42L))
        .isEqualTo("42".getBytes(StandardCharsets.UTF_8));
    assertThat(ValueCodec.forType("AUTO", Integer.class).toString())
        .isEqualTo("ValueCodec.text(Integer)");
    // Jackson 3 is on this module's test class path: JSON for records and beans.
    assertThat(ValueCodec.forType("auto", Person.class).toString())
        .isEqualTo("ValueCodec.json(" + Person.class.getName() + ")");
    assertThat(roundTrip(ValueCodec.forType("auto", Person.class), new Person("Bo", 3)))
        .isEqualTo(new Person("Bo", 3));
    // A type JSON would not give back as it was, but Serializable: Java serialization.
    assertThat(ValueCodec.forType("auto", Parcel.class).toString())
        .isEqualTo("ValueCodec.java(" + Parcel.class.getName() + ")");
  }

  @Test
  void forTypeAuto_neitherSerializableNorJsonFaithful_throwsNamingWhy() {
    CacheConfigException e = catchThrowableOfType(CacheConfigException.class,
        () -> ValueCodec.forType("auto", Holder.class));

    assertThat(e.key()).isEqualTo("codec");
    assertThat(e.getMessage()).contains(Holder.class.getName()).contains("Serializable")
        .contains("payload of " + Holder.class.getName()).contains("java.lang.Object");
  }

  @Test
  void forTypeString_stringType_utf8() {
    assertThat(ValueCodec.forType("string", String.class)).isSameAs(ValueCodec.utf8());
  }

  @Test
  void forTypeString_longType_throwsCacheConfigException() {
    CacheConfigException e = catchThrowableOfType(CacheConfigException.class,
        () -> ValueCodec.forType("string", Long.class));

    assertThat(e.key()).isEqualTo("codec");
    assertThat(e.getMessage()).contains("codec=string").contains("java.lang.Long");
  }

  @Test
  void forTypeBytes_nonByteArray_throwsCacheConfigException() {
    assertThat(ValueCodec.forType("bytes", byte[].class)).isSameAs(ValueCodec.bytes());
    assertThatThrownBy(() -> ValueCodec.forType("bytes", String.class))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("codec=bytes");
  }

  @Test
  void forTypeJava_anyType_javaSerialization() {
    ValueCodec<String> codec = ValueCodec.forType("java", String.class);

    assertThat(codec.toString()).isEqualTo("ValueCodec.java(java.lang.String)");
    assertThat(codec.encode("x")).isNotEqualTo("x".getBytes(StandardCharsets.UTF_8));
    assertThat(codec.decode(codec.encode("x"))).isEqualTo("x");
  }

  @Test
  void forType_unavailableCodec_throwsCacheConfigException() {
    assertThatThrownBy(() -> ValueCodec.forType("xml", Person.class))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("'xml'");
  }

  @Test
  void forType_nullType_throwsNullPointerException() {
    assertThatThrownBy(() -> ValueCodec.forType("auto", (Class<?>) null))
        .isInstanceOf(NullPointerException.class);
  }
}
