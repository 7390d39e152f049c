package io.ucache.jcache;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Lock;
import javax.cache.Cache;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;
import org.jspecify.annotations.Nullable;

/**
 * A cache's operations on many keys: each key is handled under its own lock, as the single-key
 * operation would (so they are atomic per key, not as a whole, as JSR-107 allows). A writer's
 * {@code writeAll} or {@code deleteAll} that fails part-way leaves in the cache exactly what it
 * reports written (the entries it removed from the collection), and its failure reaches the
 * caller. Thread-safe.
 */
final class BulkOperations<K, V> {

  private final JCache<K, V> cache;

  BulkOperations(JCache<K, V> cache) {
    this.cache = cache;
  }

  Map<K, V> getAll(Set<? extends K> keys) {
    requireKeys(keys);
    long start = cache.statistics.start();
    Map<K, V> found = new HashMap<>();
    Set<K> missing = new LinkedHashSet<>();
    for (K key : keys) {
      Lock lock = cache.entries.lockForRead(key);
      lock.lock();
      try {
        long now = cache.entries.now();
        Expirable entry = cache.entries.liveForRead(key, now);
        if (entry == null) {
          cache.statistics.misses(1);
          missing.add(key);
        } else {
          cache.statistics.hits(1);
          cache.entries.accessed(key, entry, now);
          found.put(key, cache.entries.valueOf(entry));
        }
      } finally {
        lock.unlock();
      }
    }
    if (!missing.isEmpty() && cache.integration.readsThrough()) {
      Map<K, V> loaded = cache.integration.loadAll(missing);
      store(loaded, true);
      found.putAll(loaded);
    }
    cache.statistics.gotten(start);
    return found;
  }

  void putAll(Map<? extends K, ? extends V> map) {
    Objects.requireNonNull(map, "map");
    map.forEach(JCache::requireEntry);
    long start = cache.statistics.start();
    Map<K, V> written = new LinkedHashMap<>(map);
    RuntimeException failure = null;
    CacheWriter<K, V> writer = cache.integration.writer();
    if (writer != null && !map.isEmpty()) {
      List<Cache.Entry<? extends K, ? extends V>> unwritten = new ArrayList<>();
      map.forEach((key, value) -> unwritten.add(new JCacheEntry<>(key, value)));
      try {
        writer.writeAll(unwritten);
      } catch (RuntimeException e) {
        failure = Integration.writeFailure(e, "writeAll");
        unwritten.forEach(entry -> written.remove(entry.getKey()));
      }
    }
    cache.statistics.puts(store(written, false));
    cache.statistics.put(start);
    if (failure != null) {
      throw failure;
    }
  }

  /** Stores {@code values} (when {@code onlyAbsent}, only where no entry is); how many. */
  private long store(Map<K, V> values, boolean onlyAbsent) {
    long stored = 0;
    for (Map.Entry<K, V> entry : values.entrySet()) {
      Lock lock = cache.entries.lock(entry.getKey());
      lock.lock();
      try {
        long now = cache.entries.now();
        if (onlyAbsent) {
          if (cache.entries.live(entry.getKey(), now) == null
              && cache.entries.create(entry.getKey(), entry.getValue(), now)) {
            stored++;
          }
        } else if (cache.store(entry.getKey(), entry.getValue(), now)) {
          stored++;
        }
      } finally {
        lock.unlock();
      }
    }
    return stored;
  }

  void removeAll(Set<? extends K> keys) {
    requireKeys(keys);
    long start = cache.statistics.start();
    Set<K> deleted = new LinkedHashSet<>(keys);
    RuntimeException failure = null;
    CacheWriter<K, V> writer = cache.integration.writer();
    if (writer != null && !keys.isEmpty()) {
      Collection<K> undeleted = new ArrayList<>(keys);
      try {
        writer.deleteAll(undeleted);
      } catch (RuntimeException e) {
        failure = Integration.writeFailure(e, "deleteAll");
        deleted.removeAll(new HashSet<>(undeleted));
      }
    }
    for (K key : deleted) {
      Lock lock = cache.entries.lock(key);
      lock.lock();
      try {
        Expirable old = cache.entries.live(key, cache.entries.now());
        if (old != null) {
          cache.entries.delete(key, old);
          cache.statistics.removals(1);
        }
      } finally {
        lock.unlock();
      }
    }
    cache.statistics.removed(start);
    if (failure != null) {
      throw failure;
    }
  }

  @SuppressWarnings("unchecked")
  void removeAll() {
    Set<K> keys = new LinkedHashSet<>();
    for (Object key : cache.entries.keys()) {
      keys.add((K) key);
    }
    removeAll(keys);
  }

  void loadAll(Set<? extends K> keys, boolean replaceExisting,
      @Nullable CompletionListener listener) {
    requireKeys(keys);
    CompletionListener done = listener == null ? NO_LISTENER : listener;
    if (!cache.integration.hasLoader()) {
      done.onCompletion();
      return;
    }
    Set<K> asked = new LinkedHashSet<>(keys);
    try {
      cache.executor.execute(() -> {
        try {
          Set<K> toLoad = new LinkedHashSet<>();
          for (K key : asked) {
            if (replaceExisting || !cache.containsKey(key)) {
              toLoad.add(key);
            }
          }
          Map<K, V> loaded = toLoad.isEmpty() ? Map.of()
              : cache.integration.loadAll(toLoad);
          store(loaded, !replaceExisting);
          done.onCompletion();
        } catch (Exception e) {
          done.onException(e);
        }
      });
    } catch (RejectedExecutionException e) {
      done.onException(e);
    }
  }

  <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys,
      EntryProcessor<K, V, T> processor, Object... arguments) {
    requireKeys(keys);
    Objects.requireNonNull(processor, "processor");
    Map<K, EntryProcessorResult<T>> results = new HashMap<>();
    for (K key : keys) {
      try {
        T result = cache.invoke(key, processor, arguments);
        if (result != null) {
          results.put(key, () -> result);
        }
      } catch (RuntimeException e) {
        EntryProcessorException failure = e instanceof EntryProcessorException processing
            ? processing : new EntryProcessorException(e);
        results.put(key, () -> {
          throw failure;
        });
      }
    }
    return results;
  }

  private static void requireKeys(Set<?> keys) {
    Objects.requireNonNull(keys, "keys");
    for (Object key : keys) {
      Objects.requireNonNull(key, "a key in keys");
    }
  }

  private static final CompletionListener NO_LISTENER = new CompletionListener() {
    @Override
    public void onCompletion() {}

    @Override
    public void onException(Exception e) {}
  };
}
