package io.ucache;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A named cache inside a {@link CacheEngine}: a map from keys to values that the engine may drop
 * at any time (size limits, expiry, another process).
 *
 * <p><b>Thread-safety:</b> every method may be called from any number of threads at once.
 *
 * <p><b>Nulls:</b> keys are never null ({@link NullPointerException}). Values may be cached as
 * {@code null} only when the cache's configuration sets {@code null-values=true}; otherwise
 * {@code put(key, null)} throws {@link NullPointerException} and a loader returning {@code null}
 * caches nothing. {@link #get(Object)} returns {@code null} both for "absent" and for a cached
 * null; {@link #lookup(Object)} tells the two apart.
 *
 * <p><b>Errors:</b> after the engine is closed every method throws
 * {@link IllegalStateException}. A remote engine that fails throws
 * {@link EngineUnavailableException} or, with {@code fail-mode=open}, treats reads as misses and
 * drops writes.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface Cache<K, V> {

  /** The name this cache was opened with. */
  String name();

  /** The value cached for {@code key}, or {@code null} if there is none (or a null is cached). */
  @Nullable V get(K key);

  /**
   * The entry for {@code key}: {@code null} when absent, a {@link CachedValue} (whose value may
   * be {@code null}) when present.
   */
  @Nullable CachedValue<V> lookup(K key);

  /**
   * The value for {@code key}, computing it with {@code loader} on a miss and caching the
   * result. In this JVM the loader runs at most once per key at a time: concurrent callers for
   * the same key wait for it and share its result. A loader that throws caches nothing; every
   * waiting caller sees the failure, and the next call runs the loader again.
   *
   * @return the cached or loaded value; {@code null} if the loader returned {@code null}
   * @throws CacheLoadException if the loader threw a checked exception (its unchecked exceptions
   *     and errors propagate as they are)
   */
  @Nullable V get(K key, CacheLoader<? super K, ? extends V> loader);

  /**
   * The cached values for {@code keys}; absent keys are left out of the returned map. A key
   * mapped to {@code null} in the result means a cached null.
   */
  Map<K, V> getAll(Iterable<? extends K> keys);

  /**
   * The values for {@code keys}, loading every missing key with one call to {@code loader} and
   * caching what it returns. Keys the loader leaves out stay absent and are left out of the result.
   *
   * @throws CacheLoadException if the loader threw a checked exception
   */
  Map<K, V> getAll(Iterable<? extends K> keys, BulkLoader<K, V> loader);

  /** Caches {@code value} for {@code key}, replacing any value, with the cache's default TTL. */
  void put(K key, @Nullable V value);

  /**
   * Caches {@code value} for {@code key} for {@code ttl}, replacing any value. Needs an engine
   * with {@link Capability#PER_ENTRY_TTL} and, portably, a configuration with
   * {@code require=per-entry-ttl}: an in-process engine builds the ability into a cache only when
   * asked, since it slows every hit.
   *
   * @throws IllegalArgumentException if {@code ttl} is zero or negative
   * @throws UnsupportedOperationException if the engine or this cache cannot expire single entries
   */
  void put(K key, @Nullable V value, Duration ttl);

  /**
   * Caches {@code value} only if {@code key} has no entry.
   *
   * @return {@code null} if the value was stored, else the entry that was already there
   */
  @Nullable CachedValue<V> putIfAbsent(K key, @Nullable V value);

  /** Caches every entry of {@code entries}. */
  void putAll(Map<? extends K, ? extends V> entries);

  /** Removes the entry for {@code key}, if any. */
  void evict(K key);

  /** Removes the entries for {@code keys}, if any. */
  void evictAll(Iterable<? extends K> keys);

  /** Removes every entry of this cache, and only of this cache. */
  void clear();

  /** A snapshot of this cache's counters. */
  CacheStats stats();

  /** An asynchronous view of this cache; operations on it and on this cache see the same data. */
  AsyncCache<K, V> async();

  /**
   * A {@link ConcurrentMap} view of this cache. Changes go both ways. Like every
   * {@code ConcurrentMap} it holds no null values: cached nulls look absent through it.
   */
  ConcurrentMap<K, V> asMap();

  /**
   * The keys of this cache, fetched lazily. The stream holds engine resources (a cursor, a
   * file); close it, with try-with-resources, whether or not it was read to the end. It is
   * weakly consistent: it sees some of the changes made while it is read.
   */
  Stream<K> keys();

  /**
   * The engine's native cache underneath, such as Caffeine's {@code Cache}. What is stored in it
   * is the engine's business (wrapped values, encoded bytes): read it, do not write to it.
   *
   * @throws IllegalArgumentException if the engine has nothing of that type
   */
  <T> T unwrap(Class<T> type);
}
