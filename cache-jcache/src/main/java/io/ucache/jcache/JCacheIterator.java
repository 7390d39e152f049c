package io.ucache.jcache;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.Lock;
import javax.cache.Cache;
import org.jspecify.annotations.Nullable;

/**
 * Iterates over the entries stored when it was made that are still there and not expired when
 * reached (each counted as a hit, its access expiry applied); {@code remove} removes the last
 * one as {@code Cache.remove(key)} does. Not thread-safe.
 */
final class JCacheIterator<K, V> implements Iterator<Cache.Entry<K, V>> {

  private final JCache<K, V> cache;
  private final Iterator<Object> keys;
  private Cache.@Nullable Entry<K, V> next;
  private Cache.@Nullable Entry<K, V> last;

  JCacheIterator(JCache<K, V> cache) {
    this.cache = cache;
    List<Object> snapshot = cache.entries.keys();
    this.keys = snapshot.iterator();
  }

  @Override
  public boolean hasNext() {
    cache.requireOpen();
    while (next == null && keys.hasNext()) {
      next = read(keys.next());
    }
    return next != null;
  }

  @SuppressWarnings("unchecked")
  private Cache.@Nullable Entry<K, V> read(Object stored) {
    K key = (K) stored;
    Lock lock = cache.entries.lockForRead(key);
    lock.lock();
    try {
      long now = cache.entries.now();
      Expirable entry = cache.entries.liveForRead(key, now);
      if (entry == null) {
        return null;
      }
      cache.statistics.hits(1);
      cache.entries.accessed(key, entry, now);
      return new JCacheEntry<>(key, cache.entries.valueOf(entry));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Cache.Entry<K, V> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    last = next;
    next = null;
    return last;
  }

  @Override
  public void remove() {
    if (last == null) {
      throw new IllegalStateException("next() was not called, or remove() was called already");
    }
    cache.remove(last.getKey());
    last = null;
  }
}
