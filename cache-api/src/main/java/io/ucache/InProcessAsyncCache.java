package io.ucache;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** {@link AsyncCache#inProcess}: completes at once, except loaders, which run on the executor. */
final class InProcessAsyncCache<K, V> implements AsyncCache<K, V> {
  private final Cache<K, V> cache;
  private final Executor executor;

  InProcessAsyncCache(Cache<K, V> cache, Executor executor) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  @Override
  public Cache<K, V> synchronous() {
    return cache;
  }

  @Override
  public CompletableFuture<@Nullable V> get(K key) {
    return now(() -> cache.get(key));
  }

  @Override
  public CompletableFuture<@Nullable CachedValue<V>> lookup(K key) {
    return now(() -> cache.lookup(key));
  }

  @Override
  public CompletableFuture<@Nullable V> get(K key, CacheLoader<? super K, ? extends V> loader) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(loader, "loader");
    CachedValue<V> hit = cache.lookup(key);
    if (hit != null) {
      return CompletableFuture.completedFuture(hit.value());
    }
    return CompletableFuture.supplyAsync(() -> cache.get(key, loader), executor);
  }

  @Override
  public CompletableFuture<Map<K, V>> getAll(Iterable<? extends K> keys) {
    return now(() -> cache.getAll(keys));
  }

  @Override
  public CompletableFuture<Void> put(K key, @Nullable V value) {
    return now(() -> {
      cache.put(key, value);
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> put(K key, @Nullable V value, Duration ttl) {
    return now(() -> {
      cache.put(key, value, ttl);
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> evict(K key) {
    return now(() -> {
      cache.evict(key);
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> clear() {
    return now(() -> {
      cache.clear();
      return null;
    });
  }

  /**
   * Runs {@code operation} here and now: an in-process operation cannot block, so a thread hop
   * would only add cost. Whatever it throws (a null key, a closed engine) is thrown at once, as
   * the synchronous API does, rather than carried in the future.
   */
  private static <T> CompletableFuture<T> now(Supplier<T> operation) {
    return CompletableFuture.completedFuture(operation.get());
  }

  @Override
  public String toString() {
    return "AsyncCache{" + cache.name() + "}";
  }
}
