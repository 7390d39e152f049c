package io.ucache.redis;

import io.ucache.CachedValue;
import io.ucache.spi.CacheMapView;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code ConcurrentMap<K, V>} view of a {@link RedisCache}. Single-key operations are single
 * Redis commands ({@code SET GET}, a GET-then-SET-NX script, {@code GETDEL}); the conditional ones
 * compare the decoded value and then swap the exact bytes read with a small Lua script, in a loop,
 * so they are atomic against every client of the server. Cached nulls are hidden, as a
 * {@code ConcurrentMap} holds no nulls. Iteration is a SCAN (weakly consistent); {@code size()}
 * walks it. Thread-safe.
 */
final class RedisMapView<K, V> extends CacheMapView<K, V> {

  private final RedisCache<K, V> cache;

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
    if (typed == null) {
      return null;
    }
    byte[] redisKey = cache.redisKeys().encode(typed);
    CachedValue<V> value = cache.decodeOrDrop(redisKey, read(redisKey));
    return value == null ? null : value.value();
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

  @Override
  public void clear() {
    cache.clear();
  }

  /** A SCAN over the cache's keys, reading each: skips keys gone or hidden meanwhile. */
  @Override
  protected Iterator<Entry<K, V>> visibleEntries() {
    return filtered(cache.new KeyIterator(), key -> {
      V value = get(key);
      return value == null ? null : Map.entry(key, value);
    });
  }

  @Override
  protected void removeKey(K key) {
    cache.evict(key);
  }

  @Override
  protected void checkOpen() {
    cache.checkOpen();
  }
}
