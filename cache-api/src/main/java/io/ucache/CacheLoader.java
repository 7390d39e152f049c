package io.ucache;

import org.jspecify.annotations.Nullable;

/**
 * Computes the value for a key on a miss, for {@link Cache#get(Object, CacheLoader)}. It may
 * throw a checked exception, which reaches the caller wrapped in {@link CacheLoadException}.
 * Returning {@code null} caches nothing unless the cache allows null values.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
@FunctionalInterface
public interface CacheLoader<K, V> {
  @Nullable V load(K key) throws Exception;
}
