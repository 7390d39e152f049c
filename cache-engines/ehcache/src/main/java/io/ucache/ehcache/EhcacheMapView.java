package io.ucache.ehcache;

import io.ucache.CachedValue;
import io.ucache.spi.CacheMapView;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
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
final class EhcacheMapView<K, V> extends CacheMapView<K, V> {

  private final EhcacheCache<K, V> cache;
  private final org.ehcache.Cache<EncodedKey, StoredValue> store;

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

  @Override
  public void clear() {
    cache.clear();
  }

  /** Walks the disk tier, skipping hidden, expired and undecodable entries. */
  @Override
  protected Iterator<Entry<K, V>> visibleEntries() {
    long now = cache.now();
    return filtered(store.iterator(), entry -> {
      StoredValue stored = entry.getValue();
      if (stored == null || !cache.isLive(stored, now)) {
        return null;
      }
      K key = cache.decodeKey(entry.getKey());
      V value = key == null ? null : value(entry.getKey(), stored);
      return value == null ? null : Map.entry(key, value);
    });
  }

  @Override
  protected void removeKey(K key) {
    EncodedKey encoded = cache.keyCodec().encode(key);
    cache.invalidateLoad(encoded);
    store.remove(encoded);
  }

  @Override
  protected void checkOpen() {
    cache.checkOpen();
  }
}
