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
 * classes you add and the JDK's value types is ever instantiated.
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
   * {@link #bytes()}, 3 {@link #text(Class)}, 4 {@link #java}; 5 is reserved for JSON and 6 to
   * 127 for later UCache codecs. A codec of your own returns 128 (the default) to 255; give two
   * codecs that can be configured for the same cache different numbers.
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
    return new SerializationCodec<>(Objects.requireNonNull(type, "type"), Set.of(alsoAllowed),
        Objects.requireNonNull(limits, "limits"));
  }

  /**
   * The codec that the configuration key {@code codec} names for {@code type}: {@code auto}
   * picks {@link #utf8()}, {@link #bytes()}, {@link #text(Class)} or {@link #java} by type;
   * {@code string}, {@code bytes} and {@code java} force one.
   *
   * @throws CacheConfigException if the codec cannot handle {@code type}, or {@code json} is
   *     asked for without Jackson on the class path
   */
  @SuppressWarnings("unchecked")
  static <V> ValueCodec<V> forType(String codec, Class<V> type) {
    Objects.requireNonNull(type, "type");
    String name = codec.toLowerCase(Locale.ROOT);
    switch (name) {
      case "auto":
        if (type == String.class) {
          return (ValueCodec<V>) utf8();
        }
        if (type == byte[].class) {
          return (ValueCodec<V>) bytes();
        }
        if (Codecs.isTextType(type)) {
          return text(type);
        }
        if (Serializable.class.isAssignableFrom(type) || type.isInterface()) {
          return java(type);
        }
        throw new CacheConfigException("codec", "No codec for " + type.getName()
            + ": it is not a String, byte[], boxed primitive or Serializable; make it "
            + "Serializable or set codec=json with Jackson on the class path");
      case "string":
        if (type != String.class) {
          throw new CacheConfigException("codec", "codec=string stores String values, not "
              + type.getName());
        }
        return (ValueCodec<V>) utf8();
      case "bytes":
        if (type != byte[].class) {
          throw new CacheConfigException("codec", "codec=bytes stores byte[] values, not "
              + type.getName());
        }
        return (ValueCodec<V>) bytes();
      case "java":
        return java(type);
      default:
        throw new CacheConfigException("codec", "Codec '" + codec + "' is not available here; "
            + "available: auto, string, bytes, java");
    }
  }
}
