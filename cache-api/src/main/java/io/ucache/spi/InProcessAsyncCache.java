package io.ucache.spi;

import io.ucache.AsyncCache;
import io.ucache.Cache;
import io.ucache.CacheLoader;
import io.ucache.CachedValue;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The asynchronous view of an in-process {@link AbstractCache}: operations that cannot block
 * complete on the calling thread, and loaders run on {@code executor} through the cache's
 * single-flight load, so they keep its one-load-per-key guarantee and a miss is counted once.
 * Thread-safe.
 */
final class InProcessAsyncCache<K, V> implements AsyncCache<K, V> {
  private final AbstractCache<K, V, ?> cache;
  private final Executor executor;

  InProcessAsyncCache(AbstractCache<K, V, ?> cache, Executor executor) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  @Override
  public Cache<K, V> synchronous() {
    return cache;
  }

  @Override
  public CompletableFuture<@Nullable V> get(K key) {
    Objects.requireNonNull(key, "key");
    return now(() -> cache.get(key));
  }

  @Override
  public CompletableFuture<@Nullable CachedValue<V>> lookup(K key) {
    Objects.requireNonNull(key, "key");
    return now(() -> cache.lookup(key));
  }

  @Override
  public CompletableFuture<@Nullable V> get(K key, CacheLoader<? super K, ? extends V> loader) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(loader, "loader");
    CachedValue<V> hit;
    try {
      hit = cache.lookup(key);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (hit != null) {
      return CompletableFuture.completedFuture(hit.value());
    }
    return CompletableFuture.supplyAsync(() -> cache.loadAfterMiss(key, loader), executor);
  }

  @Override
  public CompletableFuture<Map<K, V>> getAll(Iterable<? extends K> keys) {
    Objects.requireNonNull(keys, "keys");
    return now(() -> cache.getAll(keys));
  }

  @Override
  public CompletableFuture<Void> put(K key, @Nullable V value) {
    Objects.requireNonNull(key, "key");
    return now(() -> {
      cache.put(key, value);
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> put(K key, @Nullable V value, Duration ttl) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(ttl, "ttl");
    return now(() -> {
      cache.put(key, value, ttl);
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> evict(K key) {
    Objects.requireNonNull(key, "key");
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
   * would only add cost. What it throws (a closed engine, a value that cannot be stored) fails
   * the future, as {@link AsyncCache} promises; null arguments are refused before, at once.
   */
  private static <T> CompletableFuture<T> now(Supplier<T> operation) {
    try {
      return CompletableFuture.completedFuture(operation.get());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public String toString() {
    return "AsyncCache{" + cache.name() + "}";
  }
}
