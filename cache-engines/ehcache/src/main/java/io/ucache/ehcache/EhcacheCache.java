package io.ucache.ehcache;

import io.ucache.AsyncCache;
import io.ucache.BulkLoader;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheLoadException;
import io.ucache.CacheLoader;
import io.ucache.CacheSerializationException;
import io.ucache.CacheStats;
import io.ucache.CachedValue;
import io.ucache.ValueCodec;
import io.ucache.spi.SingleFlight;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.ehcache.core.statistics.CacheStatistics;
import org.ehcache.core.statistics.TierStatistics;
import org.jspecify.annotations.Nullable;

/**
 * One named cache of the ehcache engine: an Ehcache cache with a heap tier and a persistent disk
 * tier, holding {@link EncodedKey}s and {@link StoredValue}s. Keys and values are encoded before
 * anything is written, so a value that cannot be encoded fails its {@code put} and leaves the
 * cache as it was.
 *
 * <p>What blocks: a hit in the heap tier touches no file. A read of an entry that is only in the
 * disk tier reads the tier's file on the calling thread (through the OS page cache, a few
 * microseconds); a write updates the disk tier's index on the calling thread and leaves the
 * bytes to Ehcache's disk writer threads, which {@code close()} waits for.
 */
final class EhcacheCache<K, V> implements Cache<K, V> {

  private static final Set<Class<?>> IMMUTABLE = Set.of(String.class, Integer.class, Long.class,
      Short.class, Byte.class, Double.class, Float.class, Boolean.class, Character.class);

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
  private final org.ehcache.Cache<EncodedKey, StoredValue> store;
  private final KeyCodec<K> keys;
  private final ValueCodec<V> values;
  private final EngineClock clock;
  private final boolean nullValues;
  /**
   * Whether values are immutable (strings, boxed primitives), so that one decoded value may be
   * returned to every caller: decoded once per entry in the heap tier instead of at every hit.
   */
  private final boolean immutableValues;
  private final boolean recordStats;
  /** The write TTL in milliseconds, or -1 for none. */
  private final long ttlMillis;
  /** The most entries the cache holds, or -1 for no limit but the disk tier's size. */
  private final long maxSize;
  private final CacheStatistics ehcacheStats;
  private final TierStatistics diskTier;

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder loadSuccesses = new LongAdder();
  private final LongAdder loadFailures = new LongAdder();
  private final LongAdder loadNanos = new LongAdder();
  private final LongAdder sizeEvictions = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final AtomicBoolean unreadableLogged = new AtomicBoolean();
  /** Held by the one thread that evicts down to {@code max-size}; the others do not wait. */
  private final ReentrantLock trimming = new ReentrantLock();

  /** Loads running in {@link #get(Object, CacheLoader)}, so that callers of a key share one. */
  private final SingleFlight<EncodedKey> loads = new SingleFlight<>();
  private final AsyncCache<K, V> async;
  private final ConcurrentMap<K, V> mapView;
  private volatile boolean closed;

  EhcacheCache(String name, CacheConfig config, Class<K> keyType, Class<V> valueType,
      KeyCodec<K> keys, ValueCodec<V> values, org.ehcache.Cache<EncodedKey, StoredValue> store,
      EngineClock clock, CacheStatistics ehcacheStats, boolean discardedAtOpen) {
    this.name = name;
    this.config = config;
    this.keyType = keyType;
    this.valueType = valueType;
    this.keys = keys;
    this.values = values;
    this.store = store;
    this.clock = clock;
    this.nullValues = config.nullValues();
    this.immutableValues = IMMUTABLE.contains(valueType);
    this.recordStats = config.stats();
    this.ttlMillis = config.ttl().map(EngineClock::millisRoundedUp).orElse(-1L);
    this.maxSize = config.maxSize().orElse(-1);
    this.ehcacheStats = ehcacheStats;
    this.diskTier = Objects.requireNonNull(ehcacheStats.getTierStatistics().get("Disk"),
        "Ehcache's statistics have no Disk tier");
    if (discardedAtOpen) {
      // The entries this cache had were discarded after an unclean shutdown: one error.
      errors.increment();
    }
    this.async = AsyncCache.inProcess(this, ForkJoinPool.commonPool());
    this.mapView = new EhcacheMapView<>(this);
  }

  @Override
  public String name() {
    return name;
  }

  // --- reads

  @Override
  public @Nullable V get(K key) {
    CachedValue<V> found = lookup(key);
    return found == null ? null : found.value();
  }

  @Override
  public @Nullable CachedValue<V> lookup(K key) {
    checkOpen();
    EncodedKey encoded = keys.encode(key);
    CachedValue<V> found = visible(encoded, store.get(encoded));
    count(found != null ? hits : misses);
    return found;
  }

  @Override
  public @Nullable V get(K key, CacheLoader<? super K, ? extends V> loader) {
    checkOpen();
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(loader, "loader");
    EncodedKey encoded = keys.encode(key);
    CachedValue<V> found = visible(encoded, store.get(encoded));
    if (found != null) {
      count(hits);
      return found.value();
    }
    count(misses);
    return load(key, encoded, loader);
  }

  /**
   * Loads the value for {@code key} after a miss, once per key at a time in this JVM, outside
   * every lock ({@link SingleFlight}): callers that come while a load runs wait for it and share
   * its outcome, failure included, so a failing backend is called once, not once per waiting
   * caller. Nothing is cached for a failed load.
   *
   * <p>The load never overwrites a value written while it ran (it stores with
   * {@code putIfAbsent}, or replaces only an entry this cache cannot show), and an eviction or
   * clear while it ran wins: they {@link SingleFlight#invalidate} the load before removing, and
   * the load, once it has stored, removes its own value again if so. Its callers still get it.
   */
  @SuppressWarnings("unchecked") // SingleFlight returns what this work returned: a V
  private @Nullable V load(K key, EncodedKey encoded, CacheLoader<? super K, ? extends V> loader) {
    return (V) loads.run(encoded, () -> {
      // A load that finished between this caller's miss and now has stored its value: use it.
      CachedValue<V> stored = visible(encoded, store.get(encoded));
      if (stored != null) {
        return stored.value();
      }
      V value = callLoader(key, loader);
      if (value == null && !nullValues) {
        return null;
      }
      // Encoded before anything is written: a value that cannot be encoded stores nothing.
      StoredValue fresh = store(value);
      StoredValue previous = store.putIfAbsent(encoded, fresh);
      while (previous != null) {
        CachedValue<V> raced = visible(encoded, previous);
        if (raced != null) {
          return raced.value(); // put while the loader ran: newer than what it loaded
        }
        // Only an entry this cache cannot show is there: take its place, unless it changed.
        if (store.replace(encoded, previous, fresh)) {
          break;
        }
        previous = store.putIfAbsent(encoded, fresh);
      }
      if (loads.isInvalidated(encoded)) {
        // Evicted or cleared while the loader ran: what it loaded may be stale; do not keep it.
        store.remove(encoded, fresh);
        return value;
      }
      trim(encoded);
      return value;
    });
  }

  private @Nullable V callLoader(K key, CacheLoader<? super K, ? extends V> loader) {
    long start = System.nanoTime();
    boolean loaded = false;
    try {
      V value = loader.load(key);
      // A null that cannot be cached counts as a failed load, as Caffeine counts it.
      loaded = value != null || nullValues;
      return value;
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoadException(key, e);
    } finally {
      recordLoad(loaded, start);
    }
  }

  private void recordLoad(boolean success, long start) {
    if (recordStats) {
      (success ? loadSuccesses : loadFailures).increment();
      loadNanos.add(System.nanoTime() - start);
    }
  }

  @Override
  public Map<K, V> getAll(Iterable<? extends K> keys) {
    checkOpen();
    Map<K, EncodedKey> asked = encodeAll(keys);
    Map<K, V> found = findAll(asked);
    if (recordStats) {
      hits.add(found.size());
      misses.add(asked.size() - found.size());
    }
    return Collections.unmodifiableMap(found);
  }

  @Override
  public Map<K, V> getAll(Iterable<? extends K> keys, BulkLoader<K, V> loader) {
    checkOpen();
    Objects.requireNonNull(loader, "loader");
    Map<K, EncodedKey> asked = encodeAll(keys);
    Map<K, V> found = findAll(asked);
    if (recordStats) {
      hits.add(found.size());
      misses.add(asked.size() - found.size());
    }
    if (found.size() == asked.size()) {
      return Collections.unmodifiableMap(found);
    }
    Set<K> missing = new LinkedHashSet<>(asked.keySet());
    missing.removeAll(found.keySet());
    Map<? extends K, ? extends V> loaded = callBulkLoader(Set.copyOf(missing), loader);

    Map<EncodedKey, StoredValue> toStore = new LinkedHashMap<>();
    Map<K, V> result = new LinkedHashMap<>();
    loaded.forEach((k, v) -> {
      Objects.requireNonNull(k, "the bulk loader returned a null key");
      if (v != null || nullValues) {
        toStore.put(this.keys.encode(k), store(v));
      }
    });
    store.putAll(toStore);
    trim(null);
    for (K key : asked.keySet()) {
      if (found.containsKey(key)) {
        result.put(key, found.get(key));
      } else if (loaded.containsKey(key) && (loaded.get(key) != null || nullValues)) {
        result.put(key, loaded.get(key));
      }
    }
    return Collections.unmodifiableMap(result);
  }

  private Map<? extends K, ? extends V> callBulkLoader(Set<K> missing, BulkLoader<K, V> loader) {
    long start = System.nanoTime();
    boolean loaded = false;
    try {
      Map<? extends K, ? extends V> values =
          Objects.requireNonNull(loader.loadAll(missing), "the bulk loader returned null");
      loaded = true;
      return values;
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new CacheLoadException(missing, e);
    } finally {
      recordLoad(loaded, start);
    }
  }

  /** The keys, each encoded once, in the order given; repeated keys once. */
  private Map<K, EncodedKey> encodeAll(Iterable<? extends K> keys) {
    Map<K, EncodedKey> encoded = new LinkedHashMap<>();
    for (K key : keys) {
      encoded.computeIfAbsent(key, this.keys::encode);
    }
    return encoded;
  }

  /** The visible entries among {@code asked}, in the order asked. */
  private Map<K, V> findAll(Map<K, EncodedKey> asked) {
    Map<K, V> found = new LinkedHashMap<>();
    if (asked.isEmpty()) {
      return found;
    }
    Map<EncodedKey, StoredValue> stored = store.getAll(new HashSet<>(asked.values()));
    asked.forEach((key, encoded) -> {
      CachedValue<V> value = visible(encoded, stored.get(encoded));
      if (value != null) {
        found.put(key, value.value());
      }
    });
    return found;
  }

  // --- writes

  @Override
  public void put(K key, @Nullable V value) {
    checkOpen();
    EncodedKey encoded = keys.encode(key);
    store.put(encoded, store(value));
    trim(encoded);
  }

  @Override
  public void put(K key, @Nullable V value, Duration ttl) {
    checkOpen();
    Objects.requireNonNull(ttl, "ttl");
    EncodedKey encoded = keys.encode(key);
    if (ttl.isZero() || ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    long deadline = EngineClock.deadline(clock.getTimeMillis(), EngineClock.millisRoundedUp(ttl));
    store.put(encoded, store(value, deadline));
    trim(encoded);
  }

  @Override
  public @Nullable CachedValue<V> putIfAbsent(K key, @Nullable V value) {
    checkOpen();
    EncodedKey encoded = keys.encode(key);
    StoredValue stored = store(value);
    while (true) {
      StoredValue previous = store.putIfAbsent(encoded, stored);
      if (previous == null) {
        trim(encoded);
        return null;
      }
      CachedValue<V> current = visible(encoded, previous);
      if (current != null) {
        return current;
      }
      // An entry this cache cannot show (a cached null without null-values): take its place.
      if (store.replace(encoded, previous, stored)) {
        return null;
      }
    }
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> entries) {
    checkOpen();
    // Everything is encoded first: one value that cannot be encoded writes nothing at all.
    Map<EncodedKey, StoredValue> encoded = new LinkedHashMap<>();
    entries.forEach((k, v) -> encoded.put(keys.encode(k), store(v)));
    store.putAll(encoded);
    trim(null);
  }

  @Override
  public void evict(K key) {
    checkOpen();
    EncodedKey encoded = keys.encode(key);
    loads.invalidate(encoded);
    store.remove(encoded);
  }

  @Override
  public void evictAll(Iterable<? extends K> keys) {
    checkOpen();
    Set<EncodedKey> encoded = new HashSet<>();
    for (K key : keys) {
      encoded.add(this.keys.encode(key));
    }
    encoded.forEach(loads::invalidate);
    store.removeAll(encoded);
  }

  @Override
  public void clear() {
    checkOpen();
    loads.invalidateAll();
    store.clear();
  }

  // --- views and counters

  /**
   * Hits, misses and loads are counted here; evictions are Ehcache's (its disk tier full, and
   * expired entries it removed) plus those that keep the cache within {@code max-size}. The error
   * count holds one if the cache's entries were discarded after an unclean shutdown, plus one per
   * entry dropped because it could no longer be read (its class changed incompatibly).
   */
  @Override
  public CacheStats stats() {
    checkOpen();
    if (!recordStats) {
      return CacheStats.EMPTY;
    }
    long evictions = sizeEvictions.sum() + ehcacheStats.getCacheEvictions()
        + ehcacheStats.getCacheExpirations();
    return new CacheStats(hits.sum(), misses.sum(), loadSuccesses.sum(), loadFailures.sum(),
        loadNanos.sum(), evictions, errors.sum());
  }

  /**
   * {@inheritDoc}
   *
   * <p>Loaders run on {@link ForkJoinPool#commonPool()}; every other operation runs on the
   * calling thread, and may read or write the disk there.
   */
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

  /**
   * {@inheritDoc}
   *
   * <p>Walks Ehcache's disk tier, one entry at a time, so memory does not grow with the cache.
   * Entries past their TTL are left out; an entry past its {@code expire-after-access} limit may
   * be listed until something reads it.
   */
  @Override
  public Stream<K> keys() {
    checkOpen();
    Iterator<K> live = new Iterator<>() {
      private final Iterator<org.ehcache.Cache.Entry<EncodedKey, StoredValue>> entries =
          store.iterator();
      private @Nullable K next;

      @Override
      public boolean hasNext() {
        checkOpen();
        long now = clock.getTimeMillis();
        while (next == null && entries.hasNext()) {
          org.ehcache.Cache.Entry<EncodedKey, StoredValue> entry = entries.next();
          StoredValue value = entry.getValue();
          if (value != null && isLive(value, now)) {
            next = decodeKey(entry.getKey());
          }
        }
        return next != null;
      }

      @Override
      public K next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        K key = Objects.requireNonNull(next);
        next = null;
        return key;
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(live,
        Spliterator.NONNULL | Spliterator.DISTINCT), false);
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    checkOpen();
    if (type.isInstance(store)) {
      return type.cast(store);
    }
    throw new IllegalArgumentException("Cache '" + name + "' of the ehcache engine has no "
        + type.getName() + "; it has a " + org.ehcache.Cache.class.getName() + " of "
        + EncodedKey.class.getSimpleName() + " to " + StoredValue.class.getSimpleName());
  }

  @Override
  public String toString() {
    return "EhcacheCache{name=" + name + (closed ? ", closed" : "") + "}";
  }

  // --- for the engine and the map view

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

  /** The configuration this cache was created with: the engine's, with its own settings. */
  CacheConfig config() {
    return config;
  }

  /** Refuses every later call; the engine closes Ehcache's cache itself. */
  void close() {
    closed = true;
  }

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("Cache '" + name + "' is closed: its ehcache engine was "
          + "closed");
    }
  }

  /**
   * Called before removing {@code key} other than through {@link #evict}: a load of it running
   * now must not store what it loaded.
   */
  void invalidateLoad(EncodedKey key) {
    loads.invalidate(key);
  }

  org.ehcache.Cache<EncodedKey, StoredValue> store() {
    return store;
  }

  KeyCodec<K> keyCodec() {
    return keys;
  }

  long now() {
    return clock.getTimeMillis();
  }

  /** Whether an entry read by iteration is one to show: not past its deadline, and visible. */
  boolean isLive(StoredValue value, long now) {
    return !value.expiredAt(now) && (nullValues || !value.isNull());
  }

  /** The key of an entry read by iteration, or {@code null} if it can no longer be read. */
  @Nullable K decodeKey(EncodedKey encoded) {
    try {
      return keys.decode(encoded);
    } catch (CacheSerializationException e) {
      unreadable(encoded, null, e);
      return null;
    }
  }

  /**
   * What {@code stored} shows: {@code null} for no entry, for a cached null in a cache without
   * null values (a folder reopened with other settings), and for an entry that can no longer be
   * decoded, which is dropped and counted as an error rather than thrown at the caller.
   */
  @Nullable CachedValue<V> visible(EncodedKey encoded, @Nullable StoredValue stored) {
    if (stored == null) {
      return null;
    }
    if (stored.isNull()) {
      return nullValues ? new CachedValue<>(null) : null;
    }
    try {
      if (!immutableValues) {
        return new CachedValue<>(values.decode(stored.bytes()));
      }
      @SuppressWarnings("unchecked")
      V value = (V) stored.decoded();
      if (value == null) {
        value = values.decode(stored.bytes());
        stored.remember(value);
      }
      return new CachedValue<>(value);
    } catch (RuntimeException e) {
      unreadable(encoded, stored, e);
      return null;
    }
  }

  /** The stored form of a non-null value, with the write deadline. */
  StoredValue storeNonNull(V value) {
    return store(Objects.requireNonNull(value, "value"));
  }

  /**
   * Keeps the cache within {@code max-size}: Ehcache bounds the disk tier only in bytes, so
   * entries beyond the limit are removed here, in the disk tier's order (by hash, which is to say
   * arbitrary), sparing {@code justWritten} unless the limit is zero. One thread evicts at a time;
   * the others carry on, as the evicting thread loops until the cache is within its limit.
   */
  void trim(@Nullable EncodedKey justWritten) {
    if (maxSize < 0) {
      return;
    }
    while (diskTier.getMappings() > maxSize && trimming.tryLock()) {
      long removed = 0;
      try {
        long excess = diskTier.getMappings() - maxSize;
        Iterator<org.ehcache.Cache.Entry<EncodedKey, StoredValue>> entries = store.iterator();
        while (removed < excess && entries.hasNext()) {
          org.ehcache.Cache.Entry<EncodedKey, StoredValue> entry = entries.next();
          if (maxSize > 0 && entry.getKey().equals(justWritten)) {
            continue;
          }
          if (store.remove(entry.getKey(), entry.getValue())) {
            removed++;
            count(sizeEvictions);
          } else {
            // Changed meanwhile, or expired: looking it up lets Ehcache drop it if expired.
            store.containsKey(entry.getKey());
          }
        }
      } finally {
        trimming.unlock();
      }
      if (removed == 0) {
        return;
      }
    }
  }

  // --- internals

  private StoredValue store(@Nullable V value) {
    long deadline = ttlMillis < 0 ? StoredValue.NO_DEADLINE
        : EngineClock.deadline(clock.getTimeMillis(), ttlMillis);
    return store(value, deadline);
  }

  /**
   * The stored form of {@code value}: refuses null unless null values are on, and encodes the
   * value now, so that a value that cannot be encoded fails before anything is written.
   */
  private StoredValue store(@Nullable V value, long deadline) {
    if (value == null) {
      if (nullValues) {
        return StoredValue.ofNull(deadline);
      }
      throw new NullPointerException("Cache '" + name + "' does not allow null values; set "
          + "null-values=true to cache them");
    }
    if (!valueType.isInstance(value)) {
      throw new CacheSerializationException("Cache '" + name + "' holds "
          + valueType.getName() + " values, not " + value.getClass().getName());
    }
    byte[] bytes;
    try {
      bytes = values.encode(value);
    } catch (CacheSerializationException e) {
      throw explain(value, e);
    } catch (RuntimeException e) {
      throw new CacheSerializationException("Cannot encode a " + value.getClass().getName()
          + " for cache '" + name + "': " + e, e);
    }
    if (bytes.length > config.maxValueBytes()) {
      throw new CacheSerializationException("Cache '" + name + "': a value of "
          + bytes.length + " bytes encoded is more than max-value-bytes ("
          + config.maxValueBytes() + " bytes); nothing was written");
    }
    return StoredValue.of(bytes, deadline);
  }

  /**
   * The codec's failure, or a clearer one naming the class that is not {@code Serializable}.
   * Java serialization writes a {@code NotSerializableException} into the stream before throwing
   * it, and {@code ValueCodec.java}'s write-time allow-list refuses that exception's class, so its
   * message names {@code java.io.NotSerializableException} instead of the culprit. Writing the
   * value once more to nowhere, without the check, finds it; this runs only after a failure.
   */
  private CacheSerializationException explain(V value, CacheSerializationException failure) {
    if (!(value instanceof Serializable)) {
      return failure;
    }
    try (ObjectOutputStream probe = new ObjectOutputStream(OutputStream.nullOutputStream())) {
      probe.writeObject(value);
    } catch (NotSerializableException e) {
      return new CacheSerializationException("Cannot encode a " + value.getClass().getName()
          + " for cache '" + name + "': it holds a " + e.getMessage() + ", which is not "
          + "Serializable", failure);
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
    return failure;
  }

  private void unreadable(EncodedKey encoded, @Nullable StoredValue stored, RuntimeException e) {
    if (stored != null) {
      store.remove(encoded, stored);
    } else {
      store.remove(encoded);
    }
    errors.increment();
    System.Logger.Level level = unreadableLogged.compareAndSet(false, true)
        ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG;
    EhcacheEngine.LOG.log(level, "Cache '" + name + "' dropped an entry it can no longer read "
        + "(stats().errorCount() counts them): " + e.getMessage());
  }

  private void count(LongAdder counter) {
    if (recordStats) {
      counter.increment();
    }
  }
}
