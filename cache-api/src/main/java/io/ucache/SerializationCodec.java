package io.ucache;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Java serialization behind an allow-list and {@link SerializationLimits}. The JDK asks the
 * filter about each class in the stream after resolving it (loading without initializing) and
 * before creating any instance, so a class outside the list is never initialized or
 * instantiated; {@link BoundedObjectInputStream} bounds what an allowed stream may cost.
 */
final class SerializationCodec<V> implements ValueCodec<V> {

  /** JDK value types and the collections that carry them; none has dangerous side effects. */
  private static final Set<String> JDK_VALUE_TYPES = Set.of(
      "java.lang.Boolean", "java.lang.Byte", "java.lang.Character", "java.lang.Short",
      "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double",
      "java.lang.Number", "java.lang.String", "java.lang.Enum",
      "java.math.BigInteger", "java.math.BigDecimal", "java.time.Ser",
      // java.time.Ser and java.util.CollSer are read back through readResolve, and the JDK
      // filters the class readResolve returns too, so the real value classes must be listed.
      "java.time.Duration", "java.time.Instant", "java.time.LocalDate", "java.time.LocalTime",
      "java.time.LocalDateTime", "java.time.OffsetDateTime", "java.time.OffsetTime",
      "java.time.ZonedDateTime", "java.time.ZoneOffset", "java.time.ZoneRegion",
      "java.time.Period", "java.time.Year", "java.time.YearMonth", "java.time.MonthDay",
      "java.time.DayOfWeek", "java.time.Month",
      "java.util.ImmutableCollections$List12", "java.util.ImmutableCollections$ListN",
      "java.util.ImmutableCollections$Set12", "java.util.ImmutableCollections$SetN",
      "java.util.ImmutableCollections$Map1", "java.util.ImmutableCollections$MapN",
      "java.util.UUID", "java.util.Date", "java.util.Locale",
      "java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque",
      "java.util.HashMap", "java.util.LinkedHashMap", "java.util.TreeMap",
      "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet",
      "java.util.EnumMap", "java.util.EnumSet", "java.util.RegularEnumSet",
      "java.util.JumboEnumSet", "java.util.EnumSet$SerializationProxy",
      "java.util.CollSer", "java.util.Arrays$ArrayList",
      "java.util.Collections$EmptyList", "java.util.Collections$EmptySet",
      "java.util.Collections$EmptyMap", "java.util.Collections$SingletonList",
      "java.util.Collections$SingletonSet", "java.util.Collections$SingletonMap",
      "java.util.Collections$UnmodifiableCollection", "java.util.Collections$UnmodifiableList",
      "java.util.Collections$UnmodifiableRandomAccessList",
      "java.util.Collections$UnmodifiableSet", "java.util.Collections$UnmodifiableSortedSet",
      "java.util.Collections$UnmodifiableMap", "java.util.Collections$UnmodifiableSortedMap");

  private final ValueType<V> type;
  /** The class every value read back must be an instance of. */
  private final Class<? super V> valueClass;
  private final Set<Class<?>> allowed;
  private final SerializationLimits limits;
  /** The loader of the application's classes in the type, to resolve them when reading. */
  private final @Nullable ClassLoader loader;

  /**
   * Allows {@code type} and the application's classes it reaches (its type arguments, and the
   * declared types of their serialized fields, record components included, recursively;
   * {@link ValueType#applicationClasses()}), and {@code alsoAllowed} with theirs. JDK classes
   * are governed by the fixed list. A subclass hidden behind a field of an interface or abstract
   * type is not reached, and must be allowed explicitly.
   */
  SerializationCodec(ValueType<V> type, Set<Class<?>> alsoAllowed, SerializationLimits limits) {
    this.type = type;
    this.valueClass = type.rawType();
    this.limits = limits;
    Set<Class<?>> reachable = new HashSet<>(type.applicationClasses());
    for (Class<?> extra : alsoAllowed) {
      reachable.add(extra);
      reachable.addAll(ValueType.of(extra).applicationClasses());
    }
    this.allowed = Set.copyOf(reachable);
    this.loader = type.applicationClasses().stream().findFirst().map(Class::getClassLoader)
        .orElse(valueClass.getClassLoader());
  }

  /** Whether the filter lets instances of {@code c} (or arrays of them) be read back. */
  private boolean allows(Class<?> c) {
    boolean array = c.isArray();
    while (c.isArray()) {
      c = c.getComponentType();
    }
    if (array && (c == Object.class || c == Map.Entry.class)) {
      // ArrayList, HashMap, CollSer... check the type of their backing array before allocating
      // it; an array instantiates nothing, and each element is still filtered as it is read.
      return true;
    }
    return c.isPrimitive() || c == valueClass || allowed.contains(c)
        || JDK_VALUE_TYPES.contains(c.getName());
  }

  @Override
  public byte[] encode(V value) {
    if (!valueClass.isInstance(value)) {
      throw new CacheSerializationException("Cannot encode a " + value.getClass().getName()
          + " as " + type);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (ObjectOutputStream out = new CheckingOutputStream(bytes)) {
      out.writeObject(value);
    } catch (Refused e) {
      // Fail at put rather than store bytes that every later get would refuse to read.
      throw new CacheSerializationException("Cannot encode a " + value.getClass().getName()
          + " as " + type + ": it holds a " + e.getMessage() + ", which is neither "
          + "a declared field type of " + type + " nor a JDK value type, so it "
          + "could not be read back; pass it to ValueCodec.java(type, alsoAllowed)", e);
    } catch (IOException e) {
      throw new CacheSerializationException("Cannot serialize a " + value.getClass().getName()
          + ": " + e, e);
    }
    return bytes.toByteArray();
  }

  @Override
  public V decode(byte[] bytes) {
    BoundedObjectInputStream in = null;
    try {
      in = new BoundedObjectInputStream(bytes, limits, this::allows, loader);
      Object value = in.readObject();
      if (!valueClass.isInstance(value)) {
        throw new CacheSerializationException("Expected a " + type + " but read a "
            + (value == null ? "null" : value.getClass().getName()));
      }
      @SuppressWarnings("unchecked")
      V typed = (V) value;
      return typed;
    } catch (IOException | ClassNotFoundException | RuntimeException e) {
      if (e instanceof CacheSerializationException c) {
        throw c;
      }
      String refusal = in == null ? null : in.refusal();
      throw new CacheSerializationException(refusal != null
          ? "Refused to read a " + type.name() + " from " + bytes.length + " bytes: "
              + refusal
          : "Cannot read a " + type.name() + " from " + bytes.length + " bytes: " + e, e);
    } catch (StackOverflowError e) {
      // A collection that holds itself, read into a set, recurses in hashCode: the bytes are
      // at fault, not the program, so this is a refused value like any other.
      throw new CacheSerializationException("Cannot read a " + type.name() + " from "
          + bytes.length + " bytes: it recurses without end", e);
    }
  }

  /** Refuses, while writing, every class that {@link #check} would refuse while reading. */
  private final class CheckingOutputStream extends ObjectOutputStream {
    CheckingOutputStream(ByteArrayOutputStream out) throws IOException {
      super(out);
    }

    @Override
    protected void annotateClass(Class<?> c) {
      if (!allows(c)) {
        throw new Refused(c.getName());
      }
    }

    @Override
    protected void annotateProxyClass(Class<?> c) {
      throw new Refused("proxy " + c.getName());
    }
  }

  /**
   * A class the allow-list would refuse on reading; its message is the class's name. Unchecked
   * on purpose: ObjectOutputStream answers an IOException by serializing it into the stream,
   * which would run this check again on the exception's own class.
   */
  private static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refused(String className) {
      super(className);
    }
  }

  @Override
  public int id() {
    return 4;
  }

  @Override
  public String toString() {
    return "ValueCodec.java(" + type.name() + ")";
  }
}
