package io.ucache.caffeine;

import io.ucache.spi.CacheMapView;
import io.ucache.spi.SingleFlight;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The {@code ConcurrentMap<K, V>} view of a store that holds wrapped values. Entries whose value
 * unwraps to {@code null} (cached nulls) are invisible, as a {@code ConcurrentMap} cannot hold
 * null values; writing to such a key through the view replaces the hidden null. Conditional
 * operations compare what they read with the store's own compare-and-set, so they stay atomic.
 * Like every method of its cache, the view throws {@link IllegalStateException} once the engine
 * is closed, so a view kept past close cannot write into a closed store.
 */
final class StoredMapView<K, V> extends CacheMapView<K, V> {

  private final ConcurrentMap<K, Object> store;
  private final Function<V, Object> wrap;
  private final Function<Object, @Nullable V> unwrap;
  private final Runnable openCheck;
  /** Told of every removal, so that a load in flight does not bring the entry back. */
  private final SingleFlight<K> loads;

  StoredMapView(ConcurrentMap<K, Object> store, Function<V, Object> wrap,
      Function<Object, @Nullable V> unwrap, Runnable checkOpen, SingleFlight<K> loads) {
    this.store = store;
    this.wrap = wrap;
    this.unwrap = unwrap;
    this.openCheck = checkOpen;
    this.loads = loads;
  }

  private @Nullable V visible(@Nullable Object stored) {
    return stored == null ? null : unwrap.apply(stored);
  }

  @Override
  public @Nullable V get(Object key) {
    checkOpen();
    return visible(store.get(key));
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public @Nullable V put(K key, V value) {
    checkOpen();
    Objects.requireNonNull(key, "key");
    return visible(store.put(key, wrap.apply(Objects.requireNonNull(value, "value"))));
  }

  @Override
  public @Nullable V putIfAbsent(K key, V value) {
    checkOpen();
    Objects.requireNonNull(key, "key");
    Object wrapped = wrap.apply(Objects.requireNonNull(value, "value"));
    while (true) {
      Object previous = store.putIfAbsent(key, wrapped);
      if (previous == null) {
        return null;
      }
      V current = visible(previous);
      if (current != null) {
        return current;
      }
      if (store.replace(key, previous, wrapped)) {
        return null;
      }
    }
  }

  @Override
  public @Nullable V remove(Object key) {
    checkOpen();
    loads.invalidate(key);
    return visible(store.remove(key));
  }

  @Override
  public boolean remove(Object key, @Nullable Object value) {
    checkOpen();
    Objects.requireNonNull(key, "key");
    if (value == null) {
      return false;
    }
    while (true) {
      Object stored = store.get(key);
      if (stored == null || !value.equals(visible(stored))) {
        return false;
      }
      loads.invalidate(key);
      if (store.remove(key, stored)) {
        return true;
      }
    }
  }

  @Override
  public @Nullable V replace(K key, V value) {
    checkOpen();
    Objects.requireNonNull(key, "key");
    Object wrapped = wrap.apply(Objects.requireNonNull(value, "value"));
    while (true) {
      Object stored = store.get(key);
      V current = visible(stored);
      if (current == null) {
        return null;
      }
      if (store.replace(key, stored, wrapped)) {
        return current;
      }
    }
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    checkOpen();
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(oldValue, "oldValue");
    Object wrapped = wrap.apply(Objects.requireNonNull(newValue, "newValue"));
    while (true) {
      Object stored = store.get(key);
      if (stored == null || !oldValue.equals(visible(stored))) {
        return false;
      }
      if (store.replace(key, stored, wrapped)) {
        return true;
      }
    }
  }

  @Override
  public void clear() {
    checkOpen();
    loads.invalidateAll();
    store.clear();
  }

  @Override
  protected Iterator<Entry<K, V>> visibleEntries() {
    return filtered(store.entrySet().iterator(), e -> {
      V value = visible(e.getValue());
      return value == null ? null : Map.entry(e.getKey(), value);
    });
  }

  @Override
  protected void removeKey(K key) {
    loads.invalidate(key);
    store.remove(key);
  }

  @Override
  protected void checkOpen() {
    openCheck.run();
  }
}
