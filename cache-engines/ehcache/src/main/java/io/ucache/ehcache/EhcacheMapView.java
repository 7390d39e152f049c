package io.ucache.ehcache;

import io.ucache.CachedValue;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@code ConcurrentMap<K, V>} view of an {@link EhcacheCache}. Conditional operations map to
 * Ehcache's atomic ones ({@code putIfAbsent}, {@code replace(k, old, new)}, {@code remove(k, v)})
 * in compare-and-set loops over the stored form, so they stay atomic across threads. Entries that
 * show no value (cached nulls, as a {@code ConcurrentMap} holds no nulls) are invisible; writing
 * to such a key through the view replaces the hidden entry. Iteration walks the disk tier and is
 * weakly consistent. Removals and {@code clear()} overtake a load running in
 * {@code Cache.get(key, loader)}, as {@code evict} and the cache's {@code clear} do. Like every
 * method of its cache, the view throws {@link IllegalStateException} once the engine is closed.
 */
final class EhcacheMapView<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V> {

  private final EhcacheCache<K, V> cache;
  private final org.ehcache.Cache<EncodedKey, StoredValue> store;
  private @Nullable Set<Entry<K, V>> entrySet;

  EhcacheMapView(EhcacheCache<K, V> cache) {
    this.cache = cache;
    this.store = cache.store();
  }

  private @Nullable V value(EncodedKey encoded, @Nullable StoredValue stored) {
    CachedValue<V> visible = cache.visible(encoded, stored);
    return visible == null ? null : visible.value();
  }

  @Override
  public @Nullable V get(Object key) {
    cache.checkOpen();
    EncodedKey encoded = cache.keyCodec().encodeIfKey(key);
    return encoded == null ? null : value(encoded, store.get(encoded));
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public @Nullable V put(K key, V value) {
    cache.checkOpen();
    EncodedKey encoded = cache.keyCodec().encode(key);
    StoredValue stored = cache.storeNonNull(value);
    while (true) {
      StoredValue previous = store.putIfAbsent(encoded, stored);
      if (previous == null) {
        cache.trim(encoded);
        return null;
      }
      if (store.replace(encoded, previous, stored)) {
        return value(encoded, previous);
      }
    }
  }

  @Override
  public @Nullable V putIfAbsent(K key, V value) {
    cache.checkOpen();
    EncodedKey encoded = cache.keyCodec().encode(key);
    StoredValue stored = cache.storeNonNull(value);
    while (true) {
      StoredValue previous = store.putIfAbsent(encoded, stored);
      if (previous == null) {
        cache.trim(encoded);
        return null;
      }
      V current = value(encoded, previous);
      if (current != null) {
        return current;
      }
      if (store.replace(encoded, previous, stored)) {
        return null;
      }
    }
  }

  @Override
  public @Nullable V remove(Object key) {
    cache.checkOpen();
    EncodedKey encoded = cache.keyCodec().encodeIfKey(key);
    if (encoded == null) {
      return null;
    }
    cache.invalidateLoad(encoded);
    while (true) {
      StoredValue stored = store.get(encoded);
      if (stored == null) {
        return null;
      }
      if (store.remove(encoded, stored)) {
        return value(encoded, stored);
      }
    }
  }

  @Override
  public boolean remove(Object key, @Nullable Object value) {
    cache.checkOpen();
    EncodedKey encoded = cache.keyCodec().encodeIfKey(key);
    if (encoded == null || value == null) {
      return false;
    }
    while (true) {
      StoredValue stored = store.get(encoded);
      if (stored == null || !value.equals(value(encoded, stored))) {
        return false;
      }
      cache.invalidateLoad(encoded);
      if (store.remove(encoded, stored)) {
        return true;
      }
    }
  }

  @Override
  public @Nullable V replace(K key, V value) {
    cache.checkOpen();
    EncodedKey encoded = cache.keyCodec().encode(key);
    StoredValue replacement = cache.storeNonNull(value);
    while (true) {
      StoredValue stored = store.get(encoded);
      V current = value(encoded, stored);
      if (stored == null || current == null) {
        return null;
      }
      if (store.replace(encoded, stored, replacement)) {
        return current;
      }
    }
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    cache.checkOpen();
    EncodedKey encoded = cache.keyCodec().encode(key);
    Objects.requireNonNull(oldValue, "oldValue");
    StoredValue replacement = cache.storeNonNull(newValue);
    while (true) {
      StoredValue stored = store.get(encoded);
      if (stored == null || !oldValue.equals(value(encoded, stored))) {
        return false;
      }
      if (store.replace(encoded, stored, replacement)) {
        return true;
      }
    }
  }

  /** Counts the visible entries: a walk over the disk tier. */
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
      return new EntryIterator(store.iterator());
    }

    @Override
    public int size() {
      return EhcacheMapView.this.size();
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
          && EhcacheMapView.this.remove(e.getKey(), e.getValue());
    }

    @Override
    public void clear() {
      EhcacheMapView.this.clear();
    }
  }

  /** Skips hidden and expired entries; {@code remove()} removes the entry last returned. */
  private final class EntryIterator implements Iterator<Entry<K, V>> {
    private final Iterator<org.ehcache.Cache.Entry<EncodedKey, StoredValue>> delegate;
    private @Nullable Entry<K, V> next;
    private @Nullable EncodedKey nextKey;
    private @Nullable EncodedKey lastKey;

    EntryIterator(Iterator<org.ehcache.Cache.Entry<EncodedKey, StoredValue>> delegate) {
      this.delegate = delegate;
    }

    @Override
    public boolean hasNext() {
      cache.checkOpen();
      long now = cache.now();
      while (next == null && delegate.hasNext()) {
        org.ehcache.Cache.Entry<EncodedKey, StoredValue> entry = delegate.next();
        StoredValue stored = entry.getValue();
        if (stored == null || !cache.isLive(stored, now)) {
          continue;
        }
        K key = cache.decodeKey(entry.getKey());
        V value = key == null ? null : value(entry.getKey(), stored);
        if (key != null && value != null) {
          next = new WriteThroughEntry(key, value);
          nextKey = entry.getKey();
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
      lastKey = nextKey;
      next = null;
      nextKey = null;
      return entry;
    }

    @Override
    public void remove() {
      EncodedKey key = lastKey;
      if (key == null) {
        throw new IllegalStateException("next() was not called, or remove() was already called");
      }
      cache.checkOpen();
      cache.invalidateLoad(key);
      store.remove(key);
      lastKey = null;
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
