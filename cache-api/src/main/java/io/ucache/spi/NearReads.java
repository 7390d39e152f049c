package io.ucache.spi;

import io.ucache.NearStats.FlushCause;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The template's side of a near cache ({@code near.enabled}): reads served from this process's
 * copy when it has one (counted once, by the near cache, for the cache too: see
 * {@link AbstractCache#stats()}), else read from the engine and kept as the copy; and the copies
 * a change, a load or the engine's feed makes go. A copy keeps its entry's times, so what a
 * reader sees of it is the template's {@link AbstractCache#present}. Thread-safe.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
final class NearReads<K, V> {

  final NearCache<K> near;
  private final AbstractCache<K, V, ?> cache;
  /** The engine read a copy is made from ({@link AbstractCache#readDecoded}). */
  private final Function<K, @Nullable Object> engineRead;

  NearReads(AbstractCache<K, V, ?> cache, NearCache<K> near,
      Function<K, @Nullable Object> engineRead) {
    this.cache = cache;
    this.near = near;
    this.engineRead = engineRead;
  }

  /**
   * What {@code Cache.get(key)} finds, counted: a value, the null marker, or
   * {@link AbstractCache#MISSING}.
   */
  Object find(K key) {
    Object copy = near.copy(key);
    return copy != null ? served(copy) : fromEngine(key);
  }

  /**
   * This process's copy of {@code key} ({@link NearCache#copy}), or {@code null} when the engine
   * must be read. Counts nothing: {@link #served} counts the copy a caller serves.
   */
  @Nullable Object copy(K key) {
    return near.copy(key);
  }

  /**
   * What a reader sees of {@code copy}, a copy {@link #copy} returned, counted once, by the near
   * cache, for the cache too: as {@link #find}.
   */
  Object served(Object copy) {
    Object shown = cache.present(copy);
    if (!cache.isShown(shown)) {
      near.servedMiss();
      return AbstractCache.MISSING;
    }
    near.servedHit();
    return shown;
  }

  /**
   * What the engine holds of {@code key}, read through the near cache without looking at the
   * copy, counted: as {@link #find}.
   */
  Object fromEngine(K key) {
    Object found = cache.present(read(key));
    if (found == null || !cache.isShown(found)) {
      cache.counters.miss();
      return AbstractCache.MISSING;
    }
    cache.counters.hit();
    return found;
  }

  /**
   * What the engine holds of {@code key}, through the near cache (concurrent callers share one
   * read, kept as the copy while the feed is live): raw, a {@link TimedValue} keeping its times.
   */
  @Nullable Object read(K key) {
    return near.read(key, engineRead);
  }

  /** Puts the visible entries among {@code asked} into {@code found}; counts no hit or miss. */
  @SuppressWarnings("unchecked")
  void findAll(List<K> asked, Map<K, V> found) {
    Map<K, Object> raw = new HashMap<>();
    findAllRaw(asked, raw);
    for (K key : asked) {
      Object value = cache.present(raw.get(key));
      if (value != null && cache.isShown(value)) {
        found.put(key, value == AbstractCache.NULL_VALUE ? null : (V) value);
      }
    }
  }

  /** {@link AbstractCache#findAllRaw} through the copies: each copy, else the engine's entry. */
  void findAllRaw(List<K> asked, Map<K, Object> found) {
    for (K key : asked) {
      Object value = near.copy(key);
      if (value != null) {
        near.servedToBulk();
      } else {
        value = read(key);
      }
      if (value != null) {
        found.put(key, value);
      }
    }
  }

  /**
   * What a load about to start sees of {@code key} in the copy, as {@link AbstractCache#present}
   * shows it: the copy of a miss made by the read that just missed, or the value a load that
   * finished since stored; {@code null} when there is no copy, so the engine must be read.
   */
  @Nullable Object peek(K key) {
    Object copy = near.peek(key);
    return copy == null ? null : cache.present(copy);
  }

  /**
   * A loaded value was stored for {@code key}: older copies go, and it is the copy, unless the
   * entry carries times a copy must keep (then the next read fetches it).
   */
  void storedLoaded(K key, @Nullable V value, boolean timed) {
    near.invalidate(key);
    if (!timed) {
      near.store(key, value == null ? AbstractCache.NULL_VALUE : value);
    }
  }

  /** A key of the engine's feed changed: its copy goes, or every copy for a foreign key. */
  void changedByFeed(Object key, Class<K> keyType) {
    if (keyType.isInstance(key)) {
      near.changedByFeed(keyType.cast(key));
    } else {
      near.flush(FlushCause.ALL_CHANGED);
    }
  }
}
