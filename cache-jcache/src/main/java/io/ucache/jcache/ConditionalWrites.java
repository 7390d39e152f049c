package io.ucache.jcache;

import java.util.Objects;
import java.util.concurrent.locks.Lock;
import org.jspecify.annotations.Nullable;

/**
 * A cache's writes that depend on what is there: {@code remove(key, value)},
 * {@code getAndRemove}, {@code replace} and {@code getAndReplace}, each under the key's lock, so
 * the comparison and the write are one step (across processes too, where {@link KeyLocks} reach
 * them). A comparison that fails counts as a hit and applies the entry's access expiry, as the
 * JSR-107 reference implementation does. Thread-safe.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class ConditionalWrites<K, V> {

  private final JCache<K, V> cache;

  ConditionalWrites(JCache<K, V> cache) {
    this.cache = cache;
  }

  boolean remove(K key, V oldValue) {
    cache.requireOpen();
    JCache.requireEntry(key, oldValue);
    long start = cache.statistics.start();
    Lock lock = cache.entries.lock(key);
    lock.lock();
    try {
      long now = cache.entries.now();
      Expirable old = matching(key, oldValue, now);
      if (old == null) {
        return false;
      }
      cache.integration.delete(key);
      cache.entries.delete(key, old);
      cache.statistics.removals(1);
      return true;
    } finally {
      lock.unlock();
      cache.statistics.removed(start);
    }
  }

  @Nullable V getAndRemove(K key) {
    cache.requireOpen();
    Objects.requireNonNull(key, "key");
    long start = cache.statistics.start();
    Lock lock = cache.entries.lock(key);
    lock.lock();
    try {
      cache.integration.delete(key);
      Expirable old = cache.entries.live(key, cache.entries.now());
      cache.countRead(old);
      if (old == null) {
        return null;
      }
      cache.entries.delete(key, old);
      cache.statistics.removals(1);
      return cache.entries.valueOf(old);
    } finally {
      lock.unlock();
      cache.statistics.gotten(start);
      cache.statistics.removed(start);
    }
  }

  boolean replace(K key, V oldValue, V newValue) {
    cache.requireOpen();
    JCache.requireEntry(key, oldValue);
    Objects.requireNonNull(newValue, "newValue");
    long start = cache.statistics.start();
    Lock lock = cache.entries.lock(key);
    lock.lock();
    try {
      long now = cache.entries.now();
      Expirable old = matching(key, oldValue, now);
      if (old == null) {
        return false;
      }
      cache.integration.write(key, newValue);
      if (cache.entries.update(key, old, newValue, now)) {
        cache.statistics.puts(1);
      }
      return true;
    } finally {
      lock.unlock();
      cache.statistics.put(start);
    }
  }

  /**
   * Replaces the value of a present {@code key}; its old value, or with {@code returnOld} false
   * the new one (spares a copy): null when nothing was replaced.
   */
  @Nullable V getAndReplace(K key, V value, boolean returnOld) {
    cache.requireOpen();
    JCache.requireEntry(key, value);
    long start = cache.statistics.start();
    Lock lock = cache.entries.lock(key);
    lock.lock();
    try {
      long now = cache.entries.now();
      Expirable old = cache.entries.live(key, now);
      cache.countRead(old);
      if (old == null) {
        return null;
      }
      cache.integration.write(key, value);
      if (cache.entries.update(key, old, value, now)) {
        cache.statistics.puts(1);
      }
      return returnOld ? cache.entries.valueOf(old) : value;
    } finally {
      lock.unlock();
      cache.statistics.gotten(start);
      cache.statistics.put(start);
    }
  }

  /**
   * The live entry of {@code key} if its value equals {@code expected} (a hit), else null: a miss
   * when there is none, a hit with the access expiry applied when it holds another value.
   */
  private @Nullable Expirable matching(K key, V expected, long now) {
    Expirable old = cache.entries.live(key, now);
    if (old == null) {
      cache.statistics.misses(1);
      return null;
    }
    cache.statistics.hits(1);
    if (!cache.entries.valueOf(old).equals(expected)) {
      cache.entries.accessed(key, old, now);
      return null;
    }
    return old;
  }
}
