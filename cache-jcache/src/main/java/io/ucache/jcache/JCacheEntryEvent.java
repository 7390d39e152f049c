package io.ucache.jcache;

import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;
import org.jspecify.annotations.Nullable;

/** One change of one entry, as a listener sees it. Immutable. */
final class JCacheEntryEvent<K, V> extends CacheEntryEvent<K, V> {

  private static final long serialVersionUID = 1L;

  private final transient Cache<K, V> cache;
  private final transient K key;
  private final transient @Nullable V value;
  private final transient @Nullable V oldValue;
  private final boolean oldValueAvailable;

  JCacheEntryEvent(Cache<K, V> source, EventType type, K key, @Nullable V value,
      @Nullable V oldValue, boolean oldValueAvailable) {
    super(source, type);
    this.cache = source;
    this.key = key;
    this.value = value;
    this.oldValue = oldValue;
    this.oldValueAvailable = oldValueAvailable;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public @Nullable V getValue() {
    return value;
  }

  @Override
  public @Nullable V getOldValue() {
    return oldValueAvailable ? oldValue : null;
  }

  @Override
  public boolean isOldValueAvailable() {
    return oldValueAvailable;
  }

  /**
   * This event without its old value, for a listener that did not ask for it: a removal or an
   * expiry then carries no value at all (its value is the old one).
   */
  JCacheEntryEvent<K, V> withoutOldValue() {
    if (!oldValueAvailable) {
      return this;
    }
    boolean valueIsOld = getEventType() == EventType.REMOVED
        || getEventType() == EventType.EXPIRED;
    return new JCacheEntryEvent<>(cache, getEventType(), key, valueIsOld ? null : value, null,
        false);
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("a cache entry event is not a " + type.getName());
  }

  @Override
  public String toString() {
    return getEventType() + " " + key;
  }
}
