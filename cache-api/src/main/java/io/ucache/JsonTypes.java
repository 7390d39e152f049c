package io.ucache;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Whether JSON can give a value of a declared type back as it was, and whether Jackson is there
 * at all; apart from {@link JsonCodec} so that asking loads no Jackson class. JSON carries no
 * Java class: a value declared as {@code Object}, an interface or an abstract class comes back as
 * whatever JSON makes of it (a map, a list, a double), a silently different value, so such types
 * are left to Java serialization. Lists, sets, maps and optionals of known element types are
 * fine: they come back equal. Thread-safe; stateless.
 */
final class JsonTypes {
  private JsonTypes() {}

  private static final boolean JACKSON = present();

  private static final Set<Class<?>> CONTAINERS =
      Set.of(List.class, Set.class, Map.class, Collection.class, Optional.class);

  /** The JDK's value classes JSON writes and reads back equal (java.time's too, below). */
  private static final Set<Class<?>> JDK_VALUES = Set.of(String.class, Boolean.class,
      Character.class, Byte.class, Short.class, Integer.class, Long.class, Float.class,
      Double.class, java.math.BigInteger.class, java.math.BigDecimal.class, java.util.UUID.class,
      java.net.URI.class, java.util.Locale.class, java.util.Currency.class,
      java.util.Date.class);

  /** Whether Jackson 3's databind is on the class path. */
  static boolean jacksonPresent() {
    return JACKSON;
  }

  private static boolean present() {
    try {
      Class.forName("tools.jackson.databind.json.JsonMapper", false,
          JsonTypes.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * Why JSON would not give values of {@code type} back as they were ("a field Object payload
   * of com.example.Order"), or null when it would.
   */
  static @Nullable String lostBy(Type type) {
    return lostBy(type, new HashSet<>(), null);
  }

  private static @Nullable String lostBy(Type type, Set<Class<?>> seen, @Nullable String where) {
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
      boolean jdkContainer = ValueType.isJdk(raw) && !raw.isInterface()
          && !Modifier.isAbstract(raw.getModifiers())
          && (Collection.class.isAssignableFrom(raw) || Map.class.isAssignableFrom(raw));
      if (!CONTAINERS.contains(raw) && !jdkContainer) {
        String rawLost = lostBy(raw, seen, where);
        if (rawLost != null) {
          return rawLost;
        }
      }
      for (Type argument : p.getActualTypeArguments()) {
        String lost = lostBy(argument, seen, where);
        if (lost != null) {
          return lost;
        }
      }
      return null;
    }
    if (type instanceof GenericArrayType array) {
      return lostBy(array.getGenericComponentType(), seen, where);
    }
    if (!(type instanceof Class<?> c)) {
      return describe(type, where); // a wildcard or type variable: its values' class is unknown
    }
    while (c.isArray()) {
      c = c.getComponentType();
    }
    if (c.isPrimitive() || c.isEnum() || JDK_VALUES.contains(c)
        || c.getPackageName().equals("java.time") && !c.isInterface()
            && !Modifier.isAbstract(c.getModifiers())) {
      return null;
    }
    if (ValueType.isJdk(c) || c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
      // Object, an interface or abstract class, a JDK class that is no plain value (a Thread),
      // or a raw collection whose elements' class is unknown.
      return describe(c, where);
    }
    if (!seen.add(c)) {
      return null;
    }
    if (c.isRecord()) {
      for (RecordComponent component : c.getRecordComponents()) {
        String lost = lostBy(component.getGenericType(), seen,
            component.getName() + " of " + c.getName());
        if (lost != null) {
          return lost;
        }
      }
      return null;
    }
    for (Class<?> k = c; k != null && !ValueType.isJdk(k); k = k.getSuperclass()) {
      for (Field field : k.getDeclaredFields()) {
        int modifiers = field.getModifiers();
        if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers)
            || field.isSynthetic()) {
          continue;
        }
        String lost = lostBy(field.getGenericType(), seen,
            field.getName() + " of " + c.getName());
        if (lost != null) {
          return lost;
        }
      }
    }
    return null;
  }

  private static String describe(Type type, @Nullable String where) {
    return (where == null ? "" : where + " is ") + "declared " + type.getTypeName()
        + ", which JSON would not give back as the class it held";
  }
}
