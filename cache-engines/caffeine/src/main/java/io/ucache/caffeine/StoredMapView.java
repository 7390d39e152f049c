package io.ucache.caffeine;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import io.ucache.spi.SingleFlight;
import org.jspecify.annotations.Nullable;

/**
 * The {@code ConcurrentMap<K, V>} view of a store that holds wrapped values. Entries whose value
 * unwraps to {@code null} (cached nulls) are invisible, as a {@code ConcurrentMap} cannot hold
 * null values; writing to such a key through the view replaces the hidden null. Conditional
 * operations compare what they read with the store's own compare-and-set, so they stay atomic.
 * Like every method of its cache, the view throws {@link IllegalStateException} once the engine
 * is closed, so a view kept past close cannot write into a closed store.
 */
final class StoredMapView<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V> {

  private final ConcurrentMap<K, Object> store;
  private final Function<V, Object> wrap;
  private final Function<Object, @Nullable V> unwrap;
  private final Runnable checkOpen;
  /** Told of every removal, so that a load in flight does not bring the entry back. */
  private final SingleFlight<K> loads;
  private @Nullable Set<Entry<K, V>> entrySet;

  StoredMapView(ConcurrentMap<K, Object> store, Function<V, Object> wrap,
      Function<Object, @Nullable V> unwrap, Runnable checkOpen, SingleFlight<K> loads) {
    this.store = store;
    this.wrap = wrap;
    this.unwrap = unwrap;
    this.checkOpen = checkOpen;
    this.loads = loads;
  }

  private @Nullable V visible(@Nullable Object stored) {
    return stored == null ? null : unwrap.apply(stored);
  }

  @Override
  public @Nullable V get(Object key) {
    checkOpen.run();
    return visible(store.get(key));
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public @Nullable V put(K key, V value) {
    checkOpen.run();
    Objects.requireNonNull(key, "key");
    return visible(store.put(key, wrap.apply(Objects.requireNonNull(value, "value"))));
  }

  @Override
  public @Nullable V putIfAbsent(K key, V value) {
    checkOpen.run();
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
    checkOpen.run();
    loads.invalidate(key);
    return visible(store.remove(key));
  }

  @Override
  public boolean remove(Object key, @Nullable Object value) {
    checkOpen.run();
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
    checkOpen.run();
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
    checkOpen.run();
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
  public int size() {
    checkOpen.run();
    int size = 0;
    for (Object stored : store.values()) {
      if (visible(stored) != null) {
        size++;
      }
    }
    return size;
  }

  @Override
  public boolean isEmpty() {
    return !entrySet().iterator().hasNext();
  }

  @Override
  public void clear() {
    checkOpen.run();
    loads.invalidateAll();
    store.clear();
  }

  @Override
  public Set<Entry<K, V>> entrySet() {
    Set<Entry<K, V>> set = entrySet;
    return set != null ? set : (entrySet = new EntrySet());
  }

  private final class EntrySet extends AbstractSet<Entry<K, V>> {
    @Override
    public Iterator<Entry<K, V>> iterator() {
      checkOpen.run();
      return new EntryIterator(store.entrySet().iterator());
    }

    @Override
    public int size() {
      return StoredMapView.this.size();
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
          && StoredMapView.this.remove(e.getKey(), e.getValue());
    }

    @Override
    public void clear() {
      StoredMapView.this.clear();
    }
  }

  /** Skips hidden entries; {@code remove()} removes the entry last returned. */
  private final class EntryIterator implements Iterator<Entry<K, V>> {
    private final Iterator<Entry<K, Object>> delegate;
    private @Nullable Entry<K, V> next;
    private @Nullable K lastKey;

    EntryIterator(Iterator<Entry<K, Object>> delegate) {
      this.delegate = delegate;
    }

    @Override
    public boolean hasNext() {
      while (next == null && delegate.hasNext()) {
        Entry<K, Object> e = delegate.next();
        V value = visible(e.getValue());
        if (value != null) {
          next = new WriteThroughEntry(e.getKey(), value);
        }
      }
      return next != null;
    }

    @Override
    public Entry<K, V> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Entry<K, V> e = Objects.requireNonNull(next);
      next = null;
      lastKey = e.getKey();
      return e;
    }

    @Override
    public void remove() {
      K key = lastKey;
      if (key == null) {
        throw new IllegalStateException("next() was not called, or remove() was already called");
      }
      loads.invalidate(key);
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
