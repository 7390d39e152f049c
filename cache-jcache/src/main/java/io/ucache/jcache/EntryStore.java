package io.ucache.jcache;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.spi.LoadLeases;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where a JCache cache keeps its entries: one UCache cache of the manager's engine. On an engine
 * that keeps objects in this JVM ({@code in-process}), entries are stored as they are; on one
 * that stores bytes (on disk, in Redis), keys and entries are serialized with the manager's
 * class loader, so any {@code Serializable} key type works there and every value is stored by
 * value. Expiry is the JCache layer's ({@link Expirable}); the engine is also given each entry's
 * remaining life, where it takes one, so that it drops expired entries nobody reads.
 * Thread-safe; the caller serializes the operations on one key.
 */
abstract sealed class EntryStore {

  /** The engine counts evictions, which the cache's statistics report. */
  private static final CacheConfig COUNTED = CacheConfig.builder().stats(true).build();

  final Cache<?, ?> cache;
  private final boolean perEntryTtl;

  EntryStore(Cache<?, ?> cache, boolean perEntryTtl) {
    this.cache = cache;
    this.perEntryTtl = perEntryTtl;
  }

  /** The store for a JCache cache {@code name} on {@code engine}. */
  static EntryStore open(CacheEngine engine, String name, ClassLoader classLoader) {
    boolean perEntryTtl = engine.capabilities().contains(Capability.PER_ENTRY_TTL);
    if (engine.capabilities().contains(Capability.IN_PROCESS)
        && !engine.capabilities().contains(Capability.PERSISTENT)) {
      return new References(engine.cache(name, Object.class, Expirable.class, COUNTED),
          perEntryTtl);
    }
    Cache<String, byte[]> entries = engine.cache(name, String.class, byte[].class, COUNTED);
    return new Serialized(entries, perEntryTtl, classLoader,
        engine.capabilities().contains(Capability.SHARED) ? leasesOf(entries) : null);
  }

  /** The engine's key leases, or null when it offers none. */
  @SuppressWarnings("unchecked")
  private static @Nullable LoadLeases<String, ?> leasesOf(Cache<String, byte[]> entries) {
    try {
      return entries.unwrap(LoadLeases.class);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The locks that order the operations on each key (across processes where they can). */
  abstract KeyLocks newKeyLocks();

  /** Whether entries are kept as the objects given (so a cache may store by reference). */
  abstract boolean keepsReferences();

  /** The entry of {@code key}, expired or not; {@code null} when none (or unreadable). */
  abstract @Nullable Expirable get(Object key);

  /** Stores {@code entry} (not expired at {@code nowMillis}) under {@code key}. */
  abstract void put(Object key, Expirable entry, long nowMillis);

  abstract void remove(Object key);

  /** The keys stored now, in no order. */
  abstract List<Object> keys();

  void clear() {
    cache.clear();
  }

  /** Entries the engine evicted for size so far (0 when it does not count them). */
  long evictions() {
    return cache.stats().evictionCount();
  }

  /** The engine's life for an entry that expires at {@code expireAt}, or null for its default. */
  final @Nullable Duration lifetime(Expirable entry, long nowMillis) {
    if (!perEntryTtl || entry.expireAtMillis() == Expirable.NEVER) {
      return null;
    }
    return Duration.ofMillis(Math.max(1, entry.expireAtMillis() - nowMillis));
  }

  /** Entries as they are, keys as given: an in-memory engine. */
  static final class References extends EntryStore {
    private final Cache<Object, Expirable> entries;

    References(Cache<Object, Expirable> entries, boolean perEntryTtl) {
      super(entries, perEntryTtl);
      this.entries = entries;
    }

    @Override
    boolean keepsReferences() {
      return true;
    }

    @Override
    KeyLocks newKeyLocks() {
      return new KeyLocks(null, String::valueOf);
    }

    @Override
    @Nullable Expirable get(Object key) {
      return entries.get(key);
    }

    @Override
    void put(Object key, Expirable entry, long nowMillis) {
      Duration life = lifetime(entry, nowMillis);
      if (life == null) {
        entries.put(key, entry);
      } else {
        entries.put(key, entry, life);
      }
    }

    @Override
    void remove(Object key) {
      entries.evict(key);
    }

    @Override
    List<Object> keys() {
      return entries.keys().toList();
    }
  }

  /**
   * Keys as the base64url text of their serialized form, entries serialized: an engine that
   * stores bytes. Bytes that do not deserialize (another writer, a changed class) are a miss.
   */
  static final class Serialized extends EntryStore {
    private final Cache<String, byte[]> entries;
    private final ClassLoader classLoader;
    private final @Nullable LoadLeases<String, ?> leases;

    Serialized(Cache<String, byte[]> entries, boolean perEntryTtl, ClassLoader classLoader,
        @Nullable LoadLeases<String, ?> leases) {
      super(entries, perEntryTtl);
      this.entries = entries;
      this.classLoader = classLoader;
      this.leases = leases;
    }

    @Override
    boolean keepsReferences() {
      return false;
    }

    @Override
    KeyLocks newKeyLocks() {
      return new KeyLocks(leases, Serialized::text);
    }

    @Override
    @Nullable Expirable get(Object key) {
      byte[] bytes = entries.get(text(key));
      if (bytes == null) {
        return null;
      }
      try {
        return Copier.deserialize(bytes, classLoader) instanceof Expirable entry ? entry : null;
      } catch (RuntimeException e) {
        return null; // foreign or damaged bytes: a miss, replaced by the next write
      }
    }

    @Override
    void put(Object key, Expirable entry, long nowMillis) {
      Duration life = lifetime(entry, nowMillis);
      byte[] bytes = Copier.serialize(entry);
      if (life == null) {
        entries.put(text(key), bytes);
      } else {
        entries.put(text(key), bytes, life);
      }
    }

    @Override
    void remove(Object key) {
      entries.evict(text(key));
    }

    @Override
    List<Object> keys() {
      return entries.keys().map(this::key).filter(key -> key != null).toList();
    }

    static String text(Object key) {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Copier.serialize(key));
    }

    private @Nullable Object key(String text) {
      try {
        return Copier.deserialize(Base64.getUrlDecoder().decode(text), classLoader);
      } catch (RuntimeException e) {
        return null; // not a key this provider wrote
      }
    }
  }
}
