package io.ucache.redis;

import io.ucache.AsyncCache;
import io.ucache.Cache;
import io.ucache.CacheLoader;
import io.ucache.CachedValue;
import io.ucache.EngineUnavailableException;
import io.ucache.spi.CircuitBreaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The natively asynchronous view of a {@link RedisCache}: each call sends its command on the
 * shared connection and returns Lettuce's future, mapped; no thread waits for it. Only loaders
 * (and {@link #clear()}, a loop of SCAN calls) run on {@link ForkJoinPool#commonPool()}. Failures
 * follow the cache's fail-mode, in the future. Thread-safe.
 */
final class RedisAsyncCache<K, V> implements AsyncCache<K, V> {

  private final RedisCache<K, V> cache;

  RedisAsyncCache(RedisCache<K, V> cache) {
    this.cache = cache;
  }

  @Override
  public Cache<K, V> synchronous() {
    return cache;
  }

  @Override
  public CompletableFuture<@Nullable V> get(K key) {
    return lookup(key).thenApply(found -> found == null ? null : found.value());
  }

  @Override
  public CompletableFuture<@Nullable CachedValue<V>> lookup(K key) {
    cache.checkOpen();
    byte[] redisKey = cache.redisKeys().encode(Objects.requireNonNull(key, "key"));
    return guard(() -> cache.readRaw(redisKey), null)
        .thenApply(stored -> cache.countedLookup(cache.decodeOrDrop(redisKey, stored)));
  }

  @Override
  public CompletableFuture<@Nullable V> get(K key, CacheLoader<? super K, ? extends V> loader) {
    Objects.requireNonNull(loader, "loader");
    return lookup(key).thenCompose(found -> found != null
        ? CompletableFuture.completedFuture(found.value())
        : CompletableFuture.supplyAsync(() -> cache.loadAfterMiss(key, loader),
            ForkJoinPool.commonPool()));
  }

  @Override
  public CompletableFuture<Map<K, V>> getAll(Iterable<? extends K> keys) {
    cache.checkOpen();
    Set<K> distinct = new LinkedHashSet<>();
    keys.forEach(k -> distinct.add(Objects.requireNonNull(k, "key")));
    List<K> asked = new ArrayList<>(distinct);
    if (asked.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    return guard(() -> cache.readAllRaw(asked), Collections.nCopies(asked.size(), null))
        .thenApply(stored -> {
          Map<K, V> found = new LinkedHashMap<>();
          for (int i = 0; i < asked.size(); i++) {
            CachedValue<V> value = cache.countedLookup(cache.decodeOrDrop(
                cache.redisKeys().encode(asked.get(i)), stored.get(i)));
            if (value != null) {
              found.put(asked.get(i), value.value());
            }
          }
          return Collections.unmodifiableMap(found);
        });
  }

  @Override
  public CompletableFuture<Void> put(K key, @Nullable V value) {
    cache.checkOpen();
    byte[] redisKey = cache.redisKeys().encode(Objects.requireNonNull(key, "key"));
    byte[] stored = cache.encode(key, redisKey, value, 0);
    return guard(() -> cache.writeRaw(redisKey, stored, 0), null);
  }

  @Override
  public CompletableFuture<Void> put(K key, @Nullable V value, Duration ttl) {
    cache.checkOpen();
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    long millis = Math.max(1, ttl.toMillis());
    byte[] redisKey = cache.redisKeys().encode(Objects.requireNonNull(key, "key"));
    byte[] stored = cache.encode(key, redisKey, value, millis);
    return guard(() -> cache.writeRaw(redisKey, stored, millis), null);
  }

  @Override
  public CompletableFuture<Void> evict(K key) {
    cache.checkOpen();
    byte[][] redisKeys = {cache.redisKeys().encode(Objects.requireNonNull(key, "key"))};
    return guard(() -> cache.unlinkRaw(redisKeys), null, () -> cache.rememberEvictions(redisKeys));
  }

  @Override
  public CompletableFuture<Void> clear() {
    cache.checkOpen();
    return CompletableFuture.runAsync(cache::clear, ForkJoinPool.commonPool());
  }

  private <T> CompletableFuture<T> guard(Supplier<CompletableFuture<T>> operation, T fallback) {
    return guard(operation, fallback, null);
  }

  /**
   * Starts {@code operation} if the circuit breaker lets it, after the evictions that failed
   * earlier (those, if any, are applied synchronously, within the timeout). An engine failure,
   * or a call the breaker skipped, is counted and completes the future with
   * {@link EngineUnavailableException}, or, with {@code fail-mode=open}, with {@code fallback};
   * {@code ifFailed} runs then.
   */
  private <T> CompletableFuture<T> guard(Supplier<CompletableFuture<T>> operation, T fallback,
      @Nullable Runnable ifFailed) {
    CircuitBreaker breaker = cache.breaker();
    if (!breaker.tryAcquire()) {
      cache.countRejected();
      if (ifFailed != null) {
        ifFailed.run();
      }
      return cache.failOpen() ? CompletableFuture.completedFuture(fallback)
          : CompletableFuture.failedFuture(breaker.rejection());
    }
    CompletableFuture<T> started;
    try {
      cache.applyPendingEvictions();
      started = operation.get();
    } catch (EngineUnavailableException e) {
      started = CompletableFuture.failedFuture(e);
    }
    return started.handle((value, failure) -> {
      if (failure == null) {
        breaker.onSuccess();
        return value;
      }
      RuntimeException mapped = cache.failure(failure);
      if (mapped instanceof EngineUnavailableException) {
        breaker.onFailure(String.valueOf(mapped.getMessage()));
        cache.countError();
        if (ifFailed != null) {
          ifFailed.run();
        }
        if (cache.failOpen()) {
          return fallback;
        }
      }
      throw mapped instanceof CompletionException c ? c : new CompletionException(mapped);
    });
  }

  @Override
  public String toString() {
    return "AsyncCache{" + cache.name() + "}";
  }
}
