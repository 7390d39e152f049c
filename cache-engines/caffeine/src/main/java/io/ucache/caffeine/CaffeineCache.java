package io.ucache.caffeine;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.ucache.CacheConfig;
import io.ucache.Capability;
import io.ucache.Ticker;
import io.ucache.ValueType;
import io.ucache.spi.AbstractCache;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * One named cache of the Caffeine engine: the storage primitives of {@link AbstractCache} over a
 * Caffeine cache. Values are stored as they are, except cached nulls ({@link Stored.NullValue}),
 * values with their own deadline ({@link Stored.Deadline}), and, with refresh-after or a stale
 * window, values with their times (the template's {@code TimedValue}).
 *
 * <p>Caffeine's own statistics are off: the template counts hits and misses, and evictions come
 * from Caffeine's eviction listener. A hit is {@code getIfPresent}, a closed check (one volatile
 * read) and one counter.
 */
final class CaffeineCache<K, V> extends AbstractCache<K, V, Object> {

  private final com.github.benmanes.caffeine.cache.Cache<K, Object> store;
  private final Ticker ticker;
  private final boolean nullValues;
  /** Whether every stored object is the value itself: no cached nulls, no deadlines. */
  private final boolean plainValues;
  /**
   * Whether the Caffeine cache was built with variable expiry, which removes single-entry TTLs'
   * entries at their deadline. It costs every hit a call into {@link EntryExpiry} and
   * timer-wheel upkeep (several times a plain hit), so only caches that ask for it with
   * {@code require=per-entry-ttl} get it; the others use Caffeine's fixed expire-after-write and
   * expire-after-access, or no expiry at all, and check a single entry's deadline when it is
   * read (an entry past it is a miss, and is removed then).
   */
  private final boolean perEntryTtl;
  /** The write ttl when every write must carry a deadline (ttl with expire-after-access); else -1. */
  private final long deadlineTtlNanos;

  CaffeineCache(String name, CacheConfig config, Class<K> keyType, ValueType<V> valueType) {
    super(CaffeineEngineProvider.NAME, name, config, keyType, valueType);
    this.ticker = config.ticker();
    this.nullValues = config.nullValues();
    // With stale windows the store keeps entries past their ttl; the template reads their times.
    long ttl = storeTtl().map(CaffeineCache::nanos).orElse(EntryExpiry.NEVER);
    long access = config.expireAfterAccess().map(CaffeineCache::nanos).orElse(EntryExpiry.NEVER);
    this.perEntryTtl = config.require().contains(Capability.PER_ENTRY_TTL);
    this.deadlineTtlNanos = perEntryTtl && ttl != EntryExpiry.NEVER && access != EntryExpiry.NEVER
        ? ttl : -1;
    this.plainValues = !nullValues && !perEntryTtl && !keepsTimes();

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
      builder.evictionListener((key, value, cause) -> countEvictions(1));
    }
    this.store = builder.build();
  }

  // --- storage primitives: Caffeine's own atomic operations

  @Override
  protected @Nullable Object read(K key) {
    Object stored = store.getIfPresent(key);
    if (!perEntryTtl && stored instanceof Stored.Deadline lazy
        && lazy.remaining(ticker.read()) == 0) {
      // A put(key, value, ttl) on a cache without variable expiry: gone once read after it.
      store.asMap().remove(key, stored);
      return null;
    }
    return stored;
  }

  @Override
  protected void write(K key, Object stored, @Nullable Duration ttl) {
    store.put(key, stored);
  }

  @Override
  protected @Nullable Object writeIfAbsent(K key, Object stored) {
    return store.asMap().putIfAbsent(key, stored);
  }

  @Override
  protected boolean replace(K key, Object expected, Object replacement) {
    return store.asMap().replace(key, expected, replacement);
  }

  @Override
  protected @Nullable Object swap(K key, Object stored) {
    return store.asMap().put(key, stored);
  }

  @Override
  protected void remove(K key) {
    store.invalidate(key);
  }

  @Override
  protected void removeAll(Collection<K> keys) {
    store.invalidateAll(keys);
  }

  @Override
  protected boolean removeIfSame(K key, Object expected) {
    return store.asMap().remove(key, expected);
  }

  @Override
  protected @Nullable Object removeAndGet(K key) {
    return store.asMap().remove(key);
  }

  /** Caffeine's key set is weakly consistent and holds no resource: nothing to close. */
  @Override
  protected Iterator<K> scan() {
    return store.asMap().keySet().iterator();
  }

  @Override
  protected void removeEverything() {
    store.invalidateAll();
  }

  @Override
  protected Object encode(K key, @Nullable V value, @Nullable Duration ttl) {
    Object stored = value != null ? value : Stored.NullValue.INSTANCE;
    if (keepsTimes()) {
      // Its times, for refresh-after and the stale windows, in the template's own object: a hit
      // returns it as it is. The deadline is also the template's to check.
      long now = writeClockMillis();
      stored = timed(value != null ? value : NULL_VALUE, now, deadlineAfter(now, ttl));
    }
    if (ttl != null) {
      // With variable expiry (require=per-entry-ttl) Caffeine removes the entry at its deadline;
      // without it, read() treats it as absent from then on, and the cache's own ttl and
      // max-size still bound it.
      return Stored.Deadline.after(stored, ticker.read(), nanos(ttl));
    }
    return deadlineTtlNanos < 0 ? stored
        : Stored.Deadline.after(stored, ticker.read(), deadlineTtlNanos);
  }

  @Override
  protected Object decode(K key, Object stored) {
    if (plainValues && !(stored instanceof Stored.Deadline)) {
      return stored;
    }
    Object value = stored instanceof Stored.Deadline d ? d.value : stored;
    return value == Stored.NullValue.INSTANCE ? NULL_VALUE : value; // a TimedValue as it is
  }

  @Override
  protected void onClose() {
    store.invalidateAll();
    store.cleanUp();
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    checkOpen();
    if (type.isInstance(store)) {
      return type.cast(store);
    }
    throw new IllegalArgumentException("Cache '" + name() + "' of the caffeine engine has no "
        + type.getName() + "; it has a " + com.github.benmanes.caffeine.cache.Cache.class.getName());
  }

  @Override
  public OptionalLong estimatedSize() {
    return OptionalLong.of(store.estimatedSize());
  }

  @Override
  public String toString() {
    return "CaffeineCache{name=" + name() + ", size=" + store.estimatedSize()
        + (isClosed() ? ", closed" : "") + "}";
  }

  private static long nanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return duration.isNegative() ? Long.MIN_VALUE : EntryExpiry.NEVER;
    }
  }
}
