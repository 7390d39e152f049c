package io.ucache.interceptor;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The canonical text form of a call's key, the same in every JVM: the method's identity, then
 * each argument as a type tag and its content, every string length-prefixed so that
 * {@code ("a:b", "c")} and {@code ("a", "b:c")} differ. Arrays and lists are encoded by content in
 * order; sets and maps by content in sorted order of their encoded elements, so iteration order
 * does not matter; records by class and components; enums by class and name. Nothing depends on
 * {@code hashCode()} or identity. A type without a canonical form is refused with
 * {@link IllegalArgumentException}.
 */
final class KeyEncoder {
  private KeyEncoder() {}

  static String encode(String method, @Nullable Object[] args) {
    StringBuilder out = new StringBuilder(method.length() + 16 * args.length + 8);
    string(out, method);
    out.append('(');
    for (Object arg : args) {
      value(out, arg);
    }
    return out.append(')').toString();
  }

  /** Whether values of {@code type} can always be encoded (checked once per method, at parse time). */
  static boolean encodable(Class<?> type) {
    if (type.isArray()) {
      return encodable(type.getComponentType());
    }
    return type.isPrimitive() || type == String.class || type == Object.class || type.isInterface()
        || Number.class.isAssignableFrom(type) && isKnownNumber(type) || type == Number.class
        || type == Boolean.class || type == Character.class || type.isEnum() || type.isRecord()
        || type == UUID.class || type == URI.class || TemporalAccessor.class.isAssignableFrom(type)
        || Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type)
        || type == Optional.class;
  }

  /**
   * Whether every value of the declared {@code type} compares by content with {@code equals}
   * (arrays through {@code Arrays.deepEquals}): boxed primitives, strings, enums, the JDK's value
   * classes, lists, sets, maps and optionals of such, records whose components are such. A raw
   * or unknown type ({@code Object}, {@code Collection}, a class of the user's) is not.
   */
  static boolean valueEqual(java.lang.reflect.Type type) {
    return valueEqual(type, true);
  }

  /**
   * {@code arrays}: whether arrays compare by content where {@code type} appears. They do as
   * arguments and inside arrays ({@code Arrays.deepEquals}); inside a collection, an optional or
   * a record they compare by identity.
   */
  private static boolean valueEqual(java.lang.reflect.Type type, boolean arrays) {
    if (type instanceof java.lang.reflect.ParameterizedType p
        && p.getRawType() instanceof Class<?> raw) {
      if (raw != List.class && raw != Set.class && raw != Map.class && raw != Optional.class) {
        return false;
      }
      for (java.lang.reflect.Type argument : p.getActualTypeArguments()) {
        if (!valueEqual(argument, false)) {
          return false;
        }
      }
      return true;
    }
    if (type instanceof java.lang.reflect.GenericArrayType array) {
      return arrays && valueEqual(array.getGenericComponentType(), true);
    }
    if (!(type instanceof Class<?> c)) {
      return false; // a type variable or wildcard: anything may come
    }
    if (c.isArray()) {
      return arrays && valueEqual(c.getComponentType(), true);
    }
    if (c.isPrimitive() || c == String.class || c == Boolean.class || c == Character.class
        || isKnownNumber(c) || c.isEnum() || c == UUID.class || c == URI.class
        || c.getPackageName().equals("java.time") && !c.isInterface()) {
      return true;
    }
    if (c.isRecord()) {
      for (RecordComponent component : c.getRecordComponents()) {
        if (!valueEqual(component.getGenericType(), false)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  private static boolean isKnownNumber(Class<?> type) {
    return type == Integer.class || type == Long.class || type == Short.class
        || type == Byte.class || type == Double.class || type == Float.class
        || type == BigInteger.class || type == BigDecimal.class;
  }

  private static void value(StringBuilder out, @Nullable Object value) {
    if (value == null) {
      out.append('n');
    } else if (value instanceof String s) {
      out.append('s');
      string(out, s);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte) {
      out.append(tag(value)).append(value).append(';');
    } else if (value instanceof Double d) {
      out.append('d').append(Long.toHexString(Double.doubleToLongBits(d))).append(';');
    } else if (value instanceof Float f) {
      out.append('f').append(Integer.toHexString(Float.floatToIntBits(f))).append(';');
    } else if (value instanceof Boolean b) {
      out.append(b ? "T" : "F");
    } else if (value instanceof Character c) {
      out.append('c').append((int) c).append(';');
    } else if (value instanceof Enum<?> e) {
      out.append('e');
      string(out, e.getDeclaringClass().getName());
      string(out, e.name());
    } else if (value instanceof BigInteger || value instanceof BigDecimal || value instanceof UUID
        || value instanceof URI || value instanceof TemporalAccessor) {
      // Their toString is their documented, parseable canonical form.
      out.append('o');
      string(out, value.getClass().getName());
      string(out, value.toString());
    } else if (value.getClass().isArray()) {
      array(out, value);
    } else if (value instanceof Record record) {
      record(out, record);
    } else if (value instanceof Optional<?> optional) {
      out.append('O');
      if (optional.isPresent()) {
        value(out, optional.get());
      } else {
        out.append('-');
      }
    } else if (value instanceof Set<?> set) {
      unordered(out, 'S', set);
    } else if (value instanceof Map<?, ?> map) {
      List<String> entries = new ArrayList<>(map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        StringBuilder entry = new StringBuilder();
        value(entry, e.getKey());
        value(entry, e.getValue());
        entries.add(entry.toString());
      }
      sorted(out, 'M', entries);
    } else if (value instanceof Collection<?> collection) {
      out.append('L').append(collection.size()).append(';');
      for (Object element : collection) {
        value(out, element);
      }
    } else {
      throw new IllegalArgumentException("a " + value.getClass().getName() + " has no canonical "
          + "key form: use a String, a boxed primitive, an enum, a record, an array or a "
          + "collection of such, mark other parameters with @CacheKey, or set a keyGenerator");
    }
  }

  private static char tag(Object number) {
    return number instanceof Integer ? 'i' : number instanceof Long ? 'l'
        : number instanceof Short ? 'h' : 'y';
  }

  private static void string(StringBuilder out, String s) {
    out.append(s.length()).append(':').append(s);
  }

  private static void array(StringBuilder out, Object array) {
    int length = Array.getLength(array);
    out.append('[');
    string(out, array.getClass().getComponentType().getName());
    out.append(length).append(';');
    for (int i = 0; i < length; i++) {
      value(out, Array.get(array, i));
    }
  }

  private static void record(StringBuilder out, Record record) {
    RecordComponent[] components = record.getClass().getRecordComponents();
    out.append('r');
    string(out, record.getClass().getName());
    out.append(components.length).append(';');
    for (RecordComponent component : components) {
      try {
        java.lang.reflect.Method accessor = component.getAccessor();
        accessor.trySetAccessible(); // records declared in non-public classes
        value(out, accessor.invoke(record));
      } catch (ReflectiveOperationException e) {
        throw new IllegalArgumentException("cannot read component " + component.getName()
            + " of " + record.getClass().getName() + ": " + e, e);
      }
    }
  }

  private static void unordered(StringBuilder out, char tag, Collection<?> elements) {
    List<String> encoded = new ArrayList<>(elements.size());
    for (Object element : elements) {
      StringBuilder one = new StringBuilder();
      value(one, element);
      encoded.add(one.toString());
    }
    sorted(out, tag, encoded);
  }

  private static void sorted(StringBuilder out, char tag, List<String> encoded) {
    Collections.sort(encoded);
    out.append(tag).append(encoded.size()).append(';');
    encoded.forEach(out::append);
  }
}
