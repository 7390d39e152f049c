package io.ucache.caffeine;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.ucache.AsyncCache;
import io.ucache.BulkLoader;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheLoadException;
import io.ucache.CacheLoader;
import io.ucache.CacheStats;
import io.ucache.CachedValue;
import io.ucache.Ticker;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One named cache of the Caffeine engine. Values are stored as they are, except cached nulls
 * ({@link Stored.NullValue}) and values with their own deadline ({@link Stored.Deadline}).
 */
final class CaffeineCache<K, V> implements Cache<K, V> {

  private final String name;
  private final Class<K> keyType;
  private final Class<V> valueType;
  private final com.github.benmanes.caffeine.cache.Cache<K, Object> store;
  private final Ticker ticker;
  private final boolean nullValues;
  private final boolean recordStats;
  /** The write ttl when every write must carry a deadline (ttl with expire-after-access); else -1. */
  private final long deadlineTtlNanos;
  /** Loads running in {@link #get(Object, CacheLoader)}, so that callers of a key share one. */
  private final ConcurrentHashMap<K, Load> loading = new ConcurrentHashMap<>();
  private final AsyncCache<K, V> async;
  private final ConcurrentMap<K, V> mapView;
  private volatile boolean closed;

  CaffeineCache(String name, CacheConfig config, Class<K> keyType, Class<V> valueType) {
    this.name = name;
    this.keyType = keyType;
    this.valueType = valueType;
    this.ticker = config.ticker();
    this.nullValues = config.nullValues();
    this.recordStats = config.stats();
    long ttl = config.ttl().map(CaffeineCache::nanos).orElse(EntryExpiry.NEVER);
    long access = config.expireAfterAccess().map(CaffeineCache::nanos).orElse(EntryExpiry.NEVER);
    this.deadlineTtlNanos = ttl != EntryExpiry.NEVER && access != EntryExpiry.NEVER ? ttl : -1;

    Caffeine<Object, Object> builder = Caffeine.newBuilder()
        .ticker(ticker::read)
        .expireAfter(new EntryExpiry(ttl, access));
    config.maxSize().ifPresent(builder::maximumSize);
    if (recordStats) {
      builder.recordStats();
    }
    this.store = builder.build();
    this.async = AsyncCache.inProcess(this, ForkJoinPool.commonPool());
    this.mapView = new StoredMapView<>(store.asMap(), this::storeNonNull, CaffeineCache::unwrap,
        this::checkOpen);
  }

  @Override
  public String name() {
    return name;
  }

  // --- reads: the hit path is getIfPresent plus two type checks; nothing allocated or locked

  @Override
  public @Nullable V get(K key) {
    checkOpen();
    Object stored = store.getIfPresent(key);
    return stored == null ? null : unwrap(stored);
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
   * Loads the value for {@code key} after a miss. Callers that come while a load of the key runs
   * wait for it and share its outcome, failure included. Caffeine's own {@code get(key, fn)}
   * would queue them on the key's lock instead, and each would run the loader again after a
   * failure: a failing backend would be called once per waiting caller, one after the other.
   */
  private @Nullable Object load(K key, CacheLoader<? super K, ? extends V> loader) {
    Load mine = new Load(Thread.currentThread());
    Load running = loading.putIfAbsent(key, mine);
    if (running != null) {
      return running.await();
    }
    try {
      // compute, not get: the miss was counted already, and compute counts only the load. A
      // value stored since the miss is kept as it is, without calling the loader.
      Object stored = store.asMap().compute(key, (k, current) -> {
        if (current != null) {
          return current;
        }
        V value;
        try {
          value = loader.load(k);
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new CacheLoadException(k, e);
        }
        // A null caches nothing unless null values are on.
        return value == null && !nullValues ? null : store(value);
      });
      mine.result.complete(stored);
      return stored;
    } catch (Throwable t) {
      mine.result.completeExceptionally(t);
      throw t;
    } finally {
      loading.remove(key, mine);
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
    store.put(key, new Stored.Deadline(storeValue(value), Stored.saturatedAdd(ticker.read(), nanos)));
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
    store.invalidate(key);
  }

  @Override
  public void evictAll(Iterable<? extends K> keys) {
    checkOpen();
    store.invalidateAll(keys);
  }

  @Override
  public void clear() {
    checkOpen();
    store.invalidateAll();
  }

  // --- views and counters

  @Override
  public CacheStats stats() {
    checkOpen();
    if (!recordStats) {
      return CacheStats.EMPTY;
    }
    com.github.benmanes.caffeine.cache.stats.CacheStats s = store.stats();
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

  /** This cache with its type parameters checked against what it was created with. */
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
        : new Stored.Deadline(stored, Stored.saturatedAdd(ticker.read(), deadlineTtlNanos));
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

  /** One running load: what it stored (or null), or what it threw. */
  private static final class Load {
    final Thread owner;
    final CompletableFuture<@Nullable Object> result = new CompletableFuture<>();

    Load(Thread owner) {
      this.owner = owner;
    }

    @Nullable Object await() {
      if (owner == Thread.currentThread()) {
        // Waiting for itself would hang forever; Caffeine reports the same mistake this way.
        throw new IllegalStateException("The loader called get for the key it is loading");
      }
      try {
        return result.join();
      } catch (CompletionException e) {
        // The owner threw this; rethrow it as it is, as the owner did.
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw e;
      }
    }
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
