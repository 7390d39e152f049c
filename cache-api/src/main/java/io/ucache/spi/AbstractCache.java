package io.ucache.spi;

import io.ucache.AsyncCache;
import io.ucache.BulkLoader;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheLoader;
import io.ucache.CacheSerializationException;
import io.ucache.CacheStats;
import io.ucache.CachedValue;
import io.ucache.EngineUnavailableException;
import io.ucache.FailMode;
import io.ucache.NearStats;
import io.ucache.NearStats.FlushCause;
import io.ucache.SingleFlightScope;
import io.ucache.ValueCodec;
import io.ucache.ValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * The template every engine's cache extends: it owns the policy (closed checks, cached nulls,
 * counters, single-flight loads, "an eviction racing a load wins", unreadable entries as counted
 * misses, the failure mode) and leaves the engine a few storage primitives over its own stored
 * form {@code S} (a value object, an encoded record, bytes): read, write, write-if-absent,
 * replace-if-same, remove, remove-if-same, scan and clear, plus encoding and decoding.
 *
 * <p>Primitives may throw {@link EngineUnavailableException} when the engine fails: the template
 * counts it and, with {@code fail-mode=open}, turns a read into a miss and drops a write; with
 * {@code closed} it rethrows. Whatever {@link #decode} throws makes the entry unreadable: a miss,
 * deleted if still the same, counted in {@link CacheStats#errorCount()}, and logged at WARNING
 * at most once a minute per cache. Nothing of that reaches the caller.
 *
 * <p>Thread-safe when the primitives are. Keys and loaders are never null.
 *
 * @param <K> the key type
 * @param <V> the value type
 * @param <S> the engine's stored form
 */
public abstract class AbstractCache<K, V, S> implements Cache<K, V> {

  /** What {@link #decode} returns for a cached {@code null}. */
  protected static final Object NULL_VALUE = new Marker("null value");
  /**
   * What {@link #decode} returns for bytes that fail a check (it may also throw, or return
   * {@link #unreadable(String)} to say why).
   */
  protected static final Object UNREADABLE = new Marker("unreadable");
  /**
   * What {@link #decode} returns for a well-formed entry of another key or value type: written
   * by an older shape of the value's class, under another {@code codec-version}, or by a process
   * that declared the cache otherwise. A miss for this process, not deleted by a read (during a
   * rolling deploy the older version still reads it), replaced by this process's next load or
   * {@code putIfAbsent}.
   */
  protected static final Object OTHER_TYPE = new Marker("other type");
  /**
   * What a plain read (one without a loader) makes of an entry past its ttl that a stale window
   * keeps: a miss, not deleted (a read with a loader may still serve it), replaced by a load.
   */
  static final Object STALE = new Marker("stale");
  /** What {@link #find} returns for a miss. */
  static final Object MISSING = new Marker("missing");

  /** Tries of a conditional write before it gives up on a key that keeps changing. */
  static final int MAX_RACES = 16;

  /** Keeps the engine reachable from a cache a user holds, so its leak guard never fires. */
  @SuppressWarnings("unused")
  private volatile @Nullable Object engine;

  private final String engineName;
  private final String name;
  private final CacheConfig config;
  private final Class<K> keyType;
  private final ValueType<V> valueType;
  /** The class values are checked against: {@code valueType}'s raw type. */
  private final Class<? super V> valueClass;
  final boolean nullValues;
  private final boolean failOpen;
  final CacheCounters counters;
  private final CacheLoading<K, V, S> loading;
  private final EntryLifetimes lifetimes;
  private final Freshness freshness;
  /** Whether entries carry their times: refresh-after or a stale window is set. */
  private final boolean timed;
  /** Reads with a loader when {@link #timed}; else null. */
  private final @Nullable Revalidation<K, V, S> revalidation;
  private final RateLimitedLog log;
  private @Nullable AsyncCache<K, V> async;
  private @Nullable ConcurrentMap<K, V> mapView;
  private volatile boolean closed;
  /** Reads through this cache's near cache, when {@code near.enabled}; set once, before sharing. */
  private @Nullable NearReads<K, V> near;
  /** Observations of calls and loads, when the application gave a registry; set once, before sharing. */
  private @Nullable CacheObservations observations;

  protected AbstractCache(String engineName, String name, CacheConfig config, Class<K> keyType,
      ValueType<V> valueType) {
    this.engineName = Objects.requireNonNull(engineName, "engineName");
    this.name = Objects.requireNonNull(name, "name");
    this.config = Objects.requireNonNull(config, "config");
    this.keyType = Objects.requireNonNull(keyType, "keyType");
    this.valueType = Objects.requireNonNull(valueType, "valueType");
    this.valueClass = valueType.rawType();
    this.nullValues = config.nullValues();
    this.failOpen = config.failMode() == FailMode.OPEN;
    this.counters = new CacheCounters(config.stats());
    this.loading = new CacheLoading<>(this);
    this.lifetimes = EntryLifetimes.of(name, config);
    this.freshness = Freshness.of(name, config);
    this.timed = freshness.keepsTimes();
    this.revalidation = timed ? new Revalidation<>(this, freshness, loading) : null;
    this.log = new RateLimitedLog(System.getLogger("io.ucache." + engineName));
  }

  // --- the storage primitives an engine implements

  /** The stored form of {@code key}, or {@code null} when absent or expired. */
  protected abstract @Nullable S read(K key);

  /** The stored forms of {@code keys} that are present; the default reads one by one. */
  protected Map<K, S> readAll(List<K> keys) {
    Map<K, S> found = new LinkedHashMap<>();
    for (K key : keys) {
      S stored = read(key);
      if (stored != null) {
        found.put(key, stored);
      }
    }
    return found;
  }

  /** Stores {@code stored}, replacing anything; {@code ttl} is a per-entry TTL or null. */
  protected abstract void write(K key, S stored, @Nullable Duration ttl);

  /** Stores every entry, replacing anything; the default writes one by one. */
  protected void writeAll(Map<K, S> entries) {
    entries.forEach((key, stored) -> write(key, stored, null));
  }

  /** Stores {@code stored} unless {@code key} is present: null if stored, else what is there. */
  protected abstract @Nullable S writeIfAbsent(K key, S stored);

  /** {@link #writeIfAbsent} for every entry, at once where the engine can; what was there. */
  protected Map<K, S> writeAllIfAbsent(Map<K, S> entries) {
    Map<K, S> present = new LinkedHashMap<>();
    entries.forEach((key, stored) -> {
      S previous = writeIfAbsent(key, stored);
      if (previous != null) {
        present.put(key, previous);
      }
    });
    return present;
  }

  /** Replaces {@code expected} (as read) with {@code replacement}: whether it did. */
  protected abstract boolean replace(K key, S expected, S replacement);

  /** Stores {@code stored} and returns what was there; the default loops on the primitives. */
  protected @Nullable S swap(K key, S stored) {
    for (;;) {
      S previous = read(key);
      if (previous == null ? writeIfAbsent(key, stored) == null
          : replace(key, previous, stored)) {
        return previous;
      }
    }
  }

  /** Removes {@code key}. */
  protected abstract void remove(K key);

  /** Removes every key of {@code keys}; the default removes one by one. */
  protected void removeAll(Collection<K> keys) {
    keys.forEach(this::remove);
  }

  /** Removes {@code key} only if it holds {@code expected} (as read): whether it did. */
  protected abstract boolean removeIfSame(K key, S expected);

  /** Removes {@code key} and returns what was there; the default loops on the primitives. */
  protected @Nullable S removeAndGet(K key) {
    for (;;) {
      S previous = read(key);
      if (previous == null || removeIfSame(key, previous)) {
        return previous;
      }
    }
  }

  /**
   * Deletes an entry found unreadable, if still the same. The default is {@link #removeIfSame};
   * an engine whose reads complete on an I/O thread overrides it so as not to wait there.
   */
  protected void discard(K key, S unreadable) {
    removeIfSame(key, unreadable);
  }

  /**
   * This cache's keys, fetched lazily, without entries the cache cannot show (expired, a cached
   * null when null values are off). If the iterator is {@link AutoCloseable}, closing the stream
   * of {@link #keys()} closes it.
   */
  protected abstract Iterator<K> scan();

  /** Removes every entry of this cache, and only of this cache. */
  protected abstract void removeEverything();

  /**
   * The stored form of {@code value} ({@code null} only when null values are on), with a
   * per-entry {@code ttl} or null for the cache's own. Called before anything is written, so a
   * value that cannot be stored fails its write and changes nothing. A per-entry ttl comes from
   * the caller ({@code put(key, value, ttl)}) or from the cache's {@code ttl-jitter} and
   * {@code null-ttl}; it is never longer than the cache's ttl unless the caller's, and every
   * write primitive given the stored form must honour it, not only {@link #write}. When
   * {@link #keepsTimes()}, the stored form also carries its write time ({@link #clockMillis()})
   * and deadline, which {@link #decode} returns through {@link #timed}; the ttl given then
   * includes the stale windows, as {@link #storeTtl()} does.
   *
   * @throws CacheSerializationException if the value cannot be encoded or is too large
   * @throws UnsupportedOperationException if this cache cannot expire single entries
   */
  protected abstract S encode(K key, @Nullable V value, @Nullable Duration ttl);

  /**
   * The value in {@code stored}, or {@link #NULL_VALUE}, {@link #UNREADABLE} or
   * {@link #OTHER_TYPE}; for an entry that carries its times, the value or {@link #NULL_VALUE}
   * in {@link #timed}. May throw for unreadable bytes instead.
   */
  protected abstract @Nullable Object decode(K key, S stored);

  /** What {@link #decode} returns for bytes that fail a check, with the reason for the log. */
  protected static Object unreadable(String reason) {
    return new Marker(reason);
  }

  /**
   * {@link #decode} of bytes in the stored-value format, for an engine that stores them as they
   * are: the codec's value (or {@link #NULL_VALUE}), in {@link #timed} when the bytes carry a
   * write time; {@link #unreadable} or {@link #OTHER_TYPE} for bytes that fail a check.
   */
  protected static Object decodeStored(StoredValueFormat format, ValueCodec<?> codec,
      byte[] stored) {
    return decodeStored(format, codec, stored, false);
  }

  /**
   * {@link #decodeStored(StoredValueFormat, ValueCodec, byte[])}, also in {@link #timed} when the
   * bytes carry only a deadline and {@code keepDeadline}: for a near cache whose engine tells it
   * of changes but not of expiries, so that each hit on a copy checks the entry's own deadline
   * and no copy outlives its entry.
   */
  protected static Object decodeStored(StoredValueFormat format, ValueCodec<?> codec,
      byte[] stored, boolean keepDeadline) {
    DecodedValue decoded = format.decode(stored);
    if (decoded instanceof DecodedValue.Entry entry) {
      Object value = entry.isNull() ? NULL_VALUE : codec.decode(entry.payload());
      return entry.hasWriteTime() || (keepDeadline && entry.hasDeadline())
          ? timed(value, entry.writeTime(), entry.deadline()) // NO_TIME when none
          : value;
    }
    return decoded instanceof DecodedValue.Unreadable bad ? unreadable(bad.reason()) : OTHER_TYPE;
  }

  /**
   * This engine's leases on single keys' loads, for {@code single-flight.scope=cluster};
   * {@code null} (the default) when the engine is not shared between processes. Called once, after
   * construction.
   */
  protected @Nullable LoadLeases<K, S> loadLeases() {
    return null;
  }

  /** Evictions the engine counts itself (its store's size limit, expiry), added to the stats. */
  protected long engineEvictions() {
    return 0;
  }

  /** Releases what this cache holds, when closed; runs once. */
  protected void onClose() {}

  // --- reads

  @Override
  public final String name() {
    return name;
  }

  @Override
  @SuppressWarnings("unchecked")
  public final @Nullable V get(K key) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    // (The observed call is out of line, so that this method stays small enough to inline.)
    return observations == null ? getNow(key) : observedGet(key);
  }

  private @Nullable V observedGet(K key) {
    CacheObservations observing = observingCall();
    return observing == null ? getNow(key) : observedRead(observing, key,
        copy -> valueOf(find(key, copy)), AbstractCache::hitOrMiss);
  }

  private @Nullable V getNow(K key) {
    return valueOf(find(key));
  }

  /** What {@code get} returns for what {@link #find} found. */
  @SuppressWarnings("unchecked")
  private static <V> @Nullable V valueOf(Object found) {
    return found == MISSING || found == NULL_VALUE ? null : (V) found;
  }

  /**
   * What {@code get} finds of {@code key}, counted as a hit or a miss: a value,
   * {@link #NULL_VALUE} for a null the cache holds, or {@link #MISSING}. Allocates nothing.
   */
  private Object find(K key) {
    NearReads<K, V> copies = near;
    if (copies != null) {
      return copies.find(key);
    }
    S stored = readOrMiss(key);
    if (stored != null) {
      Object value = decodeOrMark(key, stored);
      if (!(value instanceof Marker) || value == NULL_VALUE && nullValues) {
        counters.hit();
        return value;
      }
      dropIfUnreadable(key, stored, value);
    }
    counters.miss();
    return MISSING;
  }

  /**
   * {@link #find}, the near cache's copy of {@code key} already looked at: {@code copy}, or
   * {@code null} for none (the engine is read, through the near cache).
   */
  private Object find(K key, @Nullable Object copy) {
    NearReads<K, V> copies = near;
    return copies == null ? find(key)
        : copy != null ? copies.served(copy) : copies.fromEngine(key);
  }

  /**
   * A read of {@code key} with observations: {@code read} given the near cache's copy of the
   * key, or {@code null} when there is none. One look at the copy decides: a read the copy
   * answers is not observed, and one that reads the engine is, even if an invalidation or
   * another reader changes the copy meanwhile.
   */
  private <T> T observedRead(CacheObservations observing, K key,
      Function<@Nullable Object, T> read, Function<@Nullable T, String> outcome) {
    NearReads<K, V> copies = near;
    Object copy = copies == null ? null : copies.copy(key);
    return copy != null ? read.apply(copy)
        : observing.observe("get", key, () -> read.apply(null), outcome);
  }

  @Override
  public final @Nullable CachedValue<V> lookup(K key) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    CacheObservations observing = observations == null ? null : observingCall();
    return observing == null ? cachedValue(find(key)) : observedRead(observing, key,
        copy -> cachedValue(find(key, copy)), AbstractCache::hitOrMiss);
  }

  /** What {@code lookup} returns for what {@link #find} found. */
  @SuppressWarnings("unchecked")
  private static <V> @Nullable CachedValue<V> cachedValue(Object found) {
    return found == MISSING ? null : new CachedValue<>(found == NULL_VALUE ? null : (V) found);
  }

  /**
   * {@link #lookup} for an integration with a null marker of its own (Spring's
   * {@code NullValue}), without a {@link CachedValue} per hit: the value, {@code cachedNull} for
   * a null this cache holds, or {@code null} for a miss. Counted and observed as {@code lookup}.
   */
  public final @Nullable Object lookup(K key, Object cachedNull) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(cachedNull, "cachedNull");
    checkOpen();
    CacheObservations observing = observations == null ? null : observingCall();
    Object found = observing == null ? find(key) : observedRead(observing, key,
        copy -> find(key, copy), seen -> seen == MISSING ? CacheObservations.MISS
            : CacheObservations.HIT);
    return found == MISSING ? null : found == NULL_VALUE ? cachedNull : found;
  }

  /**
   * Whether a reader sees {@code found} (a {@link #present} value, a near copy) as a hit: not
   * {@link NearCache#ABSENT}, not a marker, unless a null this cache holds.
   */
  final boolean isShown(Object found) {
    return found != NearCache.ABSENT && (!(found instanceof Marker)
        || found == NULL_VALUE && nullValues);
  }

  /**
   * What a reader sees of {@code key} in the engine, for the near cache and refreshes: a value,
   * the null marker, a {@link TimedValue} (its times kept, for {@link #present}), or
   * {@code null} for none (an unreadable entry dropped and counted).
   */
  final @Nullable Object readDecoded(K key) {
    S stored = readOrMiss(key);
    if (stored == null) {
      return null;
    }
    Object value = decodeRaw(key, stored);
    if (!(value instanceof Marker) || value == NULL_VALUE) {
      return value;
    }
    dropIfUnreadable(key, stored, value);
    return null;
  }

  /**
   * What a reader with a loader finds of {@code key} in the engine, through the near cache when
   * there is one (which counts its own read): as {@link #readDecoded}, or
   * {@link NearCache#ABSENT}. Counts no hit or miss.
   */
  final @Nullable Object findRaw(K key) {
    NearReads<K, V> copies = near;
    return copies != null ? copies.read(key) : readDecoded(key);
  }

  @Override
  @SuppressWarnings("unchecked")
  public final @Nullable V get(K key, CacheLoader<? super K, ? extends V> loader) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(loader, "loader");
    checkOpen();
    return observations == null ? getNow(key, loader) : observedGet(key, loader);
  }

  private @Nullable V observedGet(K key, CacheLoader<? super K, ? extends V> loader) {
    CacheObservations observing = observingCall();
    return observing == null ? getNow(key, loader) : observedRead(observing, key,
        copy -> getNow(key, loader, copy), value -> CacheObservations.HIT);
  }

  private @Nullable V getNow(K key, CacheLoader<? super K, ? extends V> loader) {
    NearReads<K, V> copies = near;
    return getNow(key, loader, copies == null ? null : copies.copy(key));
  }

  /** {@code get(key, loader)}, the near cache's copy of the key looked at (null: none). */
  private @Nullable V getNow(K key, CacheLoader<? super K, ? extends V> loader,
      @Nullable Object copy) {
    if (revalidation != null) {
      return revalidation.get(key, loader, copy);
    }
    Object found = find(key, copy);
    return found == MISSING ? loading.loadAfterMiss(key, loader) : valueOf(found);
  }

  /**
   * The loading half of {@link #get(Object, CacheLoader)}, for a caller that has already looked
   * {@code key} up and counted the miss (an interceptor, an asynchronous view): it counts no
   * second miss. Once per key at a time in this JVM; a loaded value is stored unless a write
   * raced it (that value is returned instead) and is removed again if an eviction raced it.
   */
  public final @Nullable V loadAfterMiss(K key, CacheLoader<? super K, ? extends V> loader) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(loader, "loader");
    checkOpen();
    CacheObservations observing = observingCall();
    return observing == null ? loading.loadAfterMiss(key, loader) : observing.observe("get", key,
        () -> loading.loadAfterMiss(key, loader), value -> CacheObservations.MISS);
  }

  /**
   * A stamp for a load that the caller runs itself ({@code @UCache} without single-flight, a
   * method returning a future): take it before looking the key up, and pass it to
   * {@link #storeLoaded} with the result, so that an eviction during the load wins.
   */
  public final long loadStamp(K key) {
    return loading.stamp(Objects.requireNonNull(key, "key"));
  }

  /**
   * Stores a value loaded since {@code stamp} was taken: only if {@code key} is absent (a value
   * written meanwhile is newer, and is returned instead), and not at all if {@code key} was
   * evicted or the cache cleared meanwhile (the value may predate that).
   *
   * @return what callers of the load should see: the loaded value, or the newer one
   */
  public final @Nullable V storeLoaded(K key, @Nullable V value, long stamp) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    CacheObservations observing = observingCall();
    return observing == null ? loading.storeLoaded(key, value, stamp) : observing.observe("put",
        key, () -> loading.storeLoaded(key, value, stamp), stored -> CacheObservations.SUCCESS);
  }

  /**
   * Runs {@code loader} for {@code key} as this cache's loads run (counted in {@link #stats()},
   * observed as a load with a registry), for a caller that stores the value itself with
   * {@link #storeLoaded}; what the loader throws reaches the caller unchanged.
   */
  public final @Nullable V runLoader(K key, CacheLoader<? super K, ? extends V> loader) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(loader, "loader");
    return loading.callLoader(key, loader);
  }

  @Override
  public final Map<K, V> getAll(Iterable<? extends K> keys) {
    checkOpen();
    List<K> asked = distinct(keys);
    CacheObservations observing = asked.isEmpty() ? null : observingCall();
    return observing == null ? getAllNow(asked) : observing.observe("get_all", null,
        () -> getAllNow(asked), found -> found.size() == asked.size()
            ? CacheObservations.HIT : CacheObservations.MISS);
  }

  private Map<K, V> getAllNow(List<K> asked) {
    Map<K, V> found = findAll(asked);
    counters.hitsAndMisses(found.size(), asked.size() - found.size());
    return Collections.unmodifiableMap(found);
  }

  @Override
  public final Map<K, V> getAll(Iterable<? extends K> keys, BulkLoader<K, V> loader) {
    Objects.requireNonNull(loader, "loader");
    checkOpen();
    List<K> asked = distinct(keys);
    CacheObservations observing = asked.isEmpty() ? null : observingCall();
    return observing == null ? getAllNow(asked, loader) : observing.observe("get_all", null,
        () -> getAllNow(asked, loader), found -> CacheObservations.HIT);
  }

  private Map<K, V> getAllNow(List<K> asked, BulkLoader<K, V> loader) {
    Revalidation<K, V, S> revalidating = revalidation;
    return revalidating != null ? revalidating.getAll(asked, loader)
        : loading.getAll(asked, loader);
  }

  /** The visible entries among {@code asked}, in the order asked; counts nothing. */
  Map<K, V> findAll(List<K> asked) {
    Map<K, V> found = new LinkedHashMap<>();
    if (asked.isEmpty()) {
      return found;
    }
    NearReads<K, V> copies = near;
    if (copies != null) {
      copies.findAll(asked, found);
      return found;
    }
    Map<K, S> stored = readAllOrNone(asked);
    for (K key : asked) {
      CachedValue<V> value = visible(key, stored.get(key));
      if (value != null) {
        found.put(key, value.value());
      }
    }
    return found;
  }

  /** {@link #readAll}, or nothing when the engine fails (as the failure mode decides). */
  private Map<K, S> readAllOrNone(List<K> asked) {
    try {
      return readAll(asked);
    } catch (EngineUnavailableException e) {
      failed(e);
      return Map.of();
    }
  }

  /**
   * What a bulk read with a loader finds of {@code asked} on a cache whose entries carry their
   * times: per key found, its entry as {@link #findRaw} gives it (a {@link TimedValue}, a value,
   * the null marker, or {@link NearCache#ABSENT} from a copy); unreadable entries dropped and
   * counted. Counts no hit or miss.
   */
  final Map<K, Object> findAllRaw(List<K> asked) {
    Map<K, Object> found = new HashMap<>();
    NearReads<K, V> copies = near;
    if (copies != null) {
      copies.findAllRaw(asked, found);
      return found;
    }
    Map<K, S> stored = readAllOrNone(asked);
    for (K key : asked) {
      S entry = stored.get(key);
      if (entry == null) {
        continue;
      }
      Object value = decodeRaw(key, entry);
      if (!(value instanceof Marker) || value == NULL_VALUE) {
        found.put(key, value);
      } else {
        dropIfUnreadable(key, entry, value);
      }
    }
    return found;
  }

  // --- writes

  @Override
  public final void put(K key, @Nullable V value) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    CacheObservations observing = observingCall();
    if (observing == null) {
      putNow(key, value);
    } else {
      observing.observeWrite("put", key, () -> putNow(key, value));
    }
  }

  private void putNow(K key, @Nullable V value) {
    S stored = encodeWrite(key, value);
    writing(key);
    try {
      write(key, stored, null);
    } catch (EngineUnavailableException e) {
      failed(e);
    } finally {
      changed(key);
    }
  }

  @Override
  public final void put(K key, @Nullable V value, Duration ttl) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(ttl, "ttl");
    checkOpen();
    if (ttl.isZero() || ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    Duration kept = timed ? freshness.storeTtl(ttl) : ttl;
    S stored = encode(key, checkValue(value), kept);
    CacheObservations observing = observingCall();
    if (observing == null) {
      putNow(key, stored, kept);
    } else {
      observing.observeWrite("put", key, () -> putNow(key, stored, kept));
    }
  }

  private void putNow(K key, S stored, Duration kept) {
    writing(key);
    try {
      write(key, stored, kept);
    } catch (EngineUnavailableException e) {
      failed(e);
    } finally {
      changed(key);
    }
  }

  @Override
  public final @Nullable CachedValue<V> putIfAbsent(K key, @Nullable V value) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    S fresh = encodeWrite(key, value);
    CacheObservations observing = observingCall();
    return observing == null ? putIfAbsentNow(key, fresh) : observing.observe("put_if_absent",
        key, () -> putIfAbsentNow(key, fresh), AbstractCache::hitOrMiss);
  }

  private @Nullable CachedValue<V> putIfAbsentNow(K key, S fresh) {
    try {
      return storeIfAbsent(key, fresh);
    } finally {
      changed(key);
    }
  }

  private @Nullable CachedValue<V> storeIfAbsent(K key, S fresh) {
    try {
      for (int race = 0; race < MAX_RACES; race++) {
        S previous = writeIfAbsent(key, fresh);
        if (previous == null) {
          return null;
        }
        CachedValue<V> current = visible(key, previous);
        if (current != null) {
          return current;
        }
        // (visible() dropped and counted an unreadable entry: the next try writes.)
        Object seen = decodeOrMark(key, previous);
        if (!isUnreadable(seen) && replace(key, previous, fresh)) {
          return null; // a hidden null, or another type's entry (a miss here): take its place
        }
      }
    } catch (EngineUnavailableException e) {
      failed(e);
    }
    return null;
  }

  @Override
  public final void putAll(Map<? extends K, ? extends V> entries) {
    checkOpen();
    // Everything is encoded first: one value that cannot be encoded writes nothing at all.
    Map<K, S> encoded = new LinkedHashMap<>();
    entries.forEach((k, v) ->
        encoded.put(Objects.requireNonNull(k, "key"), encodeWrite(k, v)));
    if (encoded.isEmpty()) {
      return;
    }
    CacheObservations observing = observingCall();
    if (observing == null) {
      putAllNow(encoded);
    } else {
      observing.observeWrite("put_all", null, () -> putAllNow(encoded));
    }
  }

  private void putAllNow(Map<K, S> encoded) {
    encoded.keySet().forEach(this::writing);
    try {
      writeAll(encoded);
    } catch (EngineUnavailableException e) {
      failed(e);
    } finally {
      encoded.keySet().forEach(this::changed);
    }
  }

  @Override
  public final void evict(K key) {
    Objects.requireNonNull(key, "key");
    checkOpen();
    CacheObservations observing = observingCall();
    if (observing == null) {
      evictNow(key);
    } else {
      observing.observeWrite("evict", key, () -> evictNow(key));
    }
  }

  private void evictNow(K key) {
    loading.evicting(key);
    writing(key);
    try {
      remove(key);
    } catch (EngineUnavailableException e) {
      failed(e);
    } finally {
      changed(key);
    }
  }

  @Override
  public final void evictAll(Iterable<? extends K> keys) {
    checkOpen();
    List<K> all = distinct(keys);
    all.forEach(loading::evicting);
    if (all.isEmpty()) {
      return;
    }
    CacheObservations observing = observingCall();
    if (observing == null) {
      evictAllNow(all);
    } else {
      observing.observeWrite("evict_all", null, () -> evictAllNow(all));
    }
  }

  private void evictAllNow(List<K> all) {
    all.forEach(this::writing);
    try {
      removeAll(all);
    } catch (EngineUnavailableException e) {
      failed(e);
    } finally {
      all.forEach(this::changed);
    }
  }

  @Override
  public final void clear() {
    checkOpen();
    CacheObservations observing = observingCall();
    if (observing == null) {
      clearNow();
    } else {
      observing.observeWrite("clear", null, this::clearNow);
    }
  }

  private void clearNow() {
    loading.clearing();
    try {
      removeEverything();
    } catch (EngineUnavailableException e) {
      failed(e);
    } finally {
      flushNear(FlushCause.CLEAR);
    }
  }

  // --- views and counters

  @Override
  public final CacheStats stats() {
    checkOpen();
    NearCache<K> copy = nearCache();
    return copy == null ? counters.snapshot(engineEvictions(), NearStats.NONE, 0, 0)
        : counters.snapshot(engineEvictions(), copy.stats(), copy.servedHits(),
            copy.servedMisses());
  }

  @Override
  public AsyncCache<K, V> async() {
    checkOpen();
    AsyncCache<K, V> view = async;
    return view != null ? view
        : (async = new InProcessAsyncCache<>(this, config.executor()));
  }

  @Override
  public final ConcurrentMap<K, V> asMap() {
    checkOpen();
    ConcurrentMap<K, V> view = mapView;
    return view != null ? view : (mapView = new StoreMapView<>(this));
  }

  @Override
  public final Stream<K> keys() {
    checkOpen();
    Iterator<K> scanned = scanKeys();
    Stream<K> stream = StreamSupport.stream(Spliterators.spliteratorUnknownSize(scanned,
        Spliterator.NONNULL | Spliterator.DISTINCT), false);
    return scanned instanceof FailSafeIterator<K> closeable
        ? stream.onClose(closeable::close) : stream;
  }

  /** {@link #scan()}, checked for close at every step, its failures as the failure mode says. */
  final Iterator<K> scanKeys() {
    try {
      return new FailSafeIterator<>(scan(), this);
    } catch (EngineUnavailableException e) {
      failed(e);
      return Collections.emptyIterator();
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{name=" + name + (closed ? ", closed" : "") + "}";
  }

  // --- for the engine

  /**
   * The lifetime of a write of {@code value} (a value, or {@code null} for a cached null) that
   * gives no ttl of its own: {@code null-ttl}, or {@code ttl} shortened by {@code ttl-jitter}, or
   * {@code null} for the cache's ttl. For an engine's own write paths (an asynchronous view);
   * the template's writes apply it themselves.
   */
  protected final @Nullable Duration lifetimeOf(@Nullable V value) {
    Duration ttl = lifetimes.of(value);
    return ttl == null ? null : storeTtl(ttl);
  }

  /**
   * The stored form of a write of {@code value} that gives no ttl of its own: checked, with its
   * lifetime ({@link #lifetimeOf}).
   */
  final S encodeWrite(K key, @Nullable V value) {
    V checked = checkValue(value);
    return encode(key, checked, lifetimeOf(checked));
  }

  /**
   * Whether every entry this cache writes must carry its write time and deadline, in
   * {@link #clockMillis()}, for {@link #decode} to return through {@link #timed}: set when
   * {@code refresh-after}, {@code stale-while-revalidate} or {@code stale-if-error} is.
   */
  protected final boolean keepsTimes() {
    return timed;
  }

  /**
   * How long the engine keeps an entry written with the cache's own ttl: the ttl plus the longer
   * stale window, so an expired entry can still be served within it. An engine sets its store's
   * expiry from this, not from {@code config().ttl()}.
   */
  protected final java.util.Optional<Duration> storeTtl() {
    return freshness.storeTtl(config.ttl());
  }

  /** How long the engine keeps an entry whose own ttl is {@code ttl}: plus the stale windows. */
  protected final Duration storeTtl(Duration ttl) {
    return timed ? freshness.storeTtl(ttl) : ttl;
  }

  /**
   * The time entries are stamped with and their deadlines are in, in epoch milliseconds: the
   * wall clock, read every 10 ms (cheap to read on a hit; an entry is refreshed or expires 10 ms
   * late, more while that clock's thread waits for a core), or a clock moved by an injected
   * ticker. An engine that keeps times in a clock of its own (a disk store's, with an injected
   * ticker) or whose reads are round trips (the exact clock then costs nothing) overrides this.
   */
  protected long clockMillis() {
    return freshness.clockMillis();
  }

  /**
   * The time to stamp a write with, in {@link #clockMillis()}'s clock read exactly: reads, which
   * use the coarse copy, then see an entry up to one tick younger than it is, never older, so it
   * is never refreshed or expired early. An engine that overrides {@link #clockMillis()} with an
   * exact clock of its own stamps writes with that instead.
   */
  protected long writeClockMillis() {
    return freshness.writeClockMillis();
  }

  /**
   * What {@link #decode} returns for an entry that carries its times: {@code value} (or
   * {@link #NULL_VALUE}), written at {@code writeTime}, dropped by the engine at
   * {@code deadline} ({@link StoredValueFormat#NO_TIME} for never), both in
   * {@link #clockMillis()}. An in-memory engine may store the object returned and return it
   * from every decode.
   */
  protected static TimedValue timed(Object value, long writeTime, long deadline) {
    return new TimedValue(Objects.requireNonNull(value, "value"), writeTime, deadline);
  }

  /**
   * The deadline, for an entry {@link #encode}d at {@code now} ({@link #clockMillis()}) with
   * {@code ttl} (as encode is given it: null for the cache's own), to store when
   * {@link #keepsTimes()}: {@code now} plus that ttl or {@link #storeTtl()};
   * {@link StoredValueFormat#NO_TIME} when the entry never expires.
   */
  protected final long deadlineAfter(long now, @Nullable Duration ttl) {
    Duration life = ttl != null ? ttl : storeTtl().orElse(null);
    if (life == null) {
      return StoredValueFormat.NO_TIME;
    }
    try {
      return Math.addExact(now, Math.max(1, life.toMillis()));
    } catch (ArithmeticException e) {
      return StoredValueFormat.NO_TIME;
    }
  }

  /** Logs, at most once a minute, that a reload of {@code key} failed; the old value {@code what}. */
  final void logReloadFailure(K key, Throwable failure, String what) {
    log.warn(name, "Cache '" + name + "': reloading the entry of key '" + shown(key)
        + "' failed (" + failure + "); its current value " + what + " (stats().refresh())");
  }

  /** The engine's name, for messages. */
  protected final String engineName() {
    return engineName;
  }

  /** The configuration this cache was created with: the engine's, with its own settings. */
  public final CacheConfig config() {
    return config;
  }

  /** Records the engine that created this cache, so that holding the cache holds the engine. */
  public final void heldBy(Object owner) {
    this.engine = owner;
  }

  /**
   * This cache with its type parameters checked against the ones it was created with. Asked for
   * {@code Object} values, it is a view of any value type (what an eviction from a process that
   * does not know the cache's type needs): it reads the cache's values, and a write of another
   * type fails as on the cache itself.
   *
   * @throws IllegalArgumentException if they differ
   */
  @SuppressWarnings("unchecked")
  public final <K2, V2> Cache<K2, V2> as(Class<K2> keyType, ValueType<V2> valueType) {
    if (this.keyType != keyType
        || !this.valueType.equals(valueType) && valueType.type() != Object.class) {
      throw new IllegalArgumentException("Cache '" + name + "' holds " + this.keyType.getName()
          + " -> " + this.valueType + ", not " + keyType.getName() + " -> " + valueType);
    }
    return (Cache<K2, V2>) this;
  }

  /**
   * {@code key} changed, here or (as the engine's feed says) in another process: its near copy,
   * if any, goes. A no-op without a near cache. Engines call it for changes the template does
   * not make itself (an engine's own asynchronous writes).
   */
  protected final void changed(K key) {
    NearCache<K> copy = nearCache();
    if (copy != null) {
      copy.changedHere(key);
    }
  }

  /** This process starts writing {@code key}: times its invalidation, with a near cache. */
  private void writing(K key) {
    NearCache<K> copy = nearCache();
    if (copy != null) {
      copy.writing(key);
    }
  }

  /**
   * What a reader sees of {@code key} now, for a load about to start. A near cache's copy
   * answers when it has one (the copy of a miss, made by the read that just missed, or the value
   * a load that finished since stored), so concurrent misses read the engine once; else the
   * engine is read.
   */
  @SuppressWarnings("unchecked")
  final @Nullable CachedValue<V> visibleNow(K key) {
    NearReads<K, V> copies = near;
    Object copy = copies == null ? null : copies.peek(key);
    if (copy == null) {
      return visible(key, readOrMiss(key));
    }
    return isShown(copy) ? new CachedValue<>(copy == NULL_VALUE ? null : (V) copy) : null;
  }

  /** A loaded value was stored for {@code key}: older copies go, and it is the near copy. */
  final void storedLoaded(K key, @Nullable V value) {
    NearReads<K, V> copies = near;
    if (copies != null) {
      copies.storedLoaded(key, value, timed);
    }
  }

  /** This cache's near cache, or null. */
  final @Nullable NearCache<K> nearCache() {
    NearReads<K, V> copies = near;
    return copies == null ? null : copies.near;
  }

  /** The observations a call that reaches the engine (a write, a bulk read) starts, or null. */
  private @Nullable CacheObservations observingCall() {
    CacheObservations observing = observations;
    return observing != null && observing.observesCall() ? observing : null;
  }

  private static String hitOrMiss(@Nullable Object found) {
    return found == null ? CacheObservations.MISS : CacheObservations.HIT;
  }

  /** This cache's observations, or null when the application gave no registry. */
  final @Nullable CacheObservations observations() {
    return observations;
  }

  /** Gives this cache its observations; once, before the cache is returned to anyone. */
  final void observeWith(CacheObservations observations) {
    this.observations = observations;
  }

  /**
   * Starts the observation of a call of this cache that the caller runs itself (an annotated
   * method's lookup and load, as one), or returns null when it is not observed: no registry, an
   * in-process engine, or a call of this cache already observed on this thread. The caller
   * {@link ObservedCall#stop stops} it on the same thread.
   */
  public final @Nullable ObservedCall startObservedCall(K key) {
    CacheObservations observing = observations == null ? null : observingCall();
    NearReads<K, V> copies = near;
    // A key with a near copy is an in-process hit, not observed. Should the copy go before the
    // call reads it, the call's get finds no observed call on the thread and observes itself.
    if (observing == null || copies != null && copies.peek(key) != null) {
      return null;
    }
    CacheObservations.Started started = observing.startCall("get", key);
    return started == null ? null : new ObservedCall(started);
  }

  /** Whether this cache keeps a near cache ({@code near.enabled}). */
  protected final boolean hasNearCache() {
    return near != null;
  }

  /**
   * Gives loads the engine's leases, if it has any ({@code single-flight.scope=cluster}, and one
   * refresh per key across processes); once, before the cache is returned to anyone.
   *
   * @throws CacheConfigException if {@code single-flight.scope=cluster} and the engine has no
   *     leases
   */
  final void startSingleFlight() {
    LoadLeases<K, S> leases = loadLeases();
    boolean clusterWide = config.singleFlight() == SingleFlightScope.CLUSTER;
    if (leases == null && clusterWide) {
      throw new CacheConfigException("single-flight.scope", "Cache '" + name + "': "
          + "single-flight.scope=cluster needs an engine that can hold a lease on a key for "
          + "every process (redis); the " + engineName + " engine has no such lease, so use "
          + "process (the default), which loads once per key in each process");
    }
    if (leases != null) {
      loading.useLeases(leases, clusterWide);
    }
  }

  /** Gives this cache its near cache; once, before the cache is returned to anyone. */
  final void enableNear(NearCache<K> nearCache) {
    this.near = new NearReads<>(this, nearCache, this::readDecoded);
  }

  /** Every near copy goes (the feed was lost or restored, or every key changed). */
  final void flushNear(FlushCause cause) {
    NearCache<K> copy = nearCache();
    if (copy != null) {
      copy.flush(cause);
    }
  }

  /** A key of the engine's feed changed: its copy goes, or every copy for another key type. */
  final void changedByFeed(Object key) {
    NearReads<K, V> copies = near;
    if (copies != null) {
      copies.changedByFeed(key, keyType);
    }
  }

  /** Refuses every later call, then runs {@link #onClose()}; for the engine, once. */
  public final void markClosed() {
    if (!closed) {
      closed = true;
      onClose();
    }
  }

  /** Whether {@link #markClosed()} ran. */
  protected final boolean isClosed() {
    return closed;
  }

  /** @throws IllegalStateException if this cache's engine is closed */
  protected final void checkOpen() {
    if (closed) {
      throw new IllegalStateException("Cache '" + name + "' is closed: its " + engineName
          + " engine was closed");
    }
  }

  /** Counts evictions the engine made (size limits). */
  protected final void countEvictions(long count) {
    counters.evictions(count);
  }

  /** Counts an engine failure that the engine reported itself (entries discarded at open). */
  protected final void countError() {
    counters.error();
  }

  /**
   * Counts a call that went around this cache because its key has no canonical form (a string
   * with a lone surrogate, say): an integration such as {@code @UCache} ran the method uncached.
   * An error in {@link #stats()}.
   */
  public final void countUncacheable() {
    counters.error();
  }

  /** Counts a call the engine skipped because its circuit breaker is open (an error too). */
  protected final void countRejected() {
    counters.rejected();
    mark(CacheObservations.REJECTED);
  }

  /** Marks the call of this cache observed on this thread, if any, with {@code result}. */
  final void mark(String result) {
    CacheObservations observing = observations;
    if (observing != null) {
      observing.mark(result);
    }
  }

  /** A read returned an expired value while it is revalidated: a hit, counted and marked. */
  final void servedStale() {
    counters.servedStale();
    mark(CacheObservations.STALE);
  }

  /** A read returned an expired value since its reload failed: a hit, counted and marked. */
  final void servedStaleOnError() {
    counters.servedStaleOnError();
    mark(CacheObservations.STALE);
  }

  /**
   * Counts and logs an entry found unreadable outside {@link #decode} (a damaged header the
   * engine reads itself while scanning), naming what it can.
   */
  protected final void countUnreadable(Object where, String reason) {
    counters.error();
    log.warn(name, "Cache '" + name + "' found an entry it cannot read at " + where + " ("
        + reason + "); it counts as a miss. Was it written by another program, or another "
        + "version of its class?");
  }

  /** What a reader sees of {@code stored}: a value, a cached null, or {@code null} for none. */
  @SuppressWarnings("unchecked")
  protected final @Nullable CachedValue<V> visible(K key, @Nullable S stored) {
    if (stored == null) {
      return null;
    }
    Object value = decodeOrMark(key, stored);
    if (!(value instanceof Marker)) {
      return new CachedValue<>((V) value);
    }
    if (value == NULL_VALUE && nullValues) {
      return new CachedValue<>(null);
    }
    dropIfUnreadable(key, stored, value);
    return null;
  }

  /** Counts {@code found} as a hit or a miss; returns it. */
  protected final @Nullable CachedValue<V> counted(@Nullable CachedValue<V> found) {
    if (found != null) {
      counters.hit();
    } else {
      counters.miss();
    }
    return found;
  }

  /**
   * An engine failure outside the template's own calls (a native async operation): counted, and
   * rethrown unless {@code fail-mode=open}.
   */
  protected final void failed(EngineUnavailableException e) {
    counters.error();
    mark(CacheObservations.ERROR);
    if (!failOpen) {
      throw e;
    }
  }

  /** Whether this cache's failure mode is {@code open}. */
  protected final boolean failOpen() {
    return failOpen;
  }

  /**
   * Marks {@code key} evicted before an eviction the template does not run itself (the map
   * view, an engine's asynchronous view) removes it: a load in flight will not keep its value.
   */
  protected final void markEvicting(K key) {
    loading.evicting(key);
  }

  /**
   * How many entries the store holds, where it can tell without a scan (an in-process engine's
   * map, which may still count entries that expired and are not yet removed); empty where it
   * would take a scan. For metrics and operators' tools; the default is empty.
   */
  public OptionalLong estimatedSize() {
    return OptionalLong.empty();
  }

  /** The type of this cache's keys. */
  public final Class<K> keyType() {
    return keyType;
  }

  /**
   * Evicts the entries whose key has the canonical text {@code text}: directly where keys are
   * strings, else by walking the keys and comparing their text (for operators' tools).
   *
   * @return how many entries it evicted
   */
  @SuppressWarnings("unchecked")
  public final int evictByText(String text) {
    Objects.requireNonNull(text, "text");
    checkOpen();
    if (keyType == String.class) {
      K key = (K) text;
      boolean present = lookup(key) != null;
      evict(key);
      return present ? 1 : 0;
    }
    List<K> matching = keys().filter(key -> key.equals(text) || text.equals(canonicalText(key)))
        .toList();
    evictAll(matching);
    return matching.size();
  }

  /** The canonical text of a key object, or null when it has none. */
  static @Nullable String canonicalText(Object key) {
    if (key instanceof CanonicalKey canonical) {
      return canonical.canonicalText();
    }
    try {
      return io.ucache.CacheKeys.of(new Object[] {key});
    } catch (IllegalArgumentException e) {
      return null; // a key without a canonical form: no text names it
    }
  }

  /**
   * {@code value}, if this cache may hold it.
   *
   * @throws NullPointerException if it is null and null values are off
   * @throws CacheSerializationException if it is not of the cache's value type
   */
  protected final @Nullable V checkValue(@Nullable V value) {
    if (value == null) {
      if (!nullValues) {
        throw new NullPointerException("Cache '" + name + "' does not allow null values; set "
            + "null-values=true to cache them");
      }
    } else if (!valueClass.isInstance(value)) {
      throw new CacheSerializationException("Cache '" + name + "' holds "
          + valueType + " values, not " + value.getClass().getName());
    }
    return value;
  }

  /** Whether {@code decoded} (from {@link #decode}) is a value rather than a marker. */
  static boolean isValue(@Nullable Object decoded) {
    return !(decoded instanceof Marker);
  }

  /** {@link #read}, with a failure as a miss in fail-mode open. */
  final @Nullable S readOrMiss(K key) {
    try {
      return read(key);
    } catch (EngineUnavailableException e) {
      failed(e);
      return null;
    }
  }

  /**
   * {@link #decode}, with anything it throws as {@link #UNREADABLE} (logged), and an entry's
   * times applied ({@link #present}).
   */
  final @Nullable Object decodeOrMark(K key, S stored) {
    return present(decodeRaw(key, stored));
  }

  /**
   * What a plain read sees of {@code decoded}: for a {@link TimedValue}, its value while within
   * its ttl, else {@link #STALE}; anything else as it is.
   */
  final @Nullable Object present(@Nullable Object decoded) {
    if (!(decoded instanceof TimedValue entry)) {
      return decoded;
    }
    Freshness.State state = freshness.state(entry, clockMillis());
    return state == Freshness.State.FRESH || state == Freshness.State.REFRESH ? entry.value
        : STALE;
  }

  /** {@link #decode}, with anything it throws as {@link #UNREADABLE}; times kept. */
  final @Nullable Object decodeRaw(K key, S stored) {
    try {
      return decode(key, stored);
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      // An Error here comes from hostile bytes (a huge array, deep nesting) that slipped past
      // the codec's limits: the entry is what is wrong, not the JVM.
      return unreadable(e.toString());
    }
  }

  /** For {@link #UNREADABLE}: delete the entry if still the same, and count it. */
  final void dropIfUnreadable(K key, S stored, @Nullable Object marker) {
    if (marker == OTHER_TYPE) {
      otherType(key);
    } else if (isUnreadable(marker)) {
      counters.error();
      log.warn(name, "Cache '" + name + "' dropped the entry of key '" + shown(key) + "': it "
          + "cannot be read (" + marker + "; foreign, damaged, or of a changed class?); it "
          + "counts as a miss (stats().errorCount())");
      try {
        discard(key, stored);
        changed(key);
      } catch (RuntimeException e) {
        // Still a miss; the next read tries again.
      }
    }
  }

  static boolean isUnreadable(@Nullable Object marker) {
    return marker instanceof Marker && marker != NULL_VALUE && marker != OTHER_TYPE
        && marker != STALE;
  }

  private void otherType(K key) {
    log.warn(name, "Cache '" + name + "': the entry of key '" + shown(key) + "' was written "
        + "with other key or value types than " + keyType.getName() + " -> " + valueType
        + " (another process, an older shape of the class, or another codec-version?); it "
        + "counts as a miss here and stays until a load replaces it");
  }

  private static String shown(Object key) {
    String text = String.valueOf(key);
    return text.length() <= 100 ? text : text.substring(0, 100) + "...";
  }

  static <K> List<K> distinct(Iterable<? extends K> keys) {
    Set<K> set = new LinkedHashSet<>();
    for (K key : keys) {
      set.add(Objects.requireNonNull(key, "key"));
    }
    return new ArrayList<>(set);
  }

  /** The markers {@link #decode} may return; never equal to a user's value. */
  private static final class Marker {
    private final String name;

    Marker(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
