package io.ucache.caffeine;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.ConcurrentStatsCounter;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;
import io.ucache.AsyncCache;
import io.ucache.BulkLoader;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheLoadException;
import io.ucache.CacheLoader;
import io.ucache.CacheStats;
import io.ucache.CachedValue;
import io.ucache.Capability;
import io.ucache.Ticker;
import io.ucache.spi.SingleFlight;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One named cache of the Caffeine engine. Values are stored as they are, except cached nulls
 * ({@link Stored.NullValue}) and values with their own deadline ({@link Stored.Deadline}).
 */
final class CaffeineCache<K, V> implements Cache<K, V> {

  /**
   * The engine that handed this cache out: a user who keeps only the cache keeps the engine
   * reachable too, so the engine's leak guard never closes it under them.
   */
  @SuppressWarnings("unused")
  private volatile @Nullable Object engine;

  private final String name;
  private final CacheConfig config;
  private final Class<K> keyType;
  private final Class<V> valueType;
  private final com.github.benmanes.caffeine.cache.Cache<K, Object> store;
  private final Ticker ticker;
  private final boolean nullValues;
  /** Whether every stored object is the value itself: no cached nulls, no deadlines. */
  private final boolean plainValues;
  /**
   * The counters of this class's own loads ({@link #load}); null with stats off. Caffeine counts
   * the rest itself, in its default counter: giving it this one through
   * {@code recordStats(Supplier)} would wrap it in a guard that costs every hit a call.
   */
  private final @Nullable StatsCounter counter;
  /**
   * Whether the Caffeine cache was built with variable expiry, which single-entry TTLs need. It
   * costs every hit a call into {@link EntryExpiry} and timer-wheel upkeep (several times a plain
   * hit), so only caches that ask for it with {@code require=per-entry-ttl} get it; the others
   * use Caffeine's fixed expire-after-write and expire-after-access, or no expiry at all.
   */
  private final boolean perEntryTtl;
  /** The write ttl when every write must carry a deadline (ttl with expire-after-access); else -1. */
  private final long deadlineTtlNanos;
  /** Loads running in {@link #get(Object, CacheLoader)}, so that callers of a key share one. */
  private final SingleFlight<K> loads = new SingleFlight<>();
  private final AsyncCache<K, V> async;
  private final ConcurrentMap<K, V> mapView;
  private volatile boolean closed;

  CaffeineCache(String name, CacheConfig config, Class<K> keyType, Class<V> valueType) {
    this.name = name;
    this.config = config;
    this.keyType = keyType;
    this.valueType = valueType;
    this.ticker = config.ticker();
    this.nullValues = config.nullValues();
    long ttl = config.ttl().map(CaffeineCache::nanos).orElse(EntryExpiry.NEVER);
    long access = config.expireAfterAccess().map(CaffeineCache::nanos).orElse(EntryExpiry.NEVER);
    this.perEntryTtl = config.require().contains(Capability.PER_ENTRY_TTL);
    this.deadlineTtlNanos = perEntryTtl && ttl != EntryExpiry.NEVER && access != EntryExpiry.NEVER
        ? ttl : -1;
    this.plainValues = !nullValues && !perEntryTtl;

    Caffeine<Object, Object> builder = Caffeine.newBuilder();
    if (perEntryTtl) {
      builder.expireAfter(new EntryExpiry(ttl, access));
    } else {
      if (ttl != EntryExpiry.NEVER) {
        builder.expireAfterWrite(Duration.ofNanos(ttl));
      }
      if (access != EntryExpiry.NEVER) {
        builder.expireAfterAccess(Duration.ofNanos(access));
      }
    }
    if (perEntryTtl || ttl != EntryExpiry.NEVER || access != EntryExpiry.NEVER) {
      builder.ticker(ticker::read);
    }
    config.maxSize().ifPresent(builder::maximumSize);
    if (config.stats()) {
      builder.recordStats();
      this.counter = new ConcurrentStatsCounter();
    } else {
      this.counter = null;
    }
    this.store = builder.build();
    this.async = AsyncCache.inProcess(this, ForkJoinPool.commonPool());
    this.mapView = new StoredMapView<>(store.asMap(), this::storeNonNull, CaffeineCache::unwrap,
        this::checkOpen, loads);
  }

  @Override
  public String name() {
    return name;
  }

  // --- reads: the hit path is getIfPresent and one flag; nothing allocated or locked

  /**
   * {@inheritDoc}
   *
   * <p>Whether the cache is closed is checked on a miss only: closing empties the store before
   * anything else can find it closed, so after {@code close()} every read misses and throws, and
   * a hit, the path that matters, reads no volatile flag of its own.
   */
  @Override
  @SuppressWarnings("unchecked")
  public @Nullable V get(K key) {
    Object stored = store.getIfPresent(key);
    if (stored == null) {
      checkOpen();
      return null;
    }
    return plainValues ? (V) stored : unwrap(stored);
  }

  @Override
  public @Nullable CachedValue<V> lookup(K key) {
    checkOpen();
    Object stored = store.getIfPresent(key);
    return stored == null ? null : new CachedValue<>(unwrap(stored));
  }

  @Override
  public @Nullable V get(K key, CacheLoader<? super K, ? extends V> loader) {
    checkOpen();
    Objects.requireNonNull(loader, "loader");
    Object stored = store.getIfPresent(key);
    if (stored == null) {
      stored = load(key, loader);
    }
    return stored == null ? null : unwrap(stored);
  }

  /**
   * Loads the value for {@code key} after a miss, once per key at a time, outside every lock:
   * Caffeine's own {@code get(key, fn)} would run the loader inside its hash-bin lock, so a
   * loader could not load other keys (recursion fails) and keys of the same bin would wait.
   */
  private @Nullable Object load(K key, CacheLoader<? super K, ? extends V> loader) {
    return loads.run(key, () -> {
      // A caller that missed just before the previous load stored its value finds it here
      // (asMap().get counts no hit or miss: this call's miss was counted already).
      Object current = store.asMap().get(key);
      if (current != null) {
        return current;
      }
      long start = System.nanoTime();
      V value;
      try {
        value = loader.load(key);
      } catch (RuntimeException | Error e) {
        recordLoad(false, start);
        throw e;
      } catch (Exception e) {
        recordLoad(false, start);
        throw new CacheLoadException(key, e);
      }
      if (value == null && !nullValues) {
        recordLoad(false, start); // as Caffeine counts a loader returning null
        return null;
      }
      recordLoad(true, start);
      Object fresh = store(value);
      // A value put while the loader ran is newer than what it loaded: keep that one.
      Object raced = store.asMap().putIfAbsent(key, fresh);
      if (raced != null) {
        return raced;
      }
      if (loads.isInvalidated(key)) {
        // Evicted while loading: what was loaded may predate the eviction, so it must not stay.
        store.asMap().remove(key, fresh);
      }
      return fresh;
    });
  }

  private void recordLoad(boolean success, long start) {
    if (counter != null) {
      long elapsed = System.nanoTime() - start;
      if (success) {
        counter.recordLoadSuccess(elapsed);
      } else {
        counter.recordLoadFailure(elapsed);
      }
    }
  }

  @Override
  public Map<K, V> getAll(Iterable<? extends K> keys) {
    checkOpen();
    return unwrapAll(store.getAllPresent(keys));
  }

  @Override
  public Map<K, V> getAll(Iterable<? extends K> keys, BulkLoader<K, V> loader) {
    checkOpen();
    Objects.requireNonNull(loader, "loader");
    Map<K, Object> found = store.getAll(keys, missing -> {
      Set<K> asked = Set.copyOf(missing);
      Map<? extends K, ? extends V> loaded;
      try {
        loaded = loader.loadAll(asked);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new CacheLoadException(asked, e);
      }
      Map<K, Object> stored = new LinkedHashMap<>();
      Objects.requireNonNull(loaded, "the bulk loader returned null").forEach((k, v) -> {
        if (v != null || nullValues) {
          stored.put(Objects.requireNonNull(k, "the bulk loader returned a null key"), store(v));
        }
      });
      return stored;
    });
    return unwrapAll(found);
  }

  // --- writes

  @Override
  public void put(K key, @Nullable V value) {
    checkOpen();
    Objects.requireNonNull(key, "key");
    store.put(key, store(value));
  }

  @Override
  public void put(K key, @Nullable V value, Duration ttl) {
    checkOpen();
    Objects.requireNonNull(key, "key");
    long nanos = nanos(ttl);
    if (nanos <= 0) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    if (!perEntryTtl) {
      throw new UnsupportedOperationException("Cache '" + name + "' cannot expire single "
          + "entries: the caffeine engine builds that ability only into caches whose "
          + "configuration says require=per-entry-ttl, as it slows every hit");
    }
    store.put(key, Stored.Deadline.after(storeValue(value), ticker.read(), nanos));
  }

  @Override
  public @Nullable CachedValue<V> putIfAbsent(K key, @Nullable V value) {
    checkOpen();
    Objects.requireNonNull(key, "key");
    Object previous = store.asMap().putIfAbsent(key, store(value));
    return previous == null ? null : new CachedValue<>(unwrap(previous));
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> entries) {
    checkOpen();
    Map<K, Object> stored = new LinkedHashMap<>();
    entries.forEach((k, v) -> stored.put(Objects.requireNonNull(k, "key"), store(v)));
    store.putAll(stored);
  }

  @Override
  public void evict(K key) {
    checkOpen();
    loads.invalidate(key);
    store.invalidate(key);
  }

  @Override
  public void evictAll(Iterable<? extends K> keys) {
    checkOpen();
    keys.forEach(loads::invalidate);
    store.invalidateAll(keys);
  }

  @Override
  public void clear() {
    checkOpen();
    loads.invalidateAll();
    store.invalidateAll();
  }

  // --- views and counters

  @Override
  public CacheStats stats() {
    checkOpen();
    if (counter == null) {
      return CacheStats.EMPTY;
    }
    com.github.benmanes.caffeine.cache.stats.CacheStats s = store.stats().plus(counter.snapshot());
    return new CacheStats(s.hitCount(), s.missCount(), s.loadSuccessCount(),
        s.loadFailureCount(), s.totalLoadTime(), s.evictionCount(), 0);
  }

  @Override
  public AsyncCache<K, V> async() {
    checkOpen();
    return async;
  }

  @Override
  public ConcurrentMap<K, V> asMap() {
    checkOpen();
    return mapView;
  }

  @Override
  public Stream<K> keys() {
    checkOpen();
    // Caffeine's key set is weakly consistent and holds no resource, so there is nothing to close.
    return store.asMap().keySet().stream();
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    checkOpen();
    if (type.isInstance(store)) {
      return type.cast(store);
    }
    throw new IllegalArgumentException("Cache '" + name + "' of the caffeine engine has no "
        + type.getName() + "; it has a " + com.github.benmanes.caffeine.cache.Cache.class.getName());
  }

  @Override
  public String toString() {
    return "CaffeineCache{name=" + name + ", size=" + store.estimatedSize()
        + (closed ? ", closed" : "") + "}";
  }

  /** The configuration this cache was built with: the engine's, with this cache's overrides. */
  CacheConfig config() {
    return config;
  }

  /** This cache with its type parameters checked against what it was created with. */
  /** Records the engine that handed this cache out; see {@link #engine}. */
  void heldBy(Object engine) {
    this.engine = engine;
  }

  @SuppressWarnings("unchecked")
  <K2, V2> Cache<K2, V2> as(Class<K2> keyType, Class<V2> valueType) {
    if (this.keyType != keyType || this.valueType != valueType) {
      throw new IllegalArgumentException("Cache '" + name + "' holds " + this.keyType.getName()
          + " -> " + this.valueType.getName() + ", not " + keyType.getName() + " -> "
          + valueType.getName());
    }
    return (Cache<K2, V2>) this;
  }

  void close() {
    // Closed first, emptied second: a read that misses from now on finds the flag set.
    closed = true;
    store.invalidateAll();
    store.cleanUp();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("Cache '" + name + "' is closed: its caffeine engine was closed");
    }
  }

  /** What to store for {@code value}: rejects null unless null values are on; adds a deadline. */
  private Object store(@Nullable V value) {
    Object stored = storeValue(value);
    return deadlineTtlNanos < 0
        ? stored
        : Stored.Deadline.after(stored, ticker.read(), deadlineTtlNanos);
  }

  private Object storeValue(@Nullable V value) {
    if (value != null) {
      return value;
    }
    if (nullValues) {
      return Stored.NullValue.INSTANCE;
    }
    throw new NullPointerException("Cache '" + name + "' does not allow null values; set "
        + "null-values=true to cache them");
  }

  private Object storeNonNull(V value) {
    return store(Objects.requireNonNull(value, "value"));
  }

  @SuppressWarnings("unchecked")
  static <V> @Nullable V unwrap(Object stored) {
    Object value = stored instanceof Stored.Deadline d ? d.value : stored;
    return value == Stored.NullValue.INSTANCE ? null : (V) value;
  }

  private Map<K, V> unwrapAll(Map<K, Object> stored) {
    Map<K, V> values = new LinkedHashMap<>(Math.max(4, stored.size() * 2));
    stored.forEach((k, v) -> values.put(k, unwrap(v)));
    return Collections.unmodifiableMap(values);
  }

  private static long nanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return duration.isNegative() ? Long.MIN_VALUE : EntryExpiry.NEVER;
    }
  }
}
