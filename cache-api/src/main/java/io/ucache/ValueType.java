package io.ucache;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The full, generic type of a cache's values, such as {@code List<Item>}, which a {@code Class}
 * cannot express. Capture one with an anonymous subclass, or wrap a class or a reflected type:
 *
 * <pre>{@code
 * Cache<String, List<Item>> items = engine.cache("items", String.class, new ValueType<List<Item>>() {});
 * Cache<String, Item> one = engine.cache("item", String.class, ValueType.of(Item.class));
 * }</pre>
 *
 * <p>Codecs read it to decode what they stored (JSON needs {@code Item} to rebuild the list's
 * elements; Java serialization allows {@code Item} because the type names it). Two value types
 * are equal when their types are: {@code ValueType.of(String.class)} equals
 * {@code new ValueType<String>() {}}.
 *
 * <p>Immutable and thread-safe. Nulls: none accepted.
 *
 * @param <T> the value type
 */
public class ValueType<T> {

  private final Type type;
  private final Class<? super T> rawType;

  /**
   * Captures the type argument of an anonymous subclass: {@code new ValueType<List<Item>>() {}}.
   *
   * @throws IllegalArgumentException if the type argument is missing or a type variable
   */
  protected ValueType() {
    Type superclass = getClass().getGenericSuperclass();
    if (!(superclass instanceof ParameterizedType parameterized)) {
      throw new IllegalArgumentException("new ValueType<...>() {} needs a type argument");
    }
    this.type = checked(parameterized.getActualTypeArguments()[0]);
    this.rawType = rawTypeOf(type);
  }

  private ValueType(Type type) {
    this.type = checked(type);
    this.rawType = rawTypeOf(type);
  }

  /** The value type {@code type}, a plain class. */
  public static <T> ValueType<T> of(Class<T> type) {
    return new ValueType<>(Objects.requireNonNull(type, "type"));
  }

  /**
   * The value type {@code type}, such as a method's generic return type.
   *
   * @throws IllegalArgumentException if it is or holds a type variable ({@code List<T>}): the
   *     values' type must be known
   */
  public static ValueType<?> of(Type type) {
    return new ValueType<>(Objects.requireNonNull(type, "type"));
  }

  /** The full type, as given. */
  public final Type type() {
    return type;
  }

  /** The class of the values ({@code List} for {@code List<Item>}). */
  public final Class<? super T> rawType() {
    return rawType;
  }

  /** Whether this is a plain class, without type arguments. */
  public final boolean isClass() {
    return type instanceof Class<?>;
  }

  /**
   * The name of the type, the same in every JVM: the class's binary name for a plain class
   * ({@code com.example.Item}), else the type's name with its arguments
   * ({@code java.util.List<com.example.Item>}).
   */
  public final String name() {
    return type instanceof Class<?> c ? c.getName() : type.getTypeName();
  }

  /**
   * What a stored value of this type looks like: for each class of the application's that the
   * type reaches (its own, its type arguments', its fields' and record components', recursively),
   * the class name and its fields' names and declared types, sorted. Empty when the type reaches
   * only JDK classes. When a deploy adds, removes, renames or retypes a field, the shape changes,
   * which is how stored values of the old shape are told apart.
   */
  public final String shape() {
    TreeMap<String, String> classes = new TreeMap<>();
    for (Class<?> c : applicationClasses()) {
      List<String> fields = new ArrayList<>();
      if (c.isRecord()) {
        for (RecordComponent component : c.getRecordComponents()) {
          fields.add(component.getName() + ":" + component.getGenericType().getTypeName());
        }
      } else {
        for (Class<?> k = c; k != null && !isJdk(k); k = k.getSuperclass()) {
          for (Field field : k.getDeclaredFields()) {
            if (stored(field)) {
              fields.add(field.getName() + ":" + field.getGenericType().getTypeName());
            }
          }
        }
        Collections.sort(fields);
      }
      classes.put(c.getName(), String.join(",", fields));
    }
    StringBuilder out = new StringBuilder();
    classes.forEach((name, fields) -> out.append(name).append('{').append(fields).append('}'));
    return out.toString();
  }

  /**
   * The application's classes (not the JDK's) this type reaches: itself, its type arguments, and
   * recursively the declared types of their stored fields. A subclass hidden behind a field of
   * an interface or abstract type is not reached.
   */
  public final Set<Class<?>> applicationClasses() {
    Set<Class<?>> found = new LinkedHashSet<>();
    reach(type, found);
    return Collections.unmodifiableSet(found);
  }

  private static void reach(Type type, Set<Class<?>> found) {
    if (type instanceof ParameterizedType p) {
      reach(p.getRawType(), found);
      for (Type argument : p.getActualTypeArguments()) {
        reach(argument, found);
      }
    } else if (type instanceof GenericArrayType array) {
      reach(array.getGenericComponentType(), found);
    } else if (type instanceof WildcardType wildcard) {
      for (Type bound : wildcard.getUpperBounds()) {
        reach(bound, found);
      }
    } else if (type instanceof Class<?> c) {
      while (c.isArray()) {
        c = c.getComponentType();
      }
      if (c.isPrimitive() || isJdk(c) || !found.add(c)) {
        return;
      }
      for (Class<?> k = c; k != null && !isJdk(k); k = k.getSuperclass()) {
        for (Field field : k.getDeclaredFields()) {
          if (stored(field)) {
            reach(field.getGenericType(), found);
          }
        }
      }
    }
  }

  private static boolean stored(Field field) {
    int modifiers = field.getModifiers();
    return !Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers)
        && !field.isSynthetic();
  }

  static boolean isJdk(Class<?> c) {
    String name = c.getName();
    return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.");
  }

  private static Type checked(Type type) {
    if (type instanceof TypeVariable<?> variable) {
      throw new IllegalArgumentException("A value type must be known: '" + variable
          + "' is a type variable");
    }
    if (type instanceof ParameterizedType p) {
      for (Type argument : p.getActualTypeArguments()) {
        checked(argument);
      }
    } else if (type instanceof GenericArrayType array) {
      checked(array.getGenericComponentType());
    }
    return type;
  }

  @SuppressWarnings("unchecked")
  private static <T> Class<? super T> rawTypeOf(Type type) {
    if (type instanceof Class<?> c) {
      return (Class<? super T>) c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<? super T>) p.getRawType();
    }
    if (type instanceof GenericArrayType array) {
      return (Class<? super T>) rawTypeOf(array.getGenericComponentType()).arrayType();
    }
    if (type instanceof WildcardType wildcard) {
      return (Class<? super T>) rawTypeOf(wildcard.getUpperBounds()[0]);
    }
    throw new IllegalArgumentException("Not a value type: " + type);
  }

  @Override
  public final boolean equals(Object o) {
    return o instanceof ValueType<?> other && type.equals(other.type);
  }

  @Override
  public final int hashCode() {
    return type.hashCode();
  }

  @Override
  public String toString() {
    return type.getTypeName();
  }
}
