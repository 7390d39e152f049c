package io.ucache.sqlite;

import io.ucache.CacheConfigException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The text a key is stored as, in the {@code key} column of the database, so that
 * {@code sqlite3} and the {@code ucache} CLI read it: a {@code String} key is its text (one that
 * starts with {@code #} gets a second one), any other key {@code #<type>:<canonical text>}
 * ({@code #int:1}, {@code #uuid:...}), so keys of different types never meet. A key is read back
 * only from its own type's canonical text; anything else in the column is another type's or
 * foreign, and skipped. Immutable and thread-safe.
 *
 * @param <K> the key type
 */
final class SqliteKeys<K> {

  private record KeyType(Function<String, ?> parser, String marker) {}

  private static final Map<Class<?>, KeyType> TYPES = Map.of(
      String.class, new KeyType(Function.identity(), ""),
      Integer.class, new KeyType(Integer::valueOf, "#int:"),
      Long.class, new KeyType(Long::valueOf, "#long:"),
      Short.class, new KeyType(Short::valueOf, "#short:"),
      Byte.class, new KeyType(Byte::valueOf, "#byte:"),
      Character.class, new KeyType(SqliteKeys::character, "#char:"),
      Boolean.class, new KeyType(SqliteKeys::bool, "#bool:"),
      UUID.class, new KeyType(UUID::fromString, "#uuid:"));

  private final Class<K> type;
  private final KeyType keyType;
  private final String cache;
  private final long maxKeyBytes;

  private SqliteKeys(Class<K> type, String cache, long maxKeyBytes) {
    this.type = type;
    this.keyType = TYPES.get(type);
    this.cache = cache;
    this.maxKeyBytes = maxKeyBytes;
  }

  /**
   * The keys of cache {@code cache}, for keys of {@code type}, at most {@code maxKeyBytes} long.
   *
   * @throws CacheConfigException if keys of {@code type} cannot be stored as text
   */
  static <K> SqliteKeys<K> of(Class<K> type, String cache, long maxKeyBytes) {
    if (!TYPES.containsKey(type)) {
      throw new CacheConfigException("Cache '" + cache + "': the sqlite engine stores keys of "
          + "type String, a boxed primitive or UUID, not " + type.getName() + "; turn the key "
          + "into a String (@UCache keys are)");
    }
    return new SqliteKeys<>(type, cache, maxKeyBytes);
  }

  /**
   * The stored text of {@code key}.
   *
   * @throws IllegalArgumentException if the key holds an unpaired surrogate (the database stores
   *     text as UTF-8, which has no bytes for one, so it would share its row with the same text
   *     holding {@code ?}), or is longer than {@code max-key-bytes}
   */
  String encode(K key) {
    String text = String.valueOf(key);
    int unpaired = unpairedSurrogate(text);
    if (unpaired >= 0) {
      throw new IllegalArgumentException("A key holding the unpaired surrogate U+"
          + Integer.toHexString(text.charAt(unpaired)).toUpperCase(Locale.ROOT) + " at index "
          + unpaired + " cannot be stored by the sqlite engine: its keys are UTF-8 text, which "
          + "has no bytes for it");
    }
    String stored = keyType.marker() + (type == String.class && text.startsWith("#")
        ? "#" + text : text);
    long bytes = stored.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxKeyBytes) {
      throw new IllegalArgumentException("Cache '" + cache + "': a key of " + bytes
          + " bytes is longer than max-key-bytes (" + maxKeyBytes + " bytes): '"
          + text.substring(0, Math.min(40, text.length())) + "...'");
    }
    return stored;
  }

  /** The key stored as {@code text}, or {@code null} if it is another type's or foreign. */
  @Nullable K decode(String text) {
    String body;
    if (type == String.class) {
      if (text.startsWith("##")) {
        body = text.substring(1);
      } else if (text.startsWith("#")) {
        return null;
      } else {
        body = text;
      }
    } else if (text.startsWith(keyType.marker())) {
      body = text.substring(keyType.marker().length());
    } else {
      return null;
    }
    K key;
    try {
      key = type.cast(keyType.parser().apply(body));
    } catch (RuntimeException e) {
      return null;
    }
    // Only the canonical text is this key: #int:+1 is not the key 1.
    return key != null && keyType.marker().concat(type == String.class && body.startsWith("#")
        ? "#" + body : body).equals(text) && String.valueOf(key).equals(body) ? key : null;
  }

  private static Character character(String text) {
    if (text.length() != 1) {
      throw new IllegalArgumentException("not one char: " + text);
    }
    return text.charAt(0);
  }

  private static Boolean bool(String text) {
    if (!text.equals("true") && !text.equals("false")) {
      throw new IllegalArgumentException("not a boolean: " + text);
    }
    return Boolean.valueOf(text);
  }

  /** The index of the first unpaired surrogate of {@code text}, or -1. */
  private static int unpairedSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }
}
