package io.ucache.spi;

import io.ucache.CacheLoader;
import io.ucache.EngineUnavailableException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Reads with a loader on a cache whose entries carry their times ({@link Freshness}): an entry
 * past {@code refresh-after}, or past its ttl within {@code stale-while-revalidate}, is returned
 * at once while one reload per key runs in the background; one past its ttl within
 * {@code stale-if-error} is reloaded now and returned if that reload fails, and not reloaded
 * again before its {@link RetryBackoff} allows. A background reload replaces the entry only if
 * it still holds the value the reload was started for (same write time): a write, an eviction
 * or another process's refresh meanwhile wins. Its failure keeps the old value, is counted and
 * logged. Background reloads run on the configuration's executor (the common fork-join pool
 * unless set), as Caffeine's do. Thread-safe.
 */
final class Revalidation<K, V, S> {

  private final AbstractCache<K, V, S> cache;
  private final Freshness freshness;
  private final CacheLoading<K, V, S> loading;
  private final Executor executor;
  private final Set<K> refreshing = ConcurrentHashMap.newKeySet();
  private final RetryBackoff<K> backoff = new RetryBackoff<>();

  Revalidation(AbstractCache<K, V, S> cache, Freshness freshness, CacheLoading<K, V, S> loading) {
    this.cache = cache;
    this.freshness = freshness;
    this.loading = loading;
    this.executor = cache.config().executor();
  }

  /** {@code Cache.get(key, loader)} on such a cache. */
  @Nullable V get(K key, CacheLoader<? super K, ? extends V> loader) {
    NearCache<K> near = cache.nearCache();
    Object copy = near == null ? null : near.copy(key);
    boolean fromCopy = copy != null;
    Object found = fromCopy ? copy : cache.findRaw(key);
    if (found instanceof TimedValue timed) {
      long now = cache.clockMillis();
      switch (freshness.state(timed, now)) {
        case FRESH -> {
          return served(fromCopy, timed.value, false);
        }
        case REFRESH -> {
          refresh(key, timed, loader, now);
          return served(fromCopy, timed.value, false);
        }
        case REVALIDATE -> {
          refresh(key, timed, loader, now);
          return served(fromCopy, timed.value, true);
        }
        case IF_ERROR -> {
          return loadOrStale(key, fromCopy, timed, loader, now);
        }
        case EXPIRED -> {
          // a miss, below
        }
      }
    } else if (found != null && cache.isShown(found)) {
      return served(fromCopy, found, false);
    }
    count(fromCopy, false);
    return loading.loadAfterMiss(key, loader);
  }

  /** Within stale-if-error: a reload now, unless backing off; its failure serves the old value. */
  private @Nullable V loadOrStale(K key, boolean fromCopy, TimedValue timed,
      CacheLoader<? super K, ? extends V> loader, long now) {
    if (!backoff.waiting(key, now)) {
      try {
        V value = loading.loadAfterMiss(key, loader);
        count(fromCopy, false);
        backoff.succeeded(key);
        return value;
      } catch (EngineUnavailableException e) {
        throw e; // the engine failed, not the source: the failure mode decides
      } catch (RuntimeException e) {
        backoff.failed(key, cache.clockMillis());
        cache.logReloadFailure(key, e, "is served until stale-if-error ends");
      }
    }
    if (!cache.isShown(timed.value)) {
      count(fromCopy, false);
      return null;
    }
    cache.counters.servedStaleOnError();
    return value(timed.value);
  }

  /** {@code value} as found (stale: within stale-while-revalidate), counted. */
  private @Nullable V served(boolean fromCopy, Object value, boolean stale) {
    if (!cache.isShown(value)) {
      count(fromCopy, false);
      return null;
    }
    if (stale) {
      cache.counters.servedStale();
    } else {
      count(fromCopy, true);
    }
    return value(value);
  }

  /** Counts a hit or a miss: by the near cache for its copy (it counts for both), else here. */
  private void count(boolean fromCopy, boolean hit) {
    NearCache<K> near = cache.nearCache();
    if (fromCopy && near != null) {
      if (hit) {
        near.servedHit();
      } else {
        near.servedMiss();
      }
    } else if (hit) {
      cache.counters.hit();
    } else {
      cache.counters.miss();
    }
  }

  @SuppressWarnings("unchecked")
  private @Nullable V value(Object shown) {
    return shown == AbstractCache.NULL_VALUE ? null : (V) shown;
  }

  /** Starts one background reload of {@code key}, unless one runs or it is backing off. */
  private void refresh(K key, TimedValue seen, CacheLoader<? super K, ? extends V> loader,
      long now) {
    if (backoff.waiting(key, now) || !refreshing.add(key)) {
      return;
    }
    // A loader bound to the caller's call (an intercepted method) is made safe to run later.
    CacheLoader<? super K, ? extends V> later = loader instanceof DetachableLoader<?, ?> bound
        ? detached(bound) : loader;
    try {
      executor.execute(() -> reload(key, seen.writeTime, later));
    } catch (RejectedExecutionException e) {
      refreshing.remove(key);
    }
  }

  @SuppressWarnings("unchecked")
  private CacheLoader<? super K, ? extends V> detached(DetachableLoader<?, ?> bound) {
    return (CacheLoader<? super K, ? extends V>) bound.detach();
  }

  private void reload(K key, long seenWriteTime, CacheLoader<? super K, ? extends V> loader) {
    try {
      ClusterLoads<K, V, S> shared = loading.leased();
      if (shared != null) {
        // One process at a time refreshes a key; the others keep serving what they have.
        shared.whileHolding(key, () -> reloadHere(key, seenWriteTime, loader));
      } else {
        reloadHere(key, seenWriteTime, loader);
      }
    } catch (EngineUnavailableException e) {
      cache.counters.error(); // counted; in the background there is no caller to throw to
    } finally {
      refreshing.remove(key);
    }
  }

  private void reloadHere(K key, long seenWriteTime,
      CacheLoader<? super K, ? extends V> loader) {
    try {
      long stamp = loading.stamp(key);
      V value = loading.callLoader(key, loader);
      if (value == null && !cache.nullValues) {
        throw new NullPointerException("the loader returned null, and cache '" + cache.name()
            + "' does not hold nulls");
      }
      backoff.succeeded(key);
      if (loading.replaceIfWrittenAt(key, seenWriteTime, value, stamp)) {
        cache.counters.refreshed(true);
      }
    } catch (EngineUnavailableException e) {
      throw e;
    } catch (RuntimeException | Error e) {
      backoff.failed(key, cache.clockMillis());
      cache.counters.refreshed(false);
      cache.logReloadFailure(key, e, "stays");
    }
  }
}
