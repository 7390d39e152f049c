package io.ucache;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * An asynchronous view of a {@link Cache}, from {@link Cache#async()}. Each method mirrors the
 * synchronous one and completes its future with the same result or exception. Engines with
 * {@link Capability#NATIVE_ASYNC} complete them without blocking a thread; the others complete
 * cheap operations at once and run loaders on the configuration's executor (the common fork-join
 * pool unless set).
 *
 * <p>Thread-safe; the same null rules as {@link Cache} apply: a null key, loader or TTL throws
 * {@link NullPointerException} at once. Every other failure, a closed engine included, completes
 * the future exceptionally.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public interface AsyncCache<K, V> {

  /** The synchronous cache this is a view of. */
  Cache<K, V> synchronous();

  CompletableFuture<@Nullable V> get(K key);

  CompletableFuture<@Nullable CachedValue<V>> lookup(K key);

  /** As {@link Cache#get(Object, CacheLoader)}; the loader runs off the calling thread. */
  CompletableFuture<@Nullable V> get(K key, CacheLoader<? super K, ? extends V> loader);

  CompletableFuture<Map<K, V>> getAll(Iterable<? extends K> keys);

  CompletableFuture<Void> put(K key, @Nullable V value);

  CompletableFuture<Void> put(K key, @Nullable V value, Duration ttl);

  CompletableFuture<Void> evict(K key);

  CompletableFuture<Void> clear();
}
