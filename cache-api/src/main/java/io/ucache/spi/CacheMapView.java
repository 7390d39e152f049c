package io.ucache.spi;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * The parts of a {@code Cache.asMap()} view that do not depend on the engine: the entry set, its
 * iterator (whose {@code remove()} removes the entry last returned, and whose entries write
 * through on {@code setValue}), {@code size()} and {@code isEmpty()} as walks. An engine supplies
 * the single-key operations ({@code get}, {@code put}, {@code putIfAbsent}, {@code remove},
 * {@code replace}...), the visible entries and the removal of one key.
 *
 * <p>Like every {@code ConcurrentMap}, the view holds no null keys or values: entries the engine
 * stores as cached nulls must be left out of {@link #visibleEntries()}. Iteration is weakly
 * consistent, as the engine's own is. Thread-safe when the engine's operations are.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public abstract class CacheMapView<K, V> extends AbstractMap<K, V>
    implements ConcurrentMap<K, V> {

  private @Nullable Set<Entry<K, V>> entrySet;

  protected CacheMapView() {}

  /**
   * The entries to iterate, lazily fetched, without cached nulls and expired entries; called once
   * per iteration. The entries may be plain pairs: the view wraps them.
   */
  protected abstract Iterator<Entry<K, V>> visibleEntries();

  /** Removes {@code key}, as the iterator's {@code remove()} does. */
  protected abstract void removeKey(K key);

  /**
   * Fails with {@link IllegalStateException} when the engine is closed.
   */
  protected abstract void checkOpen();

  /** Counts the visible entries: a walk, as the engine may hide or expire entries. */
  @Override
  public int size() {
    checkOpen();
    int size = 0;
    for (Iterator<Entry<K, V>> it = visibleEntries(); it.hasNext(); it.next()) {
      size++;
    }
    return size;
  }

  @Override
  public boolean isEmpty() {
    checkOpen();
    return !visibleEntries().hasNext();
  }

  @Override
  public Set<Entry<K, V>> entrySet() {
    Set<Entry<K, V>> set = entrySet;
    return set != null ? set : (entrySet = new EntrySet());
  }

  private final class EntrySet extends AbstractSet<Entry<K, V>> {
    @Override
    public Iterator<Entry<K, V>> iterator() {
      checkOpen();
      return new EntryIterator(visibleEntries());
    }

    @Override
    public int size() {
      return CacheMapView.this.size();
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
          && CacheMapView.this.remove(e.getKey(), e.getValue());
    }

    @Override
    public void clear() {
      CacheMapView.this.clear();
    }
  }

  /** {@code remove()} removes the entry last returned; entries write through. */
  private final class EntryIterator implements Iterator<Entry<K, V>> {
    private final Iterator<Entry<K, V>> visible;
    private @Nullable K last;

    EntryIterator(Iterator<Entry<K, V>> visible) {
      this.visible = visible;
    }

    @Override
    public boolean hasNext() {
      checkOpen();
      return visible.hasNext();
    }

    @Override
    public Entry<K, V> next() {
      Entry<K, V> entry = visible.next();
      last = entry.getKey();
      return new WriteThroughEntry(entry.getKey(), entry.getValue());
    }

    @Override
    public void remove() {
      K key = last;
      if (key == null) {
        throw new IllegalStateException("next() was not called, or remove() was already called");
      }
      checkOpen();
      removeKey(key);
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

  /** A lazily filtering iterator: the non-null results of {@code next} over {@code source}. */
  protected static <S, K, V> Iterator<Entry<K, V>> filtered(Iterator<S> source,
      java.util.function.Function<S, @Nullable Entry<K, V>> visible) {
    return new Iterator<>() {
      private @Nullable Entry<K, V> next;

      @Override
      public boolean hasNext() {
        while (next == null && source.hasNext()) {
          next = visible.apply(source.next());
        }
        return next != null;
      }

      @Override
      public Entry<K, V> next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        Entry<K, V> entry = next;
        next = null;
        return entry;
      }
    };
  }
}
