package io.ucache.redis;

import io.ucache.CachedValue;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@code ConcurrentMap<K, V>} view of a {@link RedisCache}. Single-key operations are single
 * Redis commands ({@code SET GET}, a GET-then-SET-NX script, {@code GETDEL}); the conditional ones
 * compare the decoded value and then swap the exact bytes read with a small Lua script, in a loop,
 * so they are atomic against every client of the server. Cached nulls are hidden, as a
 * {@code ConcurrentMap} holds no nulls. Iteration is a SCAN (weakly consistent); {@code size()}
 * walks it. Thread-safe.
 */
final class RedisMapView<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V> {

  private final RedisCache<K, V> cache;
  private @Nullable Set<Entry<K, V>> entrySet;

  RedisMapView(RedisCache<K, V> cache) {
    this.cache = cache;
  }

  private @Nullable V visible(byte @Nullable [] stored) {
    CachedValue<V> value = cache.decodeRaw(stored);
    return value == null ? null : value.value();
  }

  private byte @Nullable [] read(byte[] redisKey) {
    return cache.call(() -> cache.readRaw(redisKey), null);
  }

  @Override
  public @Nullable V get(Object key) {
    cache.checkOpen();
    K typed = cache.redisKeys().cast(Objects.requireNonNull(key, "key"));
    return typed == null ? null : visible(read(cache.redisKeys().encode(typed)));
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public @Nullable V put(K key, V value) {
    cache.checkOpen();
    byte[] redisKey = cache.redisKeys().encode(Objects.requireNonNull(key, "key"));
    byte[] stored = cache.encodeNonNull(key, redisKey, value);
    return visible(cache.call(() -> cache.replaceRaw(redisKey, stored), null));
  }

  @Override
  public @Nullable V putIfAbsent(K key, V value) {
    cache.checkOpen();
    byte[] redisKey = cache.redisKeys().encode(Objects.requireNonNull(key, "key"));
    byte[] stored = cache.encodeNonNull(key, redisKey, value);
    while (true) {
      byte[] previous = cache.call(() -> cache.setIfAbsentRaw(redisKey, stored), null);
      if (previous == null) {
        return null;
      }
      V current = visible(previous);
      if (current != null) {
        return current;
      }
      // A hidden cached null: replace it, as if absent.
      if (cache.compareAndSet(redisKey, previous, stored)) {
        return null;
      }
    }
  }

  @Override
  public @Nullable V remove(Object key) {
    cache.checkOpen();
    K typed = cache.redisKeys().cast(Objects.requireNonNull(key, "key"));
    if (typed == null) {
      return null;
    }
    return visible(cache.removeRaw(cache.redisKeys().encode(typed)));
  }

  @Override
  public boolean remove(Object key, @Nullable Object value) {
    cache.checkOpen();
    K typed = cache.redisKeys().cast(Objects.requireNonNull(key, "key"));
    if (typed == null || value == null) {
      return false;
    }
    byte[] redisKey = cache.redisKeys().encode(typed);
    while (true) {
      byte[] stored = read(redisKey);
      if (stored == null || !value.equals(visible(stored))) {
        return false;
      }
      if (cache.compareAndDelete(redisKey, stored)) {
        return true;
      }
    }
  }

  @Override
  public @Nullable V replace(K key, V value) {
    cache.checkOpen();
    byte[] redisKey = cache.redisKeys().encode(Objects.requireNonNull(key, "key"));
    byte[] replacement = cache.encodeNonNull(key, redisKey, value);
    while (true) {
      byte[] stored = read(redisKey);
      V current = visible(stored);
      if (stored == null || current == null) {
        return null;
      }
      if (cache.compareAndSet(redisKey, stored, replacement)) {
        return current;
      }
    }
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    cache.checkOpen();
    Objects.requireNonNull(oldValue, "oldValue");
    byte[] redisKey = cache.redisKeys().encode(Objects.requireNonNull(key, "key"));
    byte[] replacement = cache.encodeNonNull(key, redisKey, newValue);
    while (true) {
      byte[] stored = read(redisKey);
      if (stored == null || !oldValue.equals(visible(stored))) {
        return false;
      }
      if (Arrays.equals(stored, replacement) || cache.compareAndSet(redisKey, stored, replacement)) {
        return true;
      }
    }
  }

  /** Counts the visible entries: a walk over the keys. */
  @Override
  public int size() {
    cache.checkOpen();
    int size = 0;
    for (Iterator<Entry<K, V>> it = entrySet().iterator(); it.hasNext(); it.next()) {
      size++;
    }
    return size;
  }

  @Override
  public boolean isEmpty() {
    return !entrySet().iterator().hasNext();
  }

  @Override
  public void clear() {
    cache.clear();
  }

  @Override
  public Set<Entry<K, V>> entrySet() {
    Set<Entry<K, V>> set = entrySet;
    return set != null ? set : (entrySet = new EntrySet());
  }

  private final class EntrySet extends AbstractSet<Entry<K, V>> {
    @Override
    public Iterator<Entry<K, V>> iterator() {
      cache.checkOpen();
      return new EntryIterator(cache.new KeyIterator());
    }

    @Override
    public int size() {
      return RedisMapView.this.size();
    }

    @Override
    public boolean contains(Object o) {
      if (!(o instanceof Entry<?, ?> e) || e.getKey() == null) {
        return false;
      }
      V value = get(e.getKey());
      return value != null && value.equals(e.getValue());
    }

    @Override
    public boolean remove(Object o) {
      return o instanceof Entry<?, ?> e && e.getKey() != null
          && RedisMapView.this.remove(e.getKey(), e.getValue());
    }

    @Override
    public void clear() {
      RedisMapView.this.clear();
    }
  }

  /** Skips keys whose entry is gone or hidden; {@code remove()} removes the entry last returned. */
  private final class EntryIterator implements Iterator<Entry<K, V>> {
    private final Iterator<K> keys;
    private @Nullable Entry<K, V> next;
    private @Nullable K last;

    EntryIterator(Iterator<K> keys) {
      this.keys = keys;
    }

    @Override
    public boolean hasNext() {
      cache.checkOpen();
      while (next == null && keys.hasNext()) {
        K key = keys.next();
        V value = get(key);
        if (value != null) {
          next = new WriteThroughEntry(key, value);
        }
      }
      return next != null;
    }

    @Override
    public Entry<K, V> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Entry<K, V> entry = Objects.requireNonNull(next);
      last = entry.getKey();
      next = null;
      return entry;
    }

    @Override
    public void remove() {
      K key = last;
      if (key == null) {
        throw new IllegalStateException("next() was not called, or remove() was already called");
      }
      cache.evict(key);
      last = null;
    }
  }

  /** An entry whose {@code setValue} writes to the map, like ConcurrentHashMap's. */
  private final class WriteThroughEntry extends SimpleEntry<K, V> {
    private static final long serialVersionUID = 1L;

    WriteThroughEntry(K key, V value) {
      super(key, value);
    }

    @Override
    public V setValue(V value) {
      put(getKey(), value);
      return super.setValue(value);
    }
  }
}
