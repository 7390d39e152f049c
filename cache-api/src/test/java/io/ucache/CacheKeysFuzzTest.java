package io.ucache;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Fuzzes {@link CacheKeys}: argument lists built from the fuzzer's bytes (strings, numbers,
 * characters, booleans, nulls, arrays, lists, sets, maps, optionals, records, nested) encode to a
 * text that the grammar of docs/keys.md parses back to the arguments' structure and text. So two
 * argument lists share a key only when their canonical views are equal (a collision would serve
 * one call's cached result to another), and the format is computable without Java. Encoding is a
 * function of the content alone: a copy, or a set built in another order, gives the same key.
 */
class CacheKeysFuzzTest {

  /** A record argument, encoded by its components. */
  record Pair(@Nullable Object left, @Nullable Object right) {}

  /** What {@code ~} parses to. */
  private static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "~";
    }
  };

  @FuzzTest(maxDuration = "10s")
  void of_anyArguments_parsesBackToTheirCanonicalView(FuzzedDataProvider data) {
    Object[] args = arguments(data, 0);
    String key;
    try {
      key = CacheKeys.of(args);
    } catch (IllegalArgumentException e) {
      assertThat(e).hasMessageContaining("lone surrogate");
      return;
    }

    assertThat(new Parser(key).key()).as("%s -> %s", Arrays.deepToString(args), key)
        .isEqualTo(view(args));
    assertThat(CacheKeys.of(copy(args))).isEqualTo(key);
  }

  /** The structure the key text must show: texts, {@link #NULL}, lists, entry lists. */
  private static List<Object> view(Object[] args) {
    List<Object> out = new ArrayList<>();
    for (Object arg : args) {
      out.add(viewOf(arg));
    }
    return out;
  }

  private static Object viewOf(@Nullable Object value) {
    if (value == null) {
      return NULL;
    }
    if (value instanceof Optional<?> optional) {
      return viewOf(optional.orElse(null));
    }
    if (value.getClass().isArray()) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < Array.getLength(value); i++) {
        out.add(viewOf(Array.get(value, i)));
      }
      return out;
    }
    if (value instanceof Pair pair) {
      return List.of(new Entry("left", viewOf(pair.left())),
          new Entry("right", viewOf(pair.right())));
    }
    if (value instanceof Set<?> set) {
      // Sorted as the format sorts them: by their own key text.
      return set.stream().sorted(Comparator.comparing(e -> CacheKeys.of(e)))
          .map(CacheKeysFuzzTest::viewOf).toList();
    }
    if (value instanceof Map<?, ?> map) {
      return map.entrySet().stream()
          .sorted(Comparator.comparing(e -> CacheKeys.of(e.getKey()) + "=" + CacheKeys.of(e.getValue())))
          .map(e -> (Object) new Entry(viewOf(e.getKey()), viewOf(e.getValue()))).toList();
    }
    if (value instanceof Collection<?> collection) {
      return collection.stream().map(CacheKeysFuzzTest::viewOf).toList();
    }
    return value.toString();
  }

  private record Entry(Object key, Object value) {}

  /** The grammar of docs/keys.md, as another language would implement it. */
  private static final class Parser {
    private final String text;
    private int at;

    Parser(String text) {
      this.text = text;
    }

    List<Object> key() {
      List<Object> values = new ArrayList<>();
      if (text.equals("()")) {
        return values;
      }
      values.add(value());
      while (at < text.length()) {
        expect(':');
        values.add(value());
      }
      return values;
    }

    private Object value() {
      char c = at < text.length() ? text.charAt(at) : ':';
      if (c == '~') {
        at++;
        return NULL;
      }
      if (c == '[' || c == '{') {
        at++;
        char close = c == '[' ? ']' : '}';
        List<Object> items = new ArrayList<>();
        while (text.charAt(at) != close) {
          if (!items.isEmpty()) {
            expect(',');
          }
          Object item = value();
          if (close == '}') {
            expect('=');
            item = new Entry(item, value());
          }
          items.add(item);
        }
        at++;
        return items;
      }
      if (text.startsWith("''", at)) {
        at += 2;
        return "";
      }
      StringBuilder out = new StringBuilder();
      while (at < text.length() && ":,=]}".indexOf(text.charAt(at)) < 0) {
        char d = text.charAt(at);
        if (d == '%') {
          out.append((char) Integer.parseInt(text.substring(at + 1, at + 3), 16));
          at += 3;
        } else {
          assertThat("[{('~").as("unescaped structural character in " + text)
              .doesNotContain(String.valueOf(d));
          out.append(d);
          at++;
        }
      }
      assertThat(out).as("an empty text in " + text).isNotEmpty();
      return out.toString();
    }

    private void expect(char c) {
      assertThat(text.charAt(at)).as("at %d of %s", at, text).isEqualTo(c);
      at++;
    }
  }

  private static Object[] arguments(FuzzedDataProvider data, int depth) {
    Object[] args = new Object[data.consumeInt(0, 3)];
    for (int i = 0; i < args.length; i++) {
      args[i] = value(data, depth);
    }
    return args;
  }

  private static @Nullable Object value(FuzzedDataProvider data, int depth) {
    // Arrays only as arguments themselves: inside a collection or record, Java compares them by
    // identity, so deepEquals could no longer tell which keys must be equal.
    int kind = data.consumeInt(0, depth >= 3 ? 7 : depth > 0 ? 12 : 13);
    return switch (kind) {
      case 0 -> null;
      case 1, 2 -> data.consumeString(12);
      case 3 -> data.consumeInt();
      case 4 -> data.consumeLong();
      case 5 -> data.consumeChar();
      case 6 -> data.consumeBoolean();
      case 7 -> data.consumeDouble();
      case 8 -> new ArrayList<>(Arrays.asList(arguments(data, depth + 1)));
      case 9 -> new HashSet<>(Arrays.asList(arguments(data, depth + 1)));
      case 10 -> {
        Map<Object, Object> map = new HashMap<>();
        for (Object key : arguments(data, depth + 1)) {
          map.put(key, value(data, depth + 1));
        }
        yield map;
      }
      case 11 -> Optional.ofNullable(value(data, depth + 1));
      case 12 -> new Pair(value(data, depth + 1), value(data, depth + 1));
      default -> {
        String[] strings = new String[data.consumeInt(0, 3)];
        for (int i = 0; i < strings.length; i++) {
          strings[i] = data.consumeString(6);
        }
        yield strings;
      }
    };
  }

  private static Object[] copy(Object[] args) {
    Object[] copy = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      copy[i] = copyOf(args[i]);
    }
    return copy;
  }

  private static @Nullable Object copyOf(@Nullable Object value) {
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(e -> copy.add(copyOf(e)));
      return copy;
    }
    if (value instanceof Set<?> set) {
      // Another insertion order: the key must not depend on it.
      List<Object> elements = new ArrayList<>(set);
      java.util.Collections.reverse(elements);
      Set<Object> copy = new java.util.LinkedHashSet<>();
      elements.forEach(e -> copy.add(copyOf(e)));
      return copy;
    }
    if (value instanceof String[] strings) {
      return strings.clone();
    }
    return value;
  }
}
