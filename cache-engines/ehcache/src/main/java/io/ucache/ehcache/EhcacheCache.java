package io.ucache.ehcache;

import io.ucache.CacheConfig;
import io.ucache.CacheSerializationException;
import io.ucache.ValueCodec;
import io.ucache.ValueType;
import io.ucache.spi.AbstractCache;
import io.ucache.spi.DecodedValue;
import io.ucache.spi.StoredValueFormat;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One named cache of the ehcache engine: the storage primitives of {@link AbstractCache} over an
 * Ehcache cache with a heap tier and a persistent disk tier, holding store keys (the String key
 * itself, or the key's bytes: {@link EncodedKey}) and {@link StoredValue}s. Keys and values are encoded before anything is written, so a value that
 * cannot be encoded fails its {@code put} and leaves the cache as it was.
 *
 * <p>What blocks: a hit in the heap tier touches no file. A read of an entry that is only in the
 * disk tier reads the tier's file on the calling thread (through the OS page cache, a few
 * microseconds); a write updates the disk tier's index on the calling thread and leaves the
 * bytes to Ehcache's disk writer threads, which {@code close()} waits for.
 */
final class EhcacheCache<K, V> extends AbstractCache<K, V, StoredValue> {

  private static final Set<Class<?>> IMMUTABLE = Set.of(String.class, Integer.class, Long.class,
      Short.class, Byte.class, Double.class, Float.class, Boolean.class, Character.class);

  private final org.ehcache.Cache<Object, StoredValue> store;
  private final KeyCodec<K> keys;
  private final ValueCodec<V> values;
  private final StoredValueFormat format;
  private final EngineClock clock;
  private final boolean nullValues;
  /**
   * Whether values are immutable (strings, boxed primitives), so that one decoded value may be
   * returned to every caller: decoded once per entry in the heap tier instead of at every hit.
   */
  private final boolean immutableValues;
  /** The write TTL in milliseconds, or -1 for none. */
  private final long ttlMillis;
  /** The most entries the cache holds, or -1 for no limit but the disk tier's size. */
  private final long maxSize;
  private final long maxValueBytes;
  private final StoreEvents events;
  /** Held by the one thread that evicts down to {@code max-size}; the others do not wait. */
  private final ReentrantLock trimming = new ReentrantLock();

  EhcacheCache(String name, CacheConfig config, Class<K> keyType, ValueType<V> valueType,
      KeyCodec<K> keys, ValueCodec<V> values, StoredValueFormat format,
      org.ehcache.Cache<Object, StoredValue> store, EngineClock clock,
      StoreEvents events, boolean discardedAtOpen) {
    super(EhcacheEngineProvider.NAME, name, config, keyType, valueType);
    this.keys = keys;
    this.values = values;
    this.format = format;
    this.store = store;
    this.clock = clock;
    this.nullValues = config.nullValues();
    this.immutableValues = valueType.isClass() && IMMUTABLE.contains(valueType.rawType());
    // With stale windows, entries are kept past their ttl; the template reads their times.
    this.ttlMillis = storeTtl().map(EngineClock::millisRoundedUp).orElse(-1L);
    this.maxSize = config.maxSize().orElse(-1);
    this.maxValueBytes = config.maxValueBytes();
    this.events = events;
    recount();
    if (discardedAtOpen) {
      // The entries this cache had were discarded after an unclean shutdown: one error.
      countError(); // the engine logged it, once for the folder
    }
  }

  // --- storage primitives

  @Override
  protected @Nullable StoredValue read(K key) {
    return store.get(keys.encode(key));
  }

  @Override
  protected Map<K, StoredValue> readAll(List<K> asked) {
    Map<Object, K> byEncoded = new LinkedHashMap<>();
    asked.forEach(key -> byEncoded.put(keys.encode(key), key));
    Map<K, StoredValue> found = new LinkedHashMap<>();
    store.getAll(byEncoded.keySet()).forEach((encoded, stored) -> {
      if (stored != null) {
        found.put(byEncoded.get(encoded), stored);
      }
    });
    return found;
  }

  @Override
  protected void write(K key, StoredValue stored, @Nullable Duration ttl) {
    Object encoded = keys.encode(key);
    store.put(encoded, stored);
    trim(encoded);
  }

  @Override
  protected void writeAll(Map<K, StoredValue> entries) {
    Map<Object, StoredValue> encoded = new LinkedHashMap<>();
    entries.forEach((key, stored) -> encoded.put(keys.encode(key), stored));
    store.putAll(encoded);
    trim(null);
  }

  @Override
  protected @Nullable StoredValue writeIfAbsent(K key, StoredValue stored) {
    Object encoded = keys.encode(key);
    StoredValue previous = store.putIfAbsent(encoded, stored);
    if (previous == null) {
      trim(encoded);
    }
    return previous;
  }

  @Override
  protected boolean replace(K key, StoredValue expected, StoredValue replacement) {
    return store.replace(keys.encode(key), expected, replacement);
  }

  @Override
  protected void remove(K key) {
    store.remove(keys.encode(key));
  }

  @Override
  protected void removeAll(Collection<K> all) {
    Set<Object> encoded = new HashSet<>();
    all.forEach(key -> encoded.add(keys.encode(key)));
    store.removeAll(encoded);
  }

  @Override
  protected boolean removeIfSame(K key, StoredValue expected) {
    return store.remove(keys.encode(key), expected);
  }

  /**
   * Walks Ehcache's disk tier, one entry at a time, so memory does not grow with the cache.
   * Entries past their TTL are left out; an entry past its {@code expire-after-access} limit may
   * be listed until something reads it.
   */
  @Override
  protected Iterator<K> scan() {
    Iterator<org.ehcache.Cache.Entry<Object, StoredValue>> entries = store.iterator();
    return new Iterator<>() {
      private @Nullable K next;

      @Override
      public boolean hasNext() {
        long now = clock.getTimeMillis();
        while (next == null && entries.hasNext()) {
          org.ehcache.Cache.Entry<Object, StoredValue> entry = entries.next();
          StoredValue value = entry.getValue();
          if (value != null && !value.expiredAt(now) && (nullValues || !value.isNull())) {
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
  }

  @Override
  protected void removeEverything() {
    store.clear();
    recount(); // Ehcache fires no event for a clear
  }

  /** Counts the entries for {@code max-size}, by iteration (only a cache with one needs it). */
  private void recount() {
    long counted = 0;
    if (maxSize >= 0) {
      for (Iterator<?> entries = store.iterator(); entries.hasNext(); entries.next()) {
        counted++;
      }
    }
    events.recount(counted);
  }

  @Override
  protected StoredValue encode(K key, @Nullable V value, @Nullable Duration ttl) {
    long now = clock.getTimeMillis();
    long deadline = ttl != null ? EngineClock.deadline(now, EngineClock.millisRoundedUp(ttl))
        : ttlMillis < 0 ? StoredValue.NO_DEADLINE : EngineClock.deadline(now, ttlMillis);
    long writeTime = keepsTimes() ? now : StoredValueFormat.NO_TIME;
    if (value == null) {
      return StoredValue.of(format, null, writeTime, deadline);
    }
    byte[] bytes;
    try {
      bytes = values.encode(value);
    } catch (CacheSerializationException e) {
      throw explain(value, e);
    } catch (RuntimeException e) {
      throw new CacheSerializationException("Cannot encode a " + value.getClass().getName()
          + " for cache '" + name() + "': " + e, e);
    }
    if (bytes.length > maxValueBytes) {
      throw new CacheSerializationException("Cache '" + name() + "': a value of "
          + bytes.length + " bytes encoded is more than max-value-bytes (" + maxValueBytes
          + " bytes); nothing was written");
    }
    return StoredValue.of(format, bytes, writeTime, deadline);
  }

  @Override
  protected @Nullable Object decode(K key, StoredValue stored) {
    DecodedValue problem = stored.problem();
    if (problem != null) {
      return problem instanceof DecodedValue.Unreadable bad ? unreadable(bad.reason()) : OTHER_TYPE;
    }
    Object value = stored.isNull() ? NULL_VALUE : decodedValue(stored);
    return stored.writeTime() == StoredValueFormat.NO_TIME ? value
        : timed(value, stored.writeTime(),
            stored.deadline() == StoredValue.NO_DEADLINE ? StoredValueFormat.NO_TIME
                : stored.deadline());
  }

  private Object decodedValue(StoredValue stored) {
    if (!immutableValues) {
      return values.decode(stored.payload());
    }
    Object value = stored.decoded();
    if (value == null) {
      value = values.decode(stored.payload());
      stored.remember(value);
    }
    return value;
  }

  /** Deadlines and write times are in the engine's clock, which Ehcache's expiry reads too. */
  @Override
  protected long clockMillis() {
    return clock.getTimeMillis();
  }

  /**
   * Hits, misses and loads are counted by the template; evictions are Ehcache's (its disk tier
   * full, and expired entries it removed) plus those that keep the cache within {@code max-size}.
   */
  @Override
  protected long engineEvictions() {
    return events.evictedOrExpired();
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    checkOpen();
    if (type.isInstance(store)) {
      return type.cast(store);
    }
    throw new IllegalArgumentException("Cache '" + name() + "' of the ehcache engine has no "
        + type.getName() + "; it has a " + org.ehcache.Cache.class.getName() + " of "
        + "store keys (a String, or an " + EncodedKey.class.getSimpleName() + " of bytes) to "
        + StoredValue.class.getSimpleName());
  }

  /** The key of an entry read by iteration, or {@code null} if it can no longer be read. */
  private @Nullable K decodeKey(Object encoded) {
    try {
      return keys.decode(encoded);
    } catch (RuntimeException e) {
      store.remove(encoded);
      countUnreadable("a stored key", e.toString());
      return null;
    }
  }

  /**
   * Keeps the cache within {@code max-size}: Ehcache bounds the disk tier only in bytes, so
   * entries beyond the limit are removed here, in the disk tier's order (by hash, which is to say
   * arbitrary), sparing {@code justWritten} unless the limit is zero. One thread evicts at a time;
   * the others carry on, as the evicting thread loops until the cache is within its limit.
   */
  private void trim(@Nullable Object justWritten) {
    if (maxSize < 0) {
      return;
    }
    while (events.entries() > maxSize && trimming.tryLock()) {
      long removed = 0;
      try {
        long excess = events.entries() - maxSize;
        Iterator<org.ehcache.Cache.Entry<Object, StoredValue>> entries = store.iterator();
        while (removed < excess && entries.hasNext()) {
          org.ehcache.Cache.Entry<Object, StoredValue> entry = entries.next();
          if (maxSize > 0 && entry.getKey().equals(justWritten)) {
            continue;
          }
          if (store.remove(entry.getKey(), entry.getValue())) {
            removed++;
            countEvictions(1);
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
          + " for cache '" + name() + "': it holds a " + e.getMessage() + ", which is not "
          + "Serializable", failure);
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
    return failure;
  }

}
