package io.ucache.sqlite;

import io.ucache.CacheConfigException;
import io.ucache.spi.KeyText;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The text a key is stored as, in the {@code key} column of the database ({@link KeyText}: a
 * {@code String} key is its text, {@code #int:1} an {@code Integer}'s), so that {@code sqlite3}
 * and the {@code ucache} CLI read it; at most {@code max-key-bytes} of UTF-8. Rows of another
 * type, or another program's, are skipped. Immutable and thread-safe.
 *
 * @param <K> the key type
 */
final class SqliteKeys<K> {

  private final KeyText<K> text;
  private final String cache;
  private final long maxKeyBytes;

  private SqliteKeys(KeyText<K> text, String cache, long maxKeyBytes) {
    this.text = text;
    this.cache = cache;
    this.maxKeyBytes = maxKeyBytes;
  }

  /**
   * The keys of cache {@code cache}, for keys of {@code type}, at most {@code maxKeyBytes} long.
   *
   * @throws CacheConfigException if keys of {@code type} cannot be stored as text
   */
  static <K> SqliteKeys<K> of(Class<K> type, String cache, long maxKeyBytes) {
    if (!KeyText.supports(type)) {
      throw new CacheConfigException("Cache '" + cache + "': the sqlite engine stores keys of "
          + "type String, a boxed primitive or UUID, not " + type.getName() + "; turn the key "
          + "into a String (@UCache keys are)");
    }
    return new SqliteKeys<>(KeyText.of(type), cache, maxKeyBytes);
  }

  /**
   * The stored text of {@code key}.
   *
   * @throws IllegalArgumentException if the key holds an unpaired surrogate, or is longer than
   *     {@code max-key-bytes}
   */
  String encode(K key) {
    String stored = text.encode(key);
    long bytes = stored.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxKeyBytes) {
      throw new IllegalArgumentException("Cache '" + cache + "': a key of " + bytes
          + " bytes is longer than max-key-bytes (" + maxKeyBytes + " bytes): '"
          + stored.substring(0, Math.min(40, stored.length())) + "...'");
    }
    return stored;
  }

  /** The key stored as {@code stored}, or {@code null} if it is another type's or foreign. */
  @Nullable K decode(String stored) {
    return text.decode(stored);
  }
}
