package io.ucache.interceptor;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What the declared type of a key parameter allows, checked once per method when its
 * annotations are parsed: whether its values have a canonical text ({@link io.ucache.CacheKeys})
 * and whether they compare by content, so that an in-process engine may keep them as keys.
 */
final class KeyTypes {
  private KeyTypes() {}

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
        || type == Optional.class || declaresEquals(type);
  }

  /**
   * A value class, whose values have key text by their fields ({@link io.ucache.CacheKeys}): it
   * overrides {@code equals}, and its package is open to UCache, which reads the fields (a JDK
   * class such as {@code java.io.File} is not).
   */
  private static boolean declaresEquals(Class<?> type) {
    try {
      return type.getMethod("equals", Object.class).getDeclaringClass() != Object.class
          && type.getModule().isOpen(type.getPackageName(), KeyTypes.class.getModule());
    } catch (NoSuchMethodException e) {
      return false; // every class has equals; an interface's getMethod may not list it
    }
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
}
