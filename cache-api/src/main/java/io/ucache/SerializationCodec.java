package io.ucache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Set;

/**
 * Java serialization behind an allow-list. The filter is checked by the JDK before each class in
 * the stream is resolved, so a class outside the list is never loaded or instantiated.
 */
final class SerializationCodec<V> implements ValueCodec<V> {

  /** JDK value types and the collections that carry them; none has dangerous side effects. */
  private static final Set<String> JDK_VALUE_TYPES = Set.of(
      "java.lang.Boolean", "java.lang.Byte", "java.lang.Character", "java.lang.Short",
      "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double",
      "java.lang.Number", "java.lang.String", "java.lang.Enum",
      "java.math.BigInteger", "java.math.BigDecimal", "java.time.Ser",
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

  private static final long MAX_DEPTH = 32;
  private static final long MAX_REFERENCES = 1_000_000;
  private static final long MAX_ARRAY_LENGTH = 64 * 1024 * 1024;

  private final Class<V> type;
  private final Set<Class<?>> allowed;
  private final ObjectInputFilter filter = this::check;

  SerializationCodec(Class<V> type, Set<Class<?>> alsoAllowed) {
    this.type = type;
    this.allowed = alsoAllowed;
  }

  @Override
  public byte[] encode(V value) {
    if (!type.isInstance(value)) {
      throw new CacheSerializationException("Cannot encode a " + value.getClass().getName()
          + " as " + type.getName());
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new CacheSerializationException("Cannot serialize a " + value.getClass().getName()
          + ": " + e, e);
    }
    return bytes.toByteArray();
  }

  @Override
  public V decode(byte[] bytes) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      in.setObjectInputFilter(filter);
      Object value = in.readObject();
      if (!type.isInstance(value)) {
        throw new CacheSerializationException("Expected a " + type.getName() + " but read a "
            + (value == null ? "null" : value.getClass().getName()));
      }
      return type.cast(value);
    } catch (InvalidClassException e) {
      throw new CacheSerializationException("Refused to read " + type.getName() + ": " + e.getMessage(), e);
    } catch (IOException | ClassNotFoundException | RuntimeException e) {
      throw new CacheSerializationException("Cannot read a " + type.getName() + " from "
          + bytes.length + " bytes: " + e, e);
    }
  }

  private ObjectInputFilter.Status check(ObjectInputFilter.FilterInfo info) {
    if (info.depth() > MAX_DEPTH || info.references() > MAX_REFERENCES
        || info.arrayLength() > MAX_ARRAY_LENGTH) {
      return ObjectInputFilter.Status.REJECTED;
    }
    Class<?> c = info.serialClass();
    if (c == null) {
      return ObjectInputFilter.Status.UNDECIDED;
    }
    while (c.isArray()) {
      c = c.getComponentType();
    }
    if (c.isPrimitive() || c == type || allowed.contains(c)
        || JDK_VALUE_TYPES.contains(c.getName())) {
      return ObjectInputFilter.Status.ALLOWED;
    }
    return ObjectInputFilter.Status.REJECTED;
  }

  @Override
  public String toString() {
    return "ValueCodec.java(" + type.getName() + ")";
  }
}
