package io.ucache;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * One running engine: it owns the connections, files and threads its caches use, and hands out
 * named, typed caches. Create one with {@code EngineManager.create}, {@code EngineContext.open}
 * or {@code CacheContext.open} (package {@code io.ucache.context}); whoever creates it closes it.
 *
 * <p><b>Thread-safety:</b> thread-safe. {@link #cache} returns the same cache for the same name.
 *
 * <p><b>Lifecycle:</b> {@link #close()} is idempotent and throws no checked exception; every
 * other method, and every method of a cache it handed out, throws {@link IllegalStateException}
 * after close.
 */
public interface CacheEngine extends AutoCloseable {

  /** The engine's name, as in configuration ({@code caffeine}, {@code ehcache}, {@code redis}). */
  String name();

  /** What this engine can honour. */
  Set<Capability> capabilities();

  /** The configuration this engine was created with. */
  CacheConfig config();

  /**
   * The cache called {@code name}, created on first use with the engine's configuration and any
   * {@code caches.<name>.*} overrides. Asking again returns the same cache.
   *
   * @throws IllegalArgumentException if the name is blank, or the cache exists with other types
   * @throws CacheConfigException if the cache's configuration is invalid for this engine
   * @throws IllegalStateException if the engine is closed
   */
  default <K, V> Cache<K, V> cache(String name, Class<K> keyType, Class<V> valueType) {
    return cache(name, keyType, valueType, CacheConfig.defaults());
  }

  /**
   * The cache called {@code name}, created on first use with the engine's configuration, its
   * {@code caches.<name>.*} overrides, and then the per-cache keys that {@code settings} sets
   * ({@code max-size}, {@code ttl}, {@code expire-after-access}, {@code null-values},
   * {@code disk-size}, {@code codec}, {@code stats}): see {@link CacheConfig#withCacheSettings}.
   * Asking again with settings that give the same configuration, or with none, returns the same
   * cache.
   *
   * @throws IllegalArgumentException if the name is blank, or the cache exists with other types
   *     or with a configuration that {@code settings} would change
   * @throws CacheConfigException if {@code settings} sets a key that is not per cache
   * @throws IllegalStateException if the engine is closed
   */
  default <K, V> Cache<K, V> cache(String name, Class<K> keyType, Class<V> valueType,
      CacheConfig settings) {
    return cache(name, keyType, ValueType.of(valueType), settings);
  }

  /**
   * The cache called {@code name} whose values have the generic type {@code valueType}
   * ({@code new ValueType<List<Item>>() {}}), so that {@code Cache<String, List<Item>>} needs no
   * raw {@code Class} and a codec knows the elements' type. Otherwise as
   * {@link #cache(String, Class, Class, CacheConfig)}.
   *
   * @throws IllegalArgumentException if the name is blank, or the cache exists with other types
   *     or with a configuration that {@code settings} would change
   * @throws CacheConfigException if {@code settings} sets a key that is not per cache, or the
   *     codec cannot store {@code valueType}
   * @throws IllegalStateException if the engine is closed
   */
  <K, V> Cache<K, V> cache(String name, Class<K> keyType, ValueType<V> valueType,
      CacheConfig settings);

  /** {@link #cache(String, Class, ValueType, CacheConfig)} with no settings of its own. */
  default <K, V> Cache<K, V> cache(String name, Class<K> keyType, ValueType<V> valueType) {
    return cache(name, keyType, valueType, CacheConfig.defaults());
  }

  /** The names of the caches opened on this engine so far. */
  Set<String> cacheNames();

  /**
   * Invalidates every entry tagged with {@code tag} ({@code @UCache(tags = ...)}) in every cache
   * of this engine, and, on a shared engine, for every process: the tag's generation, kept in
   * this engine's cache {@value #TAGS_CACHE}, gets a new random value, so keys built with the
   * old one are no longer read (those entries expire with their ttl). O(1): nothing is scanned.
   *
   * @throws CacheException if the engine fails (the entries then stay until they expire)
   */
  default void invalidateTag(String tag) {
    cache(TAGS_CACHE, String.class, Long.class)
        .put(java.util.Objects.requireNonNull(tag, "tag"),
            java.util.concurrent.ThreadLocalRandom.current().nextLong());
  }

  /** The cache in which an engine keeps the generations of entry tags. */
  String TAGS_CACHE = "ucache-tags";

  /**
   * The native object underneath, such as Caffeine's {@code Cache} or Lettuce's client.
   *
   * @throws IllegalArgumentException if this engine has nothing of that type
   */
  <T> T unwrap(Class<T> type);

  /**
   * Checks that this engine can serve now: one round trip to its server for a remote engine,
   * bounded by the configured {@code timeout}; health checks call it. Returns how long the check
   * took. The default, for engines with nothing remote to ask, checks only that the engine is
   * open and returns {@link Duration#ZERO}.
   *
   * @throws EngineUnavailableException if the server does not answer, or answers wrongly, in time
   * @throws IllegalStateException if the engine is closed
   */
  default Duration ping() {
    if (isClosed()) {
      throw new IllegalStateException("Engine '" + name() + "' is closed");
    }
    return Duration.ZERO;
  }

  /**
   * This engine's health now: {@link EngineHealth.Status#DOWN} once closed or when its server
   * does not answer within {@code timeout}, {@link EngineHealth.Status#DEGRADED} when only part
   * of it serves, else {@link EngineHealth.Status#UP}; with details for operators. A remote
   * engine makes one round trip ({@link #ping()}). Never throws.
   */
  default EngineHealth health() {
    if (isClosed()) {
      return EngineHealth.down("the engine is closed", Map.of("engine", name()));
    }
    try {
      Duration took = ping();
      return EngineHealth.up(Map.of("engine", name(), "ping", took.toMillis() + " ms"));
    } catch (RuntimeException e) {
      return EngineHealth.down(CacheConfig.maskSecrets(String.valueOf(e.getMessage())),
          Map.of("engine", name()));
    }
  }

  /** Whether {@link #close()} has been called. */
  boolean isClosed();

  /**
   * Releases everything this engine holds. Idempotent. Caches keep no entries afterwards (an
   * in-memory engine's entries are gone; a persistent engine's are flushed to disk).
   */
  @Override
  void close();
}
