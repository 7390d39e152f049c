package io.ucache;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Turns values into bytes and back, for engines that store bytes (disk, Redis). Implementations
 * are thread-safe and never see {@code null} (engines store cached nulls their own way).
 *
 * <p>Built-ins: {@link #utf8()} for {@code String} (plain UTF-8, so other clients can read it),
 * {@link #bytes()} for {@code byte[]}, {@link #text(Class)} for boxed primitives as decimal text,
 * and {@link #java(Class, Class[])}: Java serialization guarded by an
 * {@link java.io.ObjectInputFilter} allow-list, so that nothing outside the declared type, the
 * classes you add and the JDK's value types is ever instantiated; and {@link #json} through
 * Jackson 3 when it is on the class path.
 *
 * @param <V> the value type
 */
public interface ValueCodec<V> {

  /**
   * The bytes for {@code value}.
   *
   * @throws CacheSerializationException if the value cannot be encoded; engines call this before
   *     anything is written, so a bad value fails at {@code put}
   */
  byte[] encode(V value);

  /**
   * The value for {@code bytes}.
   *
   * @throws CacheSerializationException if the bytes are foreign, corrupt or name a class that
   *     is not allowed
   */
  V decode(byte[] bytes);

  /**
   * The number that stored-value headers record for this codec, so that a reader knows which
   * codec wrote a value ({@code io.ucache.spi.StoredValueFormat}): 1 {@link #utf8()}, 2
   * {@link #bytes()}, 3 {@link #text(Class)}, 4 {@link #java}, 5 {@link #json}; 6 to 127 are
   * reserved for later UCache codecs. A codec of your own returns 128 (the default) to 255; give
   * two codecs that can be configured for the same cache different numbers.
   */
  default int id() {
    return 128;
  }

  /** Strings as plain UTF-8. */
  static ValueCodec<String> utf8() {
    return Codecs.UTF8;
  }

  /** Byte arrays as they are (copied, so callers cannot change what is cached). */
  static ValueCodec<byte[]> bytes() {
    return Codecs.BYTES;
  }

  /**
   * A boxed primitive ({@code Integer}, {@code Long}, {@code Double}, {@code Boolean}, ...) as
   * its decimal text in UTF-8, readable by any client.
   *
   * @throws IllegalArgumentException if {@code type} is not a boxed primitive
   */
  static <V> ValueCodec<V> text(Class<V> type) {
    return Codecs.text(type);
  }

  /**
   * Java serialization of {@code type}, reading back only {@code type}, the types its fields
   * declare (recursively, type arguments included: a {@code record Order(Customer c,
   * List<Line> lines)} allows {@code Customer} and {@code Line}), the classes in
   * {@code alsoAllowed} (subclasses hiding behind a field of an interface or abstract type) and
   * JDK value types (boxed primitives, {@code String}, {@code java.math}, {@code java.time},
   * {@code UUID}, the standard lists, sets and maps, primitive arrays). Anything else in the
   * stream is rejected before it is instantiated, and a value holding anything else is refused
   * when encoded, so it never reaches storage.
   */
  static <V> ValueCodec<V> java(Class<V> type, Class<?>... alsoAllowed) {
    return java(type, SerializationLimits.DEFAULTS, alsoAllowed);
  }

  /**
   * {@link #java(Class, Class[])} with other limits on what reading one value may cost: array
   * length, nesting depth, number of objects, stream bytes and collection tree size. A stream
   * past any of them is refused with a {@link CacheSerializationException} before the memory or
   * work is spent; see {@link SerializationLimits} for the defaults and why.
   */
  static <V> ValueCodec<V> java(Class<V> type, SerializationLimits limits,
      Class<?>... alsoAllowed) {
    return new SerializationCodec<>(ValueType.of(Objects.requireNonNull(type, "type")),
        Set.of(alsoAllowed), Objects.requireNonNull(limits, "limits"));
  }

  /**
   * Values as JSON, read back as {@code type} with all its type arguments, through Jackson 3
   * ({@code tools.jackson.core:jackson-databind}, which the application brings). Strict: a value
   * of another shape (an unknown or a missing property) fails to read, so the cache counts a miss.
   *
   * @throws CacheConfigException if Jackson 3 is not on the class path, or {@code type} is not
   *     one JSON can give back as it was ({@link #forType})
   */
  static <V> ValueCodec<V> json(ValueType<V> type) {
    return forType("json", type);
  }

  /**
   * The codec that the configuration key {@code codec} names for {@code type}.
   *
   * @throws CacheConfigException if the codec cannot handle {@code type}, or {@code json} is
   *     asked for without Jackson on the class path
   */
  static <V> ValueCodec<V> forType(String codec, Class<V> type) {
    return forType(codec, ValueType.of(Objects.requireNonNull(type, "type")));
  }

  /**
   * The codec that the configuration key {@code codec} names for the generic {@code type}:
   * {@code auto} picks {@link #utf8()} for {@code String}, {@link #bytes()} for {@code byte[]},
   * {@link #text(Class)} for boxed primitives; for any other type JSON when Jackson 3 is on the
   * class path and JSON gives the type back as it was (no {@code Object}, interface or abstract
   * type where a value's class would be lost, except lists, sets, maps and optionals of such),
   * else Java serialization when the type is {@code Serializable}. {@code string},
   * {@code bytes}, {@code java} and {@code json} force one.
   *
   * @throws CacheConfigException if the codec cannot handle {@code type}, or {@code json} is
   *     asked for without Jackson on the class path
   */
  @SuppressWarnings("unchecked")
  static <V> ValueCodec<V> forType(String codec, ValueType<V> type) {
    Objects.requireNonNull(type, "type");
    Class<? super V> raw = type.rawType();
    String name = codec.toLowerCase(Locale.ROOT);
    switch (name) {
      case "auto":
        if (type.isClass() && raw == String.class) {
          return (ValueCodec<V>) utf8();
        }
        if (type.isClass() && raw == byte[].class) {
          return (ValueCodec<V>) bytes();
        }
        if (type.isClass() && Codecs.isTextType(raw)) {
          return (ValueCodec<V>) text(raw);
        }
        String lost = JsonTypes.lostBy(type.type());
        if (lost == null && JsonTypes.jacksonPresent()) {
          return new JsonCodec<>(type);
        }
        if (Serializable.class.isAssignableFrom(raw) || raw.isInterface() || raw == Object.class) {
          // Object: any JDK value type the allow-list admits (and evictions by key, which
          // decode nothing, from a process that does not know the cache's value type).
          return java(type);
        }
        throw new CacheConfigException("codec", "No codec for " + type + ": it is not a String, "
            + "byte[], boxed primitive or Serializable" + (lost != null
                ? ", and JSON would not give it back as it was (" + lost + "); make it "
                    + "Serializable, or declare concrete types"
                : JsonTypes.jacksonPresent() ? "" : "; make it Serializable, or add Jackson 3 "
                    + "(tools.jackson.core:jackson-databind) to the class path for JSON"));
      case "string":
        if (!type.isClass() || raw != String.class) {
          throw new CacheConfigException("codec", "codec=string stores String values, not "
              + type);
        }
        return (ValueCodec<V>) utf8();
      case "bytes":
        if (!type.isClass() || raw != byte[].class) {
          throw new CacheConfigException("codec", "codec=bytes stores byte[] values, not "
              + type);
        }
        return (ValueCodec<V>) bytes();
      case "java":
        return java(type);
      case "json":
        if (!JsonTypes.jacksonPresent()) {
          throw new CacheConfigException("codec", "codec=json needs Jackson 3 on the class "
              + "path: add tools.jackson.core:jackson-databind (Spring Boot 4 brings it)");
        }
        String notJson = JsonTypes.lostBy(type.type());
        if (notJson != null) {
          throw new CacheConfigException("codec", "codec=json cannot give " + type + " back as "
              + "it was: " + notJson + "; declare concrete types, or use codec=java");
        }
        return new JsonCodec<>(type);
      default:
        throw new CacheConfigException("codec", "Codec '" + codec + "' is not available here; "
            + "available: auto, string, bytes, java, json");
    }
  }

  /** {@link #java(Class, Class[])} for a generic type: its type arguments are allowed too. */
  static <V> ValueCodec<V> java(ValueType<V> type, Class<?>... alsoAllowed) {
    return new SerializationCodec<>(type, Set.of(alsoAllowed), SerializationLimits.DEFAULTS);
  }
}
