package io.ucache.spi;

import io.ucache.CachedValue;
import io.ucache.EngineUnavailableException;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code ConcurrentMap} view of an {@link AbstractCache}, on the cache's primitives: the
 * single-key operations are the engine's atomic ones ({@code swap}, {@code writeIfAbsent},
 * {@code removeAndGet}), and the conditional ones compare the decoded value, then swap the very
 * stored form read with {@code replace}/{@code removeIfSame}, in a loop, so they stay atomic
 * against every other writer. Cached nulls and unreadable entries are hidden (a
 * {@code ConcurrentMap} holds no nulls); removals win over loads in flight, as evictions do.
 * Engine failures follow the cache's failure mode: with {@code open}, a read is absent and a write
 * is dropped. Thread-safe.
 */
final class StoreMapView<K, V, S> extends CacheMapView<K, V> {

  private final AbstractCache<K, V, S> cache;

  StoreMapView(AbstractCache<K, V, S> cache) {
    this.cache = cache;
  }

  @Override
  protected void checkOpen() {
    cache.checkOpen();
  }

  private @Nullable K typed(Object key) {
    Objects.requireNonNull(key, "key");
    return cache.keyType().isInstance(key) ? cache.keyType().cast(key) : null;
  }

  private @Nullable V valueOf(K key, @Nullable S stored) {
    CachedValue<V> found = cache.visible(key, stored);
    return found == null ? null : found.value();
  }

  private S encode(K key, V value) {
    return cache.encodeWrite(key, Objects.requireNonNull(value, "value"));
  }

  @Override
  public @Nullable V get(Object key) {
    checkOpen();
    K typed = typed(key);
    return typed == null ? null : valueOf(typed, cache.readOrMiss(typed));
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public @Nullable V put(K key, V value) {
    checkOpen();
    S stored = encode(Objects.requireNonNull(key, "key"), value);
    try {
      return valueOf(key, cache.swap(key, stored));
    } catch (EngineUnavailableException e) {
      cache.failed(e);
      return null;
    } finally {
      cache.changed(key);
    }
  }

  @Override
  public @Nullable V putIfAbsent(K key, V value) {
    checkOpen();
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    CachedValue<V> present = cache.putIfAbsent(key, value);
    return present == null ? null : present.value();
  }

  @Override
  public @Nullable V remove(Object key) {
    checkOpen();
    K typed = typed(key);
    if (typed == null) {
      return null;
    }
    cache.markEvicting(typed);
    try {
      return valueOf(typed, cache.removeAndGet(typed));
    } catch (EngineUnavailableException e) {
      cache.failed(e);
      return null;
    } finally {
      cache.changed(typed);
    }
  }

  @Override
  public boolean remove(Object key, @Nullable Object value) {
    checkOpen();
    K typed = typed(key);
    if (typed == null || value == null) {
      return false;
    }
    try {
      for (;;) {
        S stored = cache.read(typed);
        V current = valueOf(typed, stored);
        if (stored == null || current == null || !current.equals(value)) {
          return false;
        }
        cache.markEvicting(typed);
        if (cache.removeIfSame(typed, stored)) {
          cache.changed(typed);
          return true;
        }
      }
    } catch (EngineUnavailableException e) {
      cache.failed(e);
      return false;
    }
  }

  @Override
  public @Nullable V replace(K key, V value) {
    checkOpen();
    S replacement = encode(Objects.requireNonNull(key, "key"), value);
    try {
      for (;;) {
        S stored = cache.read(key);
        V current = valueOf(key, stored);
        if (stored == null || current == null) {
          return null;
        }
        if (cache.replace(key, stored, replacement)) {
          cache.changed(key);
          return current;
        }
      }
    } catch (EngineUnavailableException e) {
      cache.failed(e);
      return null;
    }
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    checkOpen();
    Objects.requireNonNull(oldValue, "oldValue");
    S replacement = encode(Objects.requireNonNull(key, "key"), newValue);
    try {
      for (;;) {
        S stored = cache.read(key);
        V current = valueOf(key, stored);
        if (stored == null || current == null || !current.equals(oldValue)) {
          return false;
        }
        if (cache.replace(key, stored, replacement)) {
          cache.changed(key);
          return true;
        }
      }
    } catch (EngineUnavailableException e) {
      cache.failed(e);
      return false;
    }
  }

  @Override
  public void clear() {
    cache.clear();
  }

  @Override
  protected void removeKey(K key) {
    cache.evict(key);
  }

  @Override
  protected Iterator<Entry<K, V>> visibleEntries() {
    Iterator<K> keys = cache.scanKeys();
    return filtered(keys, key -> {
      V value = get(key);
      return value == null ? null : Map.entry(key, value);
    });
  }
}
