package io.ucache;

import org.jspecify.annotations.Nullable;

/**
 * A value found in a cache, returned by {@link Cache#lookup(Object)}. Its {@link #value()} is
 * {@code null} only when the cache allows null values and a null was cached: holding a
 * {@code CachedValue} means "present", so a cached null is never confused with "absent".
 *
 * @param value the cached value, possibly {@code null}
 * @param <V> the value type
 */
public record CachedValue<V>(@Nullable V value) {}
