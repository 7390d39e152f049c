package io.ucache.interceptor;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Copies of key arguments that share nothing a caller can change, for the keys an in-process
 * engine stores as objects. A stored key that aliases a caller's list would change when the
 * caller reuses the list: its hash would no longer match its place in the engine's table, so it
 * could be neither found nor evicted (Caffeine logs "key's equals or hashCode was modified", and
 * a bounded cache outgrows its bound).
 *
 * <p>Values known to be immutable (strings, boxed primitives, enums, the JDK value classes,
 * records whose components are all such) are returned as they are, without allocating. Arrays
 * are copied deeply; lists, sets and maps become unmodifiable copies of detached elements (equal
 * to the originals by the {@code List}, {@code Set} and {@code Map} contracts, so lookups with
 * the caller's own collection still find them); optionals and records holding such are rebuilt
 * around detached contents. Only keys that are stored are detached, on a miss: the hit path looks
 * up with the caller's arguments as they are.
 *
 * <p>Thread-safe (stateless but for a per-class cache). Nulls: {@code null} detaches to itself.
 */
final class KeyCopies {
  private KeyCopies() {}

  /** Whether a record class's components are all immutable by their declared types. */
  private static final ClassValue<Boolean> IMMUTABLE_RECORD = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      for (RecordComponent component : type.getRecordComponents()) {
        if (!immutableType(component.getGenericType())) {
          return false;
        }
      }
      return true;
    }
  };

  /** {@code value}, or a copy of it sharing nothing mutable with it. */
  static @Nullable Object detach(@Nullable Object value) {
    if (value == null || value instanceof String || isImmutableValue(value)) {
      return value;
    }
    if (value.getClass().isArray()) {
      return copyArray(value);
    }
    if (value instanceof List<?> list) {
      Object[] elements = list.toArray();
      detachAll(elements);
      return Collections.unmodifiableList(Arrays.asList(elements));
    }
    if (value instanceof Set<?> set) {
      Set<@Nullable Object> copy = new LinkedHashSet<>(Math.max(4, set.size() * 2));
      for (Object element : set) {
        copy.add(detach(element));
      }
      return Collections.unmodifiableSet(copy);
    }
    if (value instanceof Map<?, ?> map) {
      Map<@Nullable Object, @Nullable Object> copy =
          new LinkedHashMap<>(Math.max(4, map.size() * 2));
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        copy.put(detach(entry.getKey()), detach(entry.getValue()));
      }
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof Optional<?> optional) {
      Object inside = optional.orElse(null);
      Object detached = detach(inside);
      return detached == inside ? value : Optional.ofNullable(detached);
    }
    if (value instanceof Record record) {
      return IMMUTABLE_RECORD.get(record.getClass()) ? value : rebuild(record);
    }
    // Not a type that in-process keys hold as objects (those are keyed by their canonical
    // string): nothing known to copy.
    return value;
  }

  /** Detaches every element of {@code elements} in place. */
  static void detachAll(@Nullable Object[] elements) {
    for (int i = 0; i < elements.length; i++) {
      elements[i] = detach(elements[i]);
    }
  }

  private static boolean isImmutableValue(Object value) {
    return value instanceof Integer || value instanceof Long || value instanceof Enum<?>
        || value instanceof Boolean || value instanceof Character || value instanceof Short
        || value instanceof Byte || value instanceof Double || value instanceof Float
        || value instanceof BigInteger && value.getClass() == BigInteger.class
        || value instanceof BigDecimal && value.getClass() == BigDecimal.class
        || value instanceof UUID || value instanceof URI
        || value.getClass().getPackageName().equals("java.time");
  }

  private static boolean immutableType(Type type) {
    if (!(type instanceof Class<?> c) || type instanceof ParameterizedType) {
      return false; // collections, optionals, type variables: their contents may change
    }
    if (c.isPrimitive() || c == String.class || c == Boolean.class || c == Character.class
        || c == Integer.class || c == Long.class || c == Short.class || c == Byte.class
        || c == Double.class || c == Float.class || c == BigInteger.class
        || c == BigDecimal.class || c.isEnum() || c == UUID.class || c == URI.class
        || c.getPackageName().equals("java.time") && !c.isInterface()) {
      return true;
    }
    return c.isRecord() && IMMUTABLE_RECORD.get(c);
  }

  private static Object copyArray(Object array) {
    int length = Array.getLength(array);
    Object copy = Array.newInstance(array.getClass().getComponentType(), length);
    System.arraycopy(array, 0, copy, 0, length);
    if (copy instanceof Object[] elements) {
      detachAll(elements);
    }
    return copy;
  }

  /**
   * {@code record} rebuilt by its canonical constructor around detached components; the record
   * itself if that fails (a constructor refusing its own components is not this class's to fix).
   */
  private static Object rebuild(Record record) {
    RecordComponent[] components = record.getClass().getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] values = new Object[components.length];
    try {
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        java.lang.reflect.Method accessor = components[i].getAccessor();
        accessor.trySetAccessible(); // records declared in non-public classes
        values[i] = detach(accessor.invoke(record));
      }
      Constructor<?> canonical = record.getClass().getDeclaredConstructor(types);
      canonical.trySetAccessible();
      return canonical.newInstance(values);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return record;
    }
  }
}
