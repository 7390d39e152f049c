package io.ucache.jcache;

import java.util.Map;
import javax.cache.Cache;

/** A key and its value, as {@code Cache.iterator()} and a cache writer see them. Immutable. */
final class JCacheEntry<K, V> implements Cache.Entry<K, V> {

  private final K key;
  private final V value;

  JCacheEntry(K key, V value) {
    this.key = key;
    this.value = value;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    return value;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    if (type == Map.Entry.class) {
      return type.cast(Map.entry(key, value));
    }
    throw new IllegalArgumentException("a cache entry is not a " + type.getName());
  }

  @Override
  public String toString() {
    return key + "=" + value;
  }
}
