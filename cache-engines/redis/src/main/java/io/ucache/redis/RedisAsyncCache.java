package io.ucache.redis;

import io.ucache.AsyncCache;
import io.ucache.Cache;
import io.ucache.CacheLoader;
import io.ucache.CachedValue;
import io.ucache.EngineUnavailableException;
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
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The natively asynchronous view of a {@link RedisCache}: each call sends its command on the
 * shared connection and returns Lettuce's future, mapped; no thread waits for it. Only loaders
 * (and {@link #clear()}, a loop of SCAN calls) run on the configuration's executor. Failures
 * follow the cache's fail-mode, in the future; so does a closed engine. Null arguments are
 * refused at once. Thread-safe.
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
    Objects.requireNonNull(key, "key");
    byte[] redisKey = cache.redisKeys().encode(key);
    return send(redisKey, () -> cache.commands().read(redisKey),
        stored -> cache.countedRead(key, stored), () -> cache.countedRead(key, null), null);
  }

  @Override
  public CompletableFuture<@Nullable V> get(K key, CacheLoader<? super K, ? extends V> loader) {
    Objects.requireNonNull(loader, "loader");
    return lookup(key).thenCompose(found -> found != null
        ? CompletableFuture.completedFuture(found.value())
        : CompletableFuture.supplyAsync(() -> cache.loadAfterMiss(key, loader),
            cache.config().executor()));
  }

  @Override
  public CompletableFuture<Map<K, V>> getAll(Iterable<? extends K> keys) {
    Set<K> distinct = new LinkedHashSet<>();
    keys.forEach(k -> distinct.add(Objects.requireNonNull(k, "key")));
    List<K> asked = new ArrayList<>(distinct);
    if (asked.isEmpty()) {
      return send(null, () -> CompletableFuture.completedFuture(null), none -> Map.of(), Map::of,
          null);
    }
    return send(null, () -> cache.commands().readAll(asked), stored -> {
      Map<K, V> found = new LinkedHashMap<>();
      for (int i = 0; i < asked.size(); i++) {
        CachedValue<V> value = cache.countedRead(asked.get(i), stored.get(i));
        if (value != null) {
          found.put(asked.get(i), value.value());
        }
      }
      return Collections.unmodifiableMap(found);
    }, () -> {
      asked.forEach(key -> cache.countedRead(key, null));
      return Map.of();
    }, null);
  }

  @Override
  public CompletableFuture<Void> put(K key, @Nullable V value) {
    Objects.requireNonNull(key, "key");
    byte[] redisKey = cache.redisKeys().encode(key);
    return send(redisKey, () -> {
      byte[] stored = cache.encodeForPut(key, value, null);
      return cache.commands().write(redisKey, stored, 0);
    }, done -> null, () -> null, () -> cache.calls().rememberEvictions(new byte[][] {redisKey}));
  }

  @Override
  public CompletableFuture<Void> put(K key, @Nullable V value, Duration ttl) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(ttl, "ttl");
    byte[] redisKey = cache.redisKeys().encode(key);
    return send(redisKey, () -> {
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("ttl must be positive, was " + ttl);
      }
      byte[] stored = cache.encodeForPut(key, value, ttl);
      return cache.commands().write(redisKey, stored, 0); // the PX of the deadline in the bytes
    }, done -> null, () -> null, () -> cache.calls().rememberEvictions(new byte[][] {redisKey}));
  }

  @Override
  public CompletableFuture<Void> evict(K key) {
    Objects.requireNonNull(key, "key");
    byte[][] redisKeys = {cache.redisKeys().encode(key)};
    return send(redisKeys[0], () -> {
      cache.evicting(key);
      return cache.commands().unlink(redisKeys);
    }, done -> null, () -> null, () -> cache.calls().rememberEvictions(redisKeys));
  }

  @Override
  public CompletableFuture<Void> clear() {
    try {
      cache.ensureOpen();
    } catch (IllegalStateException e) {
      return CompletableFuture.failedFuture(e);
    }
    return CompletableFuture.runAsync(cache::clear, cache.config().executor());
  }

  /**
   * Starts {@code command} (on {@code redisKey}, or on several keys when null) through the
   * cache's {@link RedisCalls} and maps its result. A closed
   * engine or a value that cannot be stored fails the future; an engine failure is counted and
   * fails it too, or with {@code fail-mode=open} completes it with {@code fallback}.
   */
  private <R, T> CompletableFuture<T> send(byte @Nullable [] redisKey,
      Supplier<CompletableFuture<R>> command, Function<R, T> mapping, Supplier<T> fallback,
      @Nullable Runnable ifFailed) {
    CompletableFuture<R> started;
    try {
      cache.ensureOpen();
      started = cache.calls().start(redisKey, command, ifFailed);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return started.handle((result, failure) -> {
      if (failure == null) {
        return mapping.apply(result);
      }
      Throwable cause = failure instanceof CompletionException c && c.getCause() != null
          ? c.getCause() : failure;
      if (cause instanceof EngineUnavailableException unavailable) {
        try {
          cache.asyncFailure(unavailable);
        } catch (EngineUnavailableException rethrown) {
          throw new CompletionException(rethrown);
        }
        return fallback.get();
      }
      throw failure instanceof CompletionException c ? c : new CompletionException(cause);
    });
  }

  @Override
  public String toString() {
    return "AsyncCache{" + cache.name() + "}";
  }
}
