package io.ucache.ehcache;

import io.ucache.CacheConfigException;
import io.ucache.CacheSerializationException;
import io.ucache.ValueCodec;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Turns keys into store keys ({@link EncodedKey#of}: the bytes, or the String they spell) and
 * back. Two keys are the same entry exactly when their bytes are equal, so every encoding here is
 * lossless and canonical:
 *
 * <ul>
 *   <li>{@code String}: each UTF-16 unit on its own, as Java's modified UTF-8 does (one byte for
 *       ASCII), so that even unpaired surrogates, which UTF-8 would turn into {@code ?}, keep
 *       their own key;
 *   <li>boxed primitives: their decimal text, encoded the same way ({@code equals} of two boxed
 *       values agrees with equality of their text, {@code -0.0} and {@code NaN} included);
 *   <li>other {@code Serializable} types and interfaces: Java serialization, read back through
 *       the same allow-list as values ({@link ValueCodec#java}).
 * </ul>
 *
 * <p>For serialized keys that means: equal keys must serialize to equal bytes (records, enums and
 * most value classes do; a {@code HashSet} of enums may not), and keys of different classes, such
 * as {@code List.of(1)} and {@code new ArrayList<>(List.of(1))}, are different keys.
 *
 * <p>Thread-safe and immutable.
 */
final class KeyCodec<K> {

  private static final Map<Class<?>, Function<String, ?>> TEXT_TYPES = Map.of(
      Integer.class, Integer::valueOf,
      Long.class, Long::valueOf,
      Short.class, Short::valueOf,
      Byte.class, Byte::valueOf,
      Double.class, Double::valueOf,
      Float.class, Float::valueOf,
      Boolean.class, Boolean::valueOf,
      Character.class, text -> text.charAt(0));

  private final Class<K> type;
  private final Function<K, byte[]> encoder;
  private final Function<byte[], K> decoder;
  private final String format;
  private final long maxBytes;

  private KeyCodec(Class<K> type, Function<K, byte[]> encoder, Function<byte[], K> decoder,
      String format) {
    this(type, encoder, decoder, format, Long.MAX_VALUE);
  }

  private KeyCodec(Class<K> type, Function<K, byte[]> encoder, Function<byte[], K> decoder,
      String format, long maxBytes) {
    this.type = type;
    this.encoder = encoder;
    this.decoder = decoder;
    this.format = format;
    this.maxBytes = maxBytes;
  }

  /** This codec, refusing keys longer than {@code maxBytes} encoded ({@code max-key-bytes}). */
  KeyCodec<K> limitedTo(long maxBytes) {
    return new KeyCodec<>(type, encoder, decoder, format, maxBytes);
  }

  /**
   * The codec for keys of {@code type}.
   *
   * @throws CacheConfigException naming the cache and the type if such keys cannot be stored on
   *     disk: arrays (compared by identity), primitives, and classes that are neither
   *     {@code Serializable} nor an interface
   */
  static <K> KeyCodec<K> forType(String cache, Class<K> type) {
    if (type == String.class) {
      return new KeyCodec<>(type, key -> encodeText((String) key),
          bytes -> type.cast(decodeText(bytes)), "text");
    }
    Function<String, ?> parser = TEXT_TYPES.get(type);
    if (parser != null) {
      return new KeyCodec<>(type, key -> encodeText(String.valueOf(key)),
          bytes -> type.cast(parser.apply(decodeText(bytes))), "text(" + type.getSimpleName() + ")");
    }
    if (type.isArray() || type.isPrimitive()
        || !(Serializable.class.isAssignableFrom(type) || type.isInterface())) {
      String why = type.isArray() ? "arrays are compared by identity, so no lookup could find them"
          : type.isPrimitive() ? "use its boxed class"
          : "it is neither a String, a boxed primitive nor Serializable";
      throw new CacheConfigException("Cache '" + cache + "' cannot store keys of type "
          + type.getName() + " on disk: " + why);
    }
    ValueCodec<K> java = ValueCodec.java(type);
    return new KeyCodec<>(type, java::encode, java::decode, java.toString());
  }

  /**
   * The bytes of {@code key}.
   *
   * @throws NullPointerException if {@code key} is null
   * @throws CacheSerializationException if the key cannot be serialized
   * @throws IllegalArgumentException if it is longer than {@link #limitedTo max-key-bytes}
   */
  Object encode(K key) {
    Objects.requireNonNull(key, "key");
    if (type == String.class && EncodedKey.isText((String) key)) {
      // The disk engine's hit path: an ASCII string's bytes are its characters, so the string is
      // its own store key and nothing is made.
      return checkLength(key, key);
    }
    byte[] bytes;
    try {
      bytes = encoder.apply(type.cast(key));
    } catch (CacheSerializationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheSerializationException("Cannot encode a key of type "
          + key.getClass().getName() + ": " + e, e);
    }
    return checkLength(EncodedKey.of(bytes), key);
  }

  /** @throws IllegalArgumentException if {@code encoded} is longer than max-key-bytes */
  private Object checkLength(Object encoded, K key) {
    int length = EncodedKey.length(encoded);
    if (length > maxBytes) {
      String text = String.valueOf(key);
      throw new IllegalArgumentException("A key of " + length + " bytes encoded is "
          + "longer than max-key-bytes (" + maxBytes + " bytes): '"
          + text.substring(0, Math.min(40, text.length())) + "...'");
    }
    return encoded;
  }

  /**
   * The bytes of {@code key}, or {@code null} if it is not a key of this type: for lookups
   * through {@code Map} methods, which take any object.
   */
  @Nullable Object encodeIfKey(Object key) {
    Objects.requireNonNull(key, "key");
    return type.isInstance(key) ? encode(type.cast(key)) : null;
  }

  /**
   * The key whose bytes these are.
   *
   * @throws CacheSerializationException if they are not a key of this type
   */
  K decode(Object encoded) {
    try {
      return type == String.class && encoded instanceof String text ? type.cast(text)
          : decoder.apply(EncodedKey.bytes(encoded));
    } catch (CacheSerializationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheSerializationException("Cannot read a key of type " + type.getName()
          + " from " + EncodedKey.length(encoded) + " bytes: " + e, e);
    }
  }

  /** How keys are encoded, for {@link CacheMetadata}: {@code text}, {@code text(Long)}... */
  String format() {
    return format;
  }

  /** Each UTF-16 unit as one, two or three bytes: modified UTF-8, without a length prefix. */
  static byte[] encodeText(String text) {
    // Most keys are ASCII, where modified UTF-8 and UTF-8 agree byte for byte (NUL aside), and
    // the JDK's UTF-8 encoder copies such a string's bytes at once (String keys of that kind
    // never get here: they are their own store keys). One byte per char and no NUL or
    // '?' (what the JDK writes for an unpaired surrogate) means every char was ASCII.
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    if (utf8.length == text.length() && asciiWithoutNulOrQuestionMark(utf8)) {
      return utf8;
    }
    return encodeEachUnit(text);
  }

  private static boolean asciiWithoutNulOrQuestionMark(byte[] bytes) {
    for (byte b : bytes) {
      if (b == 0 || b == '?') {
        return false;
      }
    }
    return true;
  }

  private static byte[] encodeEachUnit(String text) {
    int length = text.length();
    int size = length;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c == 0 || c >= 0x80) {
        size += c < 0x800 ? 1 : 2;
      }
    }
    byte[] bytes = new byte[size];
    int at = 0;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c != 0 && c < 0x80) {
        bytes[at++] = (byte) c;
      } else if (c < 0x800) {
        bytes[at++] = (byte) (0xC0 | (c >> 6));
        bytes[at++] = (byte) (0x80 | (c & 0x3F));
      } else {
        bytes[at++] = (byte) (0xE0 | (c >> 12));
        bytes[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        bytes[at++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return bytes;
  }

  /**
   * The inverse of {@link #encodeText}.
   *
   * @throws IllegalArgumentException if the bytes are not such an encoding
   */
  static String decodeText(byte[] bytes) {
    StringBuilder text = new StringBuilder(bytes.length);
    int at = 0;
    while (at < bytes.length) {
      int b = bytes[at++] & 0xFF;
      if (b < 0x80) {
        text.append((char) b);
      } else if ((b & 0xE0) == 0xC0 && at < bytes.length) {
        text.append((char) (((b & 0x1F) << 6) | continuation(bytes[at++])));
      } else if ((b & 0xF0) == 0xE0 && at + 1 < bytes.length) {
        int high = continuation(bytes[at++]);
        text.append((char) (((b & 0x0F) << 12) | (high << 6) | continuation(bytes[at++])));
      } else {
        throw new IllegalArgumentException("not a text key: byte " + (at - 1));
      }
    }
    return text.toString();
  }

  private static int continuation(byte b) {
    if ((b & 0xC0) != 0x80) {
      throw new IllegalArgumentException("not a text key: bad continuation byte");
    }
    return b & 0x3F;
  }

  @Override
  public String toString() {
    return "KeyCodec(" + type.getName() + ", " + format + ")";
  }
}
