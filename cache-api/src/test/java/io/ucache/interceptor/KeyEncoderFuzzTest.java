package io.ucache.interceptor;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Fuzzes {@link KeyEncoder}: two argument lists built from the fuzzer's bytes (strings, numbers,
 * characters, booleans, nulls, arrays, lists, sets, maps, optionals, records, nested) get the
 * same key exactly when they are equal ({@link Arrays#deepEquals}), and encoding is a function
 * of the content alone (a copy, or a set built in another order, gives the same key). A
 * collision would serve one call's cached result to another.
 */
class KeyEncoderFuzzTest {

  /** A record argument, encoded by its components. */
  record Pair(@Nullable Object left, @Nullable Object right) {}

  @FuzzTest(maxDuration = "10s")
  void encode_twoArgumentLists_sameKeyExactlyWhenEqual(FuzzedDataProvider data) {
    String method = data.consumeBoolean() ? "m" : data.consumeString(8);
    Object[] first = arguments(data, 0);
    Object[] second = data.consumeBoolean() ? arguments(data, 0) : mutate(data, first);
    String firstKey = KeyEncoder.encode(method, first);
    String secondKey = KeyEncoder.encode(method, second);

    assertThat(firstKey.equals(secondKey))
        .as("same key for %s and %s:%n%s%n%s", Arrays.deepToString(first),
            Arrays.deepToString(second), firstKey, secondKey)
        .isEqualTo(Arrays.deepEquals(first, second));
    assertThat(KeyEncoder.encode(method, copy(first))).isEqualTo(firstKey);
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

  /** {@code args} with one argument replaced, or split into neighbours that look alike. */
  private static Object[] mutate(FuzzedDataProvider data, Object[] args) {
    Object[] changed = copy(args);
    if (changed.length > 0) {
      int at = data.consumeInt(0, changed.length - 1);
      changed[at] = data.consumeBoolean() ? value(data, 0) : String.valueOf(changed[at]);
    }
    return changed;
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
