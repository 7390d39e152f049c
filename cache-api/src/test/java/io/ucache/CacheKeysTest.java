package io.ucache;

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
import org.junit.jupiter.api.Test;

/**
 * The canonical key text, format version 1 ({@code docs/keys.md}). The golden strings pin the
 * format: keys written by one version, JVM or language must be found by another, so a change to
 * them is a new format version, made on purpose (and docs/keys.md updated with it).
 */
class CacheKeysTest {

  enum Currency { EUR, USD }

  record Point(int x, int y) {}

  record OrderId(String region, int number) {}

  record Tagged(String name, int[] values) {}

  // --- golden strings, as docs/keys.md shows them

  @Test
  void of_docsExamples_areTheGoldenStrings() {
    assertThat(CacheKeys.of("ACME")).isEqualTo("ACME");
    assertThat(CacheKeys.of(Currency.EUR, Currency.USD)).isEqualTo("EUR:USD");
    assertThat(CacheKeys.of(42L)).isEqualTo("42");
    assertThat(CacheKeys.of("red shoes", List.of("size:9", "new")))
        .isEqualTo("red shoes:[size%3A9,new]");
    assertThat(CacheKeys.of()).isEqualTo("()").isEqualTo(CacheKeys.NO_ARGUMENTS);
    assertThat(CacheKeys.of(new OrderId("eu", 7))).isEqualTo("{region=eu,number=7}");
    assertThat(CacheKeys.FORMAT_VERSION).isEqualTo(1);
  }

  @Test
  void of_strings_escapeTheFormatsCharactersOnly() {
    assertThat(CacheKeys.of("a:b")).isEqualTo("a%3Ab");
    assertThat(CacheKeys.of("%:,=[]{}()~'")).isEqualTo("%25%3A%2C%3D%5B%5D%7B%7D%28%29%7E%27");
    assertThat(CacheKeys.of("tab\there\n\u007F")).isEqualTo("tab%09here%0A%7F");
    assertThat(CacheKeys.of("ada@example.org/x-y z.é日本😀"))
        .isEqualTo("ada@example.org/x-y z.é日本😀");
    assertThat(CacheKeys.of("")).isEqualTo("''");
    assertThat(CacheKeys.of((Object) null)).isEqualTo("~");
    assertThat(CacheKeys.of("~")).isEqualTo("%7E");
  }

  @Test
  void of_scalars_asTheirText() {
    assertThat(CacheKeys.of(42, -7L, (short) 3, (byte) 1, new BigInteger("123456789012345678901")))
        .isEqualTo("42:-7:3:1:123456789012345678901");
    assertThat(CacheKeys.of(1.5, -0.0, Double.NaN, 1.0e10, 2.5f))
        .isEqualTo("1.5:-0.0:NaN:1.0E10:2.5");
    assertThat(CacheKeys.of(true, false, 'x', ':')).isEqualTo("true:false:x:%3A");
    assertThat(CacheKeys.of(new BigDecimal("1.50"))).isEqualTo("1.50");
    assertThat(CacheKeys.of(LocalDate.of(2026, 12, 5))).isEqualTo("2026-12-05");
    assertThat(CacheKeys.of(UUID.fromString("123e4567-e89b-12d3-a456-426614174000")))
        .isEqualTo("123e4567-e89b-12d3-a456-426614174000");
    assertThat(CacheKeys.of(URI.create("https://x.io/a"))).isEqualTo("https%3A//x.io/a");
  }

  @Test
  void of_optionals_asTheirValueOrNull() {
    assertThat(CacheKeys.of(Optional.of("x"), Optional.empty())).isEqualTo("x:~");
  }

  @Test
  void of_containers_golden() {
    assertThat(CacheKeys.of((Object) new int[] {1, 2})).isEqualTo("[1,2]");
    assertThat(CacheKeys.of((Object) new String[] {"a", null})).isEqualTo("[a,~]");
    assertThat(CacheKeys.of((Object) new int[][] {{1}, {2, 3}})).isEqualTo("[[1],[2,3]]");
    assertThat(CacheKeys.of(List.of(), Map.of(), Set.of())).isEqualTo("[]:{}:[]");
    assertThat(CacheKeys.of(List.of(""))).isEqualTo("['']");
    assertThat(CacheKeys.of(Set.of("b", "a"))).isEqualTo("[a,b]");
    assertThat(CacheKeys.of(Map.of("b", 2, "a", 1))).isEqualTo("{a=1,b=2}");
    assertThat(CacheKeys.of(new Point(1, 2))).isEqualTo("{x=1,y=2}");
    assertThat(CacheKeys.of(new Tagged("t", new int[] {1}))).isEqualTo("{name=t,values=[1]}");
  }

  // --- what is equal, what differs

  @Test
  void of_separatorInsideArguments_differs() {
    assertThat(CacheKeys.of("a:b", "c")).isNotEqualTo(CacheKeys.of("a", "b:c"));
    assertThat(CacheKeys.of("ab", "")).isNotEqualTo(CacheKeys.of("a", "b"));
    assertThat(CacheKeys.of(List.of("a,b"))).isNotEqualTo(CacheKeys.of(List.of("a", "b")));
    assertThat(CacheKeys.of((Object) null)).isNotEqualTo(CacheKeys.of("~"))
        .isNotEqualTo(CacheKeys.of(""));
    assertThat(CacheKeys.of()).isNotEqualTo(CacheKeys.of("()"));
  }

  @Test
  void of_sameTextOtherJavaType_sameKey() {
    // The format carries no Java type: keys are computable outside Java, and survive renames.
    assertThat(List.of(CacheKeys.of(1), CacheKeys.of(1L), CacheKeys.of("1"),
        CacheKeys.of(BigInteger.ONE), CacheKeys.of(Optional.of(1)))).containsOnly("1");
    assertThat(CacheKeys.of(List.of(1))).isEqualTo(CacheKeys.of((Object) new int[] {1}));
  }

  @Test
  void of_setsAndMapsInAnyOrderOrClass_equal() {
    Set<String> hash = new HashSet<>(List.of("x", "y", "z"));
    Set<String> linked = new LinkedHashSet<>(List.of("z", "y", "x"));
    Set<String> tree = new TreeSet<>(List.of("y", "z", "x"));
    assertThat(CacheKeys.of(hash)).isEqualTo(CacheKeys.of(linked)).isEqualTo(CacheKeys.of(tree));

    Map<String, Integer> forward = new LinkedHashMap<>();
    forward.put("a", 1);
    forward.put("b", 2);
    Map<String, Integer> backward = new LinkedHashMap<>();
    backward.put("b", 2);
    backward.put("a", 1);
    assertThat(CacheKeys.of(forward)).isEqualTo(CacheKeys.of(backward))
        .isEqualTo(CacheKeys.of(new HashMap<>(forward)))
        .isNotEqualTo(CacheKeys.of(Map.of("a", 2, "b", 1)));
  }

  @Test
  void of_listsByContentInOrder() {
    assertThat(CacheKeys.of(new ArrayList<>(List.of(1, 2)))).isEqualTo(CacheKeys.of(List.of(1, 2)))
        .isNotEqualTo(CacheKeys.of(List.of(2, 1)));
  }

  // --- value classes (beans): by their fields

  /** A bean with value semantics: private fields, getters and setters, equals and hashCode. */
  static class Query {
    private String text;
    private int page;
    private transient int cachedHash;

    Query(String text, int page) {
      this.text = text;
      this.page = page;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Query q && q.text.equals(text) && q.page == page;
    }

    @Override
    public int hashCode() {
      return text.hashCode() * 31 + page;
    }
  }

  static final class PagedQuery extends Query {
    private final List<String> sort;

    PagedQuery(String text, int page, List<String> sort) {
      super(text, page);
      this.sort = sort;
    }
  }

  /** Keeps Object.equals: compares by identity. */
  static final class Handle {
    private final String name = "h";
  }

  static final class Node {
    private Object next;

    @Override
    public boolean equals(Object o) {
      return o == this;
    }

    @Override
    public int hashCode() {
      return 1;
    }
  }

  @Test
  void of_valueClass_byItsFieldsSortedByName() {
    assertThat(CacheKeys.of(new Query("red shoes", 2)))
        .isEqualTo("{cachedHash=0,page=2,text=red shoes}");
    assertThat(CacheKeys.of(new PagedQuery("a:b", 1, List.of("price"))))
        .as("inherited fields too, escaped as any text")
        .isEqualTo("{cachedHash=0,page=1,sort=[price],text=a%3Ab}");
    assertThat(CacheKeys.of(new Query("x", 1))).isEqualTo(CacheKeys.of(new Query("x", 1)))
        .isNotEqualTo(CacheKeys.of(new Query("x", 2)));
  }

  @Test
  void of_classWithoutEquals_orSelfReferencing_noCanonicalForm() {
    assertThatThrownBy(() -> CacheKeys.of(new Handle()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Handle.class.getName())
        .hasMessageContaining("overrides equals");
    Node node = new Node();
    node.next = node;
    assertThatThrownBy(() -> CacheKeys.of(node))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nests deeper than 64 levels");
  }

  // --- no canonical form

  @Test
  void of_argumentWithoutCanonicalForm_throwsNamingTypeAndRemedy() {
    assertThatThrownBy(() -> CacheKeys.of(new File("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.io.File")
        .hasMessageContaining("no canonical key form")
        .hasMessageContaining("@CacheKey")
        .hasMessageContaining("keyGenerator");
    assertThatThrownBy(() -> CacheKeys.of(List.of(new AtomicInteger(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(AtomicInteger.class.getName());
  }

  @Test
  void of_loneSurrogate_throwsNamingIt() {
    assertThatThrownBy(() -> CacheKeys.of("a\uD800b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lone surrogate")
        .hasMessageContaining("D800");
    assertThatThrownBy(() -> CacheKeys.of("\uDC00")).isInstanceOf(IllegalArgumentException.class);
  }

  // --- long keys

  @Test
  void limitedTo_shortText_unchanged() {
    assertThat(CacheKeys.limitedTo("ACME", 4)).isEqualTo("ACME");
    assertThat(CacheKeys.limitedTo("éé", 4)).isEqualTo("éé");
  }

  @Test
  void limitedTo_longerThanLimitInUtf8_isSha256OfTheText() {
    // printf 'ééé' | sha256sum: what another language computes for the same text
    assertThat(CacheKeys.limitedTo("ééé", 5))
        .isEqualTo("#sha256:355b7226e20cb564774ef99442e77ac003100624b42b5a92944f0dad75b126b0");
    assertThat(CacheKeys.limitedTo("x".repeat(70_000), 65_536))
        .isEqualTo(CacheKeys.limitedTo("x".repeat(70_000), 65_536))
        .isNotEqualTo(CacheKeys.limitedTo("x".repeat(70_001), 65_536));
  }
}
