package io.ucache.interceptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The canonical key text. The golden strings pin the format: keys written by one version or JVM
 * to a disk or remote engine must be found by another, so any change to them is a breaking change
 * that must be made on purpose (and the golden strings updated with it).
 */
class KeyEncoderTest {

  enum Color { RED, GREEN }

  record Point(int x, int y) {}

  record Tagged(String name, int[] values) {}

  private static String encode(@Nullable Object... args) {
    return KeyEncoder.encode("m", args);
  }

  // --- golden strings

  @Test
  void encode_realisticCall_isTheGoldenString() {
    assertThat(KeyEncoder.encode("com.example.PriceService.price(java.lang.String,int)",
        new Object[] {"apple", 3}))
        .isEqualTo("52:com.example.PriceService.price(java.lang.String,int)(s5:applei3;)");
  }

  @Test
  void encode_noArguments_isMethodOnly() {
    assertThat(encode()).isEqualTo("1:m()");
  }

  @Test
  void encode_stringsAndNull_areLengthPrefixedAndTagged() {
    assertThat(encode("a:b", "c")).isEqualTo("1:m(s3:a:bs1:c)");
    assertThat(encode("a", "b:c")).isEqualTo("1:m(s1:as3:b:c)");
    assertThat(encode((Object) null)).isEqualTo("1:m(n)");
    assertThat(encode("")).isEqualTo("1:m(s0:)");
    assertThat(encode("é")).isEqualTo("1:m(s1:é)");
  }

  @Test
  void encode_integralNumbers_taggedByType() {
    assertThat(encode(42, 42L, (short) 42, (byte) 42, -7))
        .isEqualTo("1:m(i42;l42;h42;y42;i-7;)");
  }

  @Test
  void encode_floatingPoint_byIeeeBits() {
    assertThat(encode(1.0)).isEqualTo("1:m(d3ff0000000000000;)");
    assertThat(encode(0.0)).isEqualTo("1:m(d0;)");
    assertThat(encode(-0.0)).isEqualTo("1:m(d8000000000000000;)");
    assertThat(encode(Double.NaN)).isEqualTo("1:m(d7ff8000000000000;)");
    assertThat(encode(1.0f)).isEqualTo("1:m(f3f800000;)");
  }

  @Test
  void encode_booleansAndCharacters_goldenForms() {
    assertThat(encode(true, false, 'A')).isEqualTo("1:m(TFc65;)");
  }

  @Test
  void encode_enum_byDeclaringClassAndName() {
    assertThat(encode(Color.RED))
        .isEqualTo("1:m(e42:io.ucache.interceptor.KeyEncoderTest$Color3:RED)");
  }

  @Test
  void encode_record_byClassAndComponents() {
    assertThat(encode(new Point(1, 2)))
        .isEqualTo("1:m(r42:io.ucache.interceptor.KeyEncoderTest$Point2;i1;i2;)");
  }

  @Test
  void encode_arrays_byComponentTypeAndContent() {
    assertThat(encode((Object) new int[] {1, 2})).isEqualTo("1:m([3:int2;i1;i2;)");
    assertThat(encode((Object) new String[] {"a", null}))
        .isEqualTo("1:m([16:java.lang.String2;s1:an)");
    assertThat(encode((Object) new int[][] {{1}, {2, 3}}))
        .isEqualTo("1:m([2:[I2;[3:int1;i1;[3:int2;i2;i3;)");
  }

  @Test
  void encode_collections_golden() {
    assertThat(encode(List.of(1, 2))).isEqualTo("1:m(L2;i1;i2;)");
    assertThat(encode(Set.of("b", "a"))).isEqualTo("1:m(S2;s1:as1:b)");
    assertThat(encode(Map.of("b", 2, "a", 1))).isEqualTo("1:m(M2;s1:ai1;s1:bi2;)");
    assertThat(encode(Optional.of("x"), Optional.empty())).isEqualTo("1:m(Os1:xO-)");
  }

  @Test
  void encode_valueTypes_byClassAndCanonicalText() {
    assertThat(encode(new BigDecimal("1.50"))).isEqualTo("1:m(o20:java.math.BigDecimal4:1.50)");
    assertThat(encode(LocalDate.of(2024, 1, 2)))
        .isEqualTo("1:m(o19:java.time.LocalDate10:2024-01-02)");
    assertThat(encode(UUID.fromString("123e4567-e89b-12d3-a456-426614174000")))
        .isEqualTo("1:m(o14:java.util.UUID36:123e4567-e89b-12d3-a456-426614174000)");
  }

  // --- distinctness and order independence

  @Test
  void encode_separatorInsideArguments_differs() {
    assertThat(encode("a:b", "c")).isNotEqualTo(encode("a", "b:c"));
    assertThat(encode("ab", "")).isNotEqualTo(encode("a", "b"));
  }

  @Test
  void encode_sameTextOtherType_differs() {
    assertThat(List.of(encode(1), encode(1L), encode("1"), encode(1.0), encode('1'),
        encode(new BigInteger("1")), encode((Object) null), encode("null"), encode(""),
        encode(List.of(1)), encode(Set.of(1)), encode((Object) new int[] {1}),
        encode((Object) new Integer[] {1}), encode(Optional.of(1))))
        .doesNotHaveDuplicates();
  }

  @Test
  void encode_negativeAndPositiveZero_differButNaNIsStable() {
    assertThat(encode(-0.0)).isNotEqualTo(encode(0.0));
    assertThat(encode(-0.0f)).isNotEqualTo(encode(0.0f));
    assertThat(encode(Double.NaN)).isEqualTo(encode(Double.longBitsToDouble(0x7ff8000000000001L)));
    assertThat(encode(Float.NaN)).isEqualTo(encode(Float.intBitsToFloat(0x7fc00001)));
  }

  @Test
  void encode_setsWithSameContentInAnyOrderOrClass_equal() {
    Set<String> hash = new HashSet<>(List.of("x", "y", "z"));
    Set<String> linked = new LinkedHashSet<>(List.of("z", "y", "x"));
    Set<String> tree = new TreeSet<>(List.of("y", "z", "x"));

    assertThat(encode(hash)).isEqualTo(encode(linked)).isEqualTo(encode(tree))
        .isEqualTo(encode(Set.of("x", "y", "z")));
    assertThat(encode(hash)).isNotEqualTo(encode(Set.of("x", "y")));
  }

  @Test
  void encode_mapsWithSameContentInAnyOrder_equal() {
    Map<String, Integer> forward = new LinkedHashMap<>();
    forward.put("a", 1);
    forward.put("b", 2);
    Map<String, Integer> backward = new LinkedHashMap<>();
    backward.put("b", 2);
    backward.put("a", 1);

    assertThat(encode(forward)).isEqualTo(encode(backward)).isEqualTo(encode(new HashMap<>(forward)));
    assertThat(encode(forward)).isNotEqualTo(encode(Map.of("a", 2, "b", 1)));
  }

  @Test
  void encode_listsByContentInOrder() {
    assertThat(encode(new ArrayList<>(List.of(1, 2)))).isEqualTo(encode(List.of(1, 2)));
    assertThat(encode(List.of(1, 2))).isNotEqualTo(encode(List.of(2, 1)));
  }

  @Test
  void encode_recordsByComponentsIncludingArrays() {
    assertThat(encode(new Point(1, 2))).isEqualTo(encode(new Point(1, 2)))
        .isNotEqualTo(encode(new Point(2, 1)));
    assertThat(encode(new Tagged("t", new int[] {1}))).isEqualTo(encode(new Tagged("t", new int[] {1})))
        .isNotEqualTo(encode(new Tagged("t", new int[] {2})));
  }

  @Test
  void encode_nestedArraysByContent() {
    assertThat(encode((Object) new int[][] {{1, 2}, {3}}))
        .isEqualTo(encode((Object) new int[][] {{1, 2}, {3}}))
        .isNotEqualTo(encode((Object) new int[][] {{1}, {2, 3}}));
    assertThat(encode((Object) new Object[] {new String[] {"a"}, List.of(new int[] {1})}))
        .isEqualTo(encode((Object) new Object[] {new String[] {"a"}, List.of(new int[] {1})}));
  }

  @Test
  void encode_sameCallTwice_sameString() {
    Object[] args = {"a", 1, List.of(Color.GREEN), new Point(3, 4), Map.of("k", Set.of(1, 2))};

    assertThat(KeyEncoder.encode("m", args)).isEqualTo(KeyEncoder.encode("m", args.clone()));
  }

  @Test
  void encode_otherMethodSameArguments_differs() {
    assertThat(KeyEncoder.encode("a.B.get(java.lang.String)", new Object[] {"x"}))
        .isNotEqualTo(KeyEncoder.encode("a.B.find(java.lang.String)", new Object[] {"x"}));
  }

  // --- types without a canonical form

  @Test
  void encode_argumentWithoutCanonicalForm_throwsIllegalArgumentExceptionNamingTypeAndRemedy() {
    assertThatThrownBy(() -> encode(new File("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.io.File")
        .hasMessageContaining("no canonical key form")
        .hasMessageContaining("@CacheKey")
        .hasMessageContaining("keyGenerator");
  }

  @Test
  void encode_unencodableInsideCollection_throwsIllegalArgumentException() {
    assertThatThrownBy(() -> encode(List.of(new AtomicInteger(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(AtomicInteger.class.getName());
    assertThatThrownBy(() -> encode(Map.of("k", new Object())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object");
  }

  @Test
  void encodable_declaredTypes_acceptsValueTypesAndRefusesOthers() {
    assertThat(List.of(String.class, int.class, Integer.class, double.class, BigDecimal.class,
        Color.class, Point.class, int[].class, String[][].class, List.class, Set.class,
        Map.class, Optional.class, UUID.class, URI.class, LocalDate.class, Object.class,
        CharSequence.class, Number.class))
        .allSatisfy(type -> assertThat(KeyEncoder.encodable(type)).as(type.getName()).isTrue());
    assertThat(List.of(File.class, File[].class, AtomicInteger.class, StringBuilder.class,
        Thread.class))
        .allSatisfy(type -> assertThat(KeyEncoder.encodable(type)).as(type.getName()).isFalse());
  }
}
