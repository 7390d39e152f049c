package io.ucache.redis;

import io.ucache.ConfigKey;
import java.util.List;
import java.util.Locale;

/**
 * The configuration keys the {@code redis} engine adds to the generic ones, declared by
 * {@link RedisEngineProvider#configKeys()}. Set them from any source ({@code redis.url} in a
 * map, {@code UCACHE_REDIS_URL}, {@code ucache.redis.url}, Spring, {@code --config}) or typed:
 * {@code CacheConfig.builder().set(RedisSettings.URL, "redis://localhost:6379")}.
 *
 * <p><b>Thread-safety:</b> constants only. <b>Nulls:</b> none.
 */
public final class RedisSettings {
  private RedisSettings() {}

  /** The server(s): required. The password in it is masked wherever the value is shown. */
  public static final ConfigKey<String> URL = ConfigKey.ofUrl("redis.url")
      .validate(RedisSettings::validUrls, "redis://[user:password@]host:port/db, rediss://... "
          + "for TLS, redis-sentinel://[password@]host:port[,host:port]#master, or several "
          + "comma-separated node URLs")
      .describedAs("redis://[user:password@]host:port/db, rediss://..., "
          + "redis-sentinel://...#master, or several comma-separated node URLs");

  /** The ACL user that {@link #PASSWORD} belongs to. */
  public static final ConfigKey<String> USERNAME = ConfigKey.ofString("redis.username")
      .describedAs("the ACL user that redis.password belongs to");

  /** The password, apart from the URL: a secret. */
  public static final ConfigKey<String> PASSWORD = ConfigKey.ofSecret("redis.password")
      .describedAs("the Redis password; masked in logs, messages and toString");

  /** Whether {@link #URL} names a Redis Cluster (implied by several URLs). */
  public static final ConfigKey<Boolean> CLUSTER = ConfigKey.ofBoolean("redis.cluster")
      .withDefault(false).describedAs("whether redis.url names a Redis Cluster");

  /** How a cache's values are laid out in Redis: see {@link ValueFormat}. */
  public enum ValueFormat {
    /**
     * The default: the codec's bytes inside UCache's stored-value format (a header with the
     * codec and the key and value types, and a CRC32C), so that foreign or damaged bytes are a
     * counted miss and two processes that disagree on a cache's types never read or delete each
     * other's entries. {@code redis-cli} shows the text after a few header bytes.
     */
    FRAMED,
    /**
     * Text values (strings, numbers) stored as bare UTF-8, so that {@code redis-cli} and programs
     * in other languages read and write them as they are. A value that is not valid UTF-8, or
     * that the codec cannot parse, is still a counted miss; a text written by another program is
     * a value. Values with a header (a cached null, a deadline, a long key's text) stay framed.
     * Only for caches whose codec writes text.
     */
    PLAIN
  }

  /** {@link ValueFormat}, per cache; default {@code framed}. */
  public static final ConfigKey<ValueFormat> VALUE_FORMAT =
      ConfigKey.ofEnum("redis.value-format", ValueFormat.class).perCache()
          .withDefault(ValueFormat.FRAMED)
          .describedAs("framed (checked: codec, types, CRC32C) or plain (bare UTF-8 text that "
              + "redis-cli and other languages read)");

  /** Every key, in documentation order. */
  static final List<ConfigKey<?>> ALL = List.of(URL, USERNAME, PASSWORD, CLUSTER, VALUE_FORMAT);

  /**
   * Each comma-separated part is a URL with a Redis scheme and a host, except that a Sentinel
   * URL lists its further sentinels as bare {@code host:port} parts, as Lettuce writes them.
   */
  private static boolean validUrls(String text) {
    String[] parts = text.split(",", -1);
    boolean sentinel = parts[0].trim().toLowerCase(Locale.ROOT).matches("rediss?-sentinel://.*");
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i].trim().toLowerCase(Locale.ROOT);
      boolean url = part.matches("(redis|rediss|redis-sentinel|rediss-sentinel)://\\S+");
      boolean bareSentinel = sentinel && i > 0 && part.matches("[^\\s/@:]+:\\d+(#\\S+)?");
      if (!url && !bareSentinel) {
        return false;
      }
    }
    return true;
  }
}
