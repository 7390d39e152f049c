package io.ucache;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The canonical text of a cache key made of call arguments: what {@code @UCache} methods, Spring's
 * {@code @Cacheable} through UCache's {@code CacheManager}, and evictions from any process use,
 * so that a key can be read, computed by another service (in any language) and evicted from
 * anywhere. Format version {@value #FORMAT_VERSION}, specified in {@code docs/keys.md}:
 *
 * <ul>
 *   <li>arguments joined by {@code :} ({@code of("EUR", "USD")} is {@code EUR:USD}); no
 *       arguments is {@code ()};</li>
 *   <li>strings, numbers, booleans, characters, enums (by name), {@code UUID}, {@code URI} and
 *       {@code java.time} values as their text, with {@code % : , = [ ] { } ( ) ~ '} and control
 *       characters percent-encoded as UTF-8 ({@code "a:b"} is {@code a%3Ab}), the empty string
 *       as {@code ''};</li>
 *   <li>{@code null} and an empty {@code Optional} as {@code ~}, a present one as its value;</li>
 *   <li>arrays, lists and other collections as {@code [a,b]} in order, sets in sorted order of
 *       their elements' text;</li>
 *   <li>maps as {@code {k=v,k2=v2}} sorted by entry text, records as {@code {name=value,...}}
 *       in component order.</li>
 * </ul>
 *
 * <p>The text carries no Java type: {@code 42} and {@code "42"} give the same key, as they do
 * in any string-keyed store, and renaming a class changes no key. A store adds its own prefix (a
 * Redis key is {@code <namespace>:<cache>:<this text>}).
 *
 * <p>Thread-safe; stateless.
 */
public final class CacheKeys {

  /** The version of the format {@link #of} produces, as {@code docs/keys.md} specifies it. */
  public static final int FORMAT_VERSION = 1;

  /** What a key of no arguments is. */
  public static final String NO_ARGUMENTS = "()";

  /** Room left under {@code max-key-bytes} for what an engine adds to a key (an escape mark). */
  public static final int ENGINE_MARGIN = 8;

  private static final String HASHED_PREFIX = "#sha256:";

  /** How deep arguments may nest: deeper is taken for a value that refers to itself. */
  private static final int MAX_DEPTH = 64;

  private CacheKeys() {}

  /**
   * The key text of {@code arguments}, one value per call argument. An array meant as one
   * argument must be cast to {@code Object} ({@code of((Object) ids)}), or Java passes its
   * elements as the arguments.
   *
   * @throws IllegalArgumentException naming the argument if one has no canonical text: a class
   *     that is not a record, a collection or a known value type, or a string with a lone
   *     surrogate (it has no UTF-8 form)
   */
  public static String of(@Nullable Object... arguments) {
    if (arguments == null || arguments.length == 0) {
      return NO_ARGUMENTS;
    }
    StringBuilder out = new StringBuilder(16 * arguments.length);
    for (int i = 0; i < arguments.length; i++) {
      if (i > 0) {
        out.append(':');
      }
      value(out, arguments[i], 0);
    }
    return out.toString();
  }

  /**
   * {@code text} if its UTF-8 form fits in {@code maxBytes}; else {@code #sha256:} and the
   * lowercase hex SHA-256 of its UTF-8 bytes (72 characters). {@code @UCache} passes its
   * engine's {@code max-key-bytes} less {@link #ENGINE_MARGIN}, so that a long argument never
   * makes a key the engine refuses.
   */
  public static String limitedTo(String text, long maxBytes) {
    // Checking the char count first avoids encoding the common short key.
    if (text.length() * 3L <= maxBytes) {
      return text;
    }
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= maxBytes) {
      return text;
    }
    try {
      return HASHED_PREFIX
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(utf8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static void value(StringBuilder out, @Nullable Object value, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("a key argument nests deeper than " + MAX_DEPTH
          + " levels (does it refer to itself?): it has no canonical key form");
    }
    if (value == null) {
      out.append('~');
    } else if (value instanceof String s) {
      text(out, s);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte || value instanceof BigInteger || value instanceof Boolean) {
      out.append(value); // digits, a sign, true or false: nothing to escape
    } else if (value instanceof Double || value instanceof Float || value instanceof BigDecimal
        || value instanceof Character || value instanceof UUID || value instanceof URI
        || value instanceof TemporalAccessor) {
      text(out, value.toString());
    } else if (value instanceof Enum<?> e) {
      text(out, e.name());
    } else if (value instanceof Optional<?> optional) {
      value(out, optional.orElse(null), depth);
    } else if (value.getClass().isArray()) {
      int length = Array.getLength(value);
      out.append('[');
      for (int i = 0; i < length; i++) {
        if (i > 0) {
          out.append(',');
        }
        value(out, Array.get(value, i), depth + 1);
      }
      out.append(']');
    } else if (value instanceof Record record) {
      record(out, record, depth + 1);
    } else if (value instanceof Set<?> set) {
      List<String> elements = new ArrayList<>(set.size());
      for (Object element : set) {
        elements.add(encoded(element, depth + 1));
      }
      sorted(out, '[', elements, ']');
    } else if (value instanceof Map<?, ?> map) {
      List<String> entries = new ArrayList<>(map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        entries.add(encoded(e.getKey(), depth + 1) + '=' + encoded(e.getValue(), depth + 1));
      }
      sorted(out, '{', entries, '}');
    } else if (value instanceof Collection<?> collection) {
      out.append('[');
      boolean first = true;
      for (Object element : collection) {
        if (!first) {
          out.append(',');
        }
        first = false;
        value(out, element, depth + 1);
      }
      out.append(']');
    } else if (declaresEquals(value.getClass())) {
      fields(out, value, depth + 1);
    } else {
      throw noCanonicalForm(value.getClass(), "");
    }
  }

  private static IllegalArgumentException noCanonicalForm(Class<?> type, String why) {
    return new IllegalArgumentException("a " + type.getName() + " has no canonical key form"
        + why + ": use a String, a number, an enum, a record, a class that overrides equals, an "
        + "array or a collection of such, mark other parameters with @CacheKey, or set a "
        + "keyGenerator");
  }

  /**
   * Whether {@code type} says what makes two of its values equal, overriding {@code equals}: a
   * value class, whose fields can then form its key text. A class that keeps
   * {@code Object.equals} compares by identity, and has no key text that two calls could share.
   */
  private static boolean declaresEquals(Class<?> type) {
    if (type.isInterface() || type.isArray() || type.isPrimitive()) {
      return false;
    }
    try {
      return type.getMethod("equals", Object.class).getDeclaringClass() != Object.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static String encoded(@Nullable Object value, int depth) {
    StringBuilder one = new StringBuilder();
    value(one, value, depth);
    return one.toString();
  }

  private static void sorted(StringBuilder out, char open, List<String> encoded, char close) {
    Collections.sort(encoded);
    out.append(open).append(String.join(",", encoded)).append(close);
  }

  private static void record(StringBuilder out, Record record, int depth) {
    out.append('{');
    RecordComponent[] components = record.getClass().getRecordComponents();
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      if (i > 0) {
        out.append(',');
      }
      text(out, component.getName());
      out.append('=');
      try {
        java.lang.reflect.Method accessor = component.getAccessor();
        accessor.trySetAccessible(); // records declared in non-public classes
        value(out, accessor.invoke(record), depth);
      } catch (ReflectiveOperationException e) {
        throw new IllegalArgumentException("cannot read component " + component.getName()
            + " of " + record.getClass().getName() + ": " + e, e);
      }
    }
    out.append('}');
  }

  /** A value class's fields ({@link #KEY_FIELDS}) as {@code {name=value,...}}. */
  private static void fields(StringBuilder out, Object value, int depth) {
    Field[] fields = KEY_FIELDS.get(value.getClass());
    if (fields == null) {
      throw noCanonicalForm(value.getClass(), " (two of its fields share a name, or one cannot "
          + "be read: a JDK class, or a package of a named module not open to UCache)");
    }
    out.append('{');
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      text(out, fields[i].getName());
      out.append('=');
      try {
        value(out, fields[i].get(value), depth);
      } catch (IllegalAccessException e) {
        throw new IllegalArgumentException("cannot read field " + fields[i].getName() + " of "
            + value.getClass().getName() + ": " + e, e);
      }
    }
    out.append('}');
  }

  /**
   * The fields of a value class that form its key text: every instance field its compiler did
   * not add, its own and its superclasses', sorted by name; null when two share a name or one
   * cannot be made accessible. Transient fields count too: leaving out a field that
   * {@code equals} compares would give two unequal values one key, and so one's cached result to
   * the other; a field that equal values may hold differently (a cached hash) only costs a miss.
   * Computed once per class.
   */
  private static final ClassValue<Field @Nullable []> KEY_FIELDS = new ClassValue<>() {
    @Override
    protected Field @Nullable [] computeValue(Class<?> type) {
      Map<String, Field> byName = new TreeMap<>();
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        for (Field field : c.getDeclaredFields()) {
          int modifiers = field.getModifiers();
          if (Modifier.isStatic(modifiers) || field.isSynthetic()) {
            continue;
          }
          if (byName.put(field.getName(), field) != null || !field.trySetAccessible()) {
            return null;
          }
        }
      }
      return byName.values().toArray(Field[]::new);
    }
  };

  private static void text(StringBuilder out, String s) {
    if (s.isEmpty()) {
      out.append("''");
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          out.append(c).append(s.charAt(++i));
          continue;
        }
        throw new IllegalArgumentException("a string with a lone surrogate (\\u"
            + HexFormat.of().withUpperCase().toHexDigits(c) + " at index " + i + ") has no "
            + "canonical key form: it has no UTF-8 encoding");
      }
      if (escaped(c)) {
        out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
      } else {
        out.append(c);
      }
    }
  }

  /** The characters the format uses, and ASCII control characters (never inside a key). */
  private static boolean escaped(char c) {
    return c < 0x20 || c == 0x7F || c == '%' || c == ':' || c == ',' || c == '=' || c == '['
        || c == ']' || c == '{' || c == '}' || c == '(' || c == ')' || c == '~' || c == '\'';
  }
}
