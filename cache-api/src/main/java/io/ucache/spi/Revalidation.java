package io.ucache.spi;

import io.ucache.BulkLoader;
import io.ucache.CacheLoader;
import io.ucache.EngineUnavailableException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /**
   * {@code Cache.get(key, loader)} on such a cache, given the near cache's copy of {@code key}
   * ({@code null} without a near cache, or when it has none: the engine is read).
   */
  @Nullable V get(K key, CacheLoader<? super K, ? extends V> loader, @Nullable Object copy) {
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

  /**
   * {@code Cache.getAll(keys, loader)} on such a cache: entries due for a refresh, or within
   * stale-while-revalidate, are returned at once and reloaded together by one background call
   * of {@code loader}; absent and expired keys are loaded together now, those within
   * stale-if-error with them, and if that load fails while every key it was for has an old value
   * to serve (within stale-if-error, or backing off), those are served and the failure
   * suppressed, as {@link #get} does for one key; else the failure reaches the caller.
   */
  Map<K, V> getAll(List<K> asked, BulkLoader<K, V> loader) {
    Map<K, Long> stamped = loading.stampAll(asked);
    Map<K, Object> raw = cache.findAllRaw(asked);
    long now = cache.clockMillis();
    Map<K, V> found = new LinkedHashMap<>();
    Map<K, TimedValue> due = new LinkedHashMap<>();
    Map<K, TimedValue> ifError = new LinkedHashMap<>();
    int hits = 0;
    for (K key : asked) {
      Object entry = raw.get(key);
      if (entry instanceof TimedValue timed) {
        Freshness.State state = freshness.state(timed, now);
        if (!cache.isShown(timed.value) || state == Freshness.State.EXPIRED) {
          continue;
        }
        if (state == Freshness.State.IF_ERROR) {
          if (!backoff.waiting(key, now)) {
            ifError.put(key, timed); // loaded with the missing keys, below
            continue;
          }
          cache.servedStaleOnError();
        } else if (state == Freshness.State.REVALIDATE) {
          due.put(key, timed);
          cache.servedStale();
        } else {
          if (state == Freshness.State.REFRESH) {
            due.put(key, timed);
          }
          hits++;
        }
        found.put(key, value(timed.value));
      } else if (entry != null && cache.isShown(entry)) {
        found.put(key, value(entry));
        hits++;
      }
    }
    cache.counters.hitsAndMisses(hits, asked.size() - found.size() - ifError.size());
    refreshAll(due, loader, now);
    if (found.size() == asked.size()) {
      return Collections.unmodifiableMap(found);
    }
    try {
      Map<K, V> result = loading.loadMissing(asked, stamped, found, loader);
      cache.counters.hitsAndMisses(0, ifError.size());
      ifError.keySet().forEach(backoff::succeeded);
      return result;
    } catch (EngineUnavailableException e) {
      throw e; // the engine failed, not the source: the failure mode decides
    } catch (RuntimeException e) {
      if (ifError.size() + found.size() < asked.size()) {
        throw e; // a key with no old value to serve
      }
      long failedAt = cache.clockMillis();
      ifError.forEach((key, timed) -> {
        backoff.failed(key, failedAt);
        cache.servedStaleOnError();
        found.put(key, value(timed.value));
      });
      cache.logReloadFailure(ifError.keySet().iterator().next(), e, "is served until "
          + "stale-if-error ends, with those of " + (ifError.size() - 1) + " other key(s)");
      Map<K, V> result = new LinkedHashMap<>();
      asked.forEach(key -> result.put(key, found.get(key)));
      return Collections.unmodifiableMap(result);
    }
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
      } catch (EngineUnavailableException | UncachedValue e) {
        // The engine failed, not the source: the failure mode decides. Or a value not to cache.
        throw e;
      } catch (RuntimeException e) {
        backoff.failed(key, cache.clockMillis());
        cache.logReloadFailure(key, e, "is served until stale-if-error ends");
      }
    }
    if (!cache.isShown(timed.value)) {
      count(fromCopy, false);
      return null;
    }
    cache.servedStaleOnError();
    return value(timed.value);
  }

  /** {@code value} as found (stale: within stale-while-revalidate), counted. */
  private @Nullable V served(boolean fromCopy, Object value, boolean stale) {
    if (!cache.isShown(value)) {
      count(fromCopy, false);
      return null;
    }
    if (stale) {
      cache.servedStale();
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

  /** Starts one background reload of those of {@code due} not reloading or backing off. */
  private void refreshAll(Map<K, TimedValue> due, BulkLoader<K, V> loader, long now) {
    Map<K, Long> seen = new LinkedHashMap<>();
    due.forEach((key, timed) -> {
      if (!backoff.waiting(key, now) && refreshing.add(key)) {
        seen.put(key, timed.writeTime);
      }
    });
    if (seen.isEmpty()) {
      return;
    }
    try {
      executor.execute(() -> reloadAll(seen, loader));
    } catch (RejectedExecutionException e) {
      refreshing.removeAll(seen.keySet());
    }
  }

  private void reloadAll(Map<K, Long> seen, BulkLoader<K, V> loader) {
    try {
      ClusterLoads<K, V, S> shared = loading.leased();
      if (shared != null) {
        // Only the keys whose leases this process takes: another process refreshes the rest.
        shared.whileHoldingAll(seen.keySet(), held -> {
          Map<K, Long> ours = new LinkedHashMap<>(seen);
          ours.keySet().retainAll(held);
          reloadAllHere(ours, loader);
        });
      } else {
        reloadAllHere(seen, loader);
      }
    } catch (EngineUnavailableException e) {
      cache.counters.error();
    } finally {
      refreshing.removeAll(seen.keySet());
    }
  }

  /**
   * One call of {@code loader} for the keys of {@code seen}, each reloaded value stored as
   * {@link #reloadHere} stores one; a key the loader leaves out keeps its entry until it expires.
   */
  private void reloadAllHere(Map<K, Long> seen, BulkLoader<K, V> loader) {
    if (seen.isEmpty()) {
      return;
    }
    Map<K, Long> stamped = loading.stampAll(seen.keySet());
    Map<? extends K, ? extends V> loaded;
    try {
      loaded = loading.callBulkLoader(Collections.unmodifiableSet(seen.keySet()), loader);
    } catch (RuntimeException | Error e) {
      long failedAt = cache.clockMillis();
      for (K key : seen.keySet()) {
        backoff.failed(key, failedAt);
        cache.counters.refreshed(false);
      }
      cache.logReloadFailure(seen.keySet().iterator().next(), e, "stays, as do those of "
          + (seen.size() - 1) + " other key(s)");
      return;
    }
    seen.forEach((key, writeTime) -> {
      if (!loaded.containsKey(key)) {
        return;
      }
      V value = loaded.get(key);
      if (value == null && !cache.nullValues) {
        return; // as left out: a null this cache cannot hold
      }
      backoff.succeeded(key);
      if (loading.replaceIfWrittenAt(key, writeTime, value, stamped.get(key))) {
        cache.counters.refreshed(true);
      }
    });
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
      if (!loading.stillWrittenAt(key, seenWriteTime)) {
        return; // another refresh (or a write) replaced the entry since this one was started
      }
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
    } catch (UncachedValue e) {
      backoff.succeeded(key); // a value not to cache: the entry stays as it is
    } catch (RuntimeException | Error e) {
      backoff.failed(key, cache.clockMillis());
      cache.counters.refreshed(false);
      cache.logReloadFailure(key, e, "stays");
    }
  }
}
