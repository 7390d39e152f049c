package io.ucache.ehcache;

import io.ucache.EngineUnavailableException;
import io.ucache.FailMode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.ehcache.Cache;
import org.ehcache.config.CacheRuntimeConfiguration;
import org.jspecify.annotations.Nullable;

/**
 * One cache's Ehcache store behind the engine's {@link DiskGuard}: every operation runs through
 * the guard, and writes first check that the disk has room. A failure follows the cache's
 * {@code fail-mode}: with {@code closed} it is thrown as {@link EngineUnavailableException};
 * with {@code open} a write is dropped (and the key's older entry removed, so that it cannot be
 * read in the written value's place) and a read is a miss. Either way the guard counts it.
 * Thread-safe, as the store is.
 */
final class GuardedStore implements Cache<EncodedKey, StoredValue> {

  /** What an entry costs on disk beyond its value's bytes: key, header, index slot. */
  private static final long ENTRY_OVERHEAD = 256;

  private final String name;
  private final Cache<EncodedKey, StoredValue> store;
  private final DiskGuard guard;
  private final boolean failOpen;

  GuardedStore(String name, Cache<EncodedKey, StoredValue> store, DiskGuard guard,
      FailMode failMode) {
    this.name = name;
    this.store = store;
    this.guard = guard;
    this.failOpen = failMode == FailMode.OPEN;
  }

  private static long size(StoredValue value) {
    return value.bytes().length + ENTRY_OVERHEAD;
  }

  /** Checks room for a write; false if it is to be dropped (fail-open). */
  private boolean room(EncodedKey key, long bytes) {
    try {
      guard.checkRoom(name, bytes);
      return true;
    } catch (EngineUnavailableException e) {
      if (!failOpen) {
        throw e;
      }
      dropOlder(key);
      return false;
    }
  }

  private void dropOlder(EncodedKey key) {
    try {
      guard.run(name, "remove", () -> {
        store.remove(key);
        return null;
      });
    } catch (EngineUnavailableException ignored) {
      // Counted by the guard; a faulted store is never read again anyway.
    }
  }

  /** Runs a read; in fail-open mode a failure gives {@code missing}. */
  private <T> T read(String what, java.util.function.Supplier<T> read, T missing) {
    try {
      return guard.run(name, what, read);
    } catch (EngineUnavailableException e) {
      if (failOpen) {
        return missing;
      }
      throw e;
    }
  }

  /** Runs a write; in fail-open mode a failure is dropped, giving {@code dropped}. */
  private <T> T write(String what, java.util.function.Supplier<T> write, T dropped) {
    try {
      return guard.run(name, what, write);
    } catch (EngineUnavailableException e) {
      if (failOpen) {
        return dropped;
      }
      throw e;
    }
  }

  @Override
  public @Nullable StoredValue get(EncodedKey key) {
    return read("get", () -> store.get(key), null);
  }

  @Override
  public void put(EncodedKey key, StoredValue value) {
    if (room(key, size(value))) {
      write("put", () -> {
        store.put(key, value);
        return null;
      }, null);
    }
  }

  @Override
  public boolean containsKey(EncodedKey key) {
    return read("containsKey", () -> store.containsKey(key), false);
  }

  @Override
  public void remove(EncodedKey key) {
    write("remove", () -> {
      store.remove(key);
      return null;
    }, null);
  }

  @Override
  public Map<EncodedKey, StoredValue> getAll(Set<? extends EncodedKey> keys) {
    return read("getAll", () -> store.getAll(keys), Map.of());
  }

  @Override
  public void putAll(Map<? extends EncodedKey, ? extends StoredValue> entries) {
    long bytes = 0;
    for (StoredValue value : entries.values()) {
      bytes += size(value);
    }
    try {
      guard.checkRoom(name, bytes);
    } catch (EngineUnavailableException e) {
      if (!failOpen) {
        throw e;
      }
      entries.keySet().forEach(this::dropOlder);
      return;
    }
    write("putAll", () -> {
      store.putAll(entries);
      return null;
    }, null);
  }

  @Override
  public void removeAll(Set<? extends EncodedKey> keys) {
    write("removeAll", () -> {
      store.removeAll(keys);
      return null;
    }, null);
  }

  @Override
  public void clear() {
    write("clear", () -> {
      store.clear();
      return null;
    }, null);
  }

  @Override
  public @Nullable StoredValue putIfAbsent(EncodedKey key, StoredValue value) {
    // Dropped in fail-open mode: null says "was absent", and the caller's value is its answer.
    return room(key, size(value)) ? write("putIfAbsent", () -> store.putIfAbsent(key, value), null)
        : null;
  }

  @Override
  public boolean remove(EncodedKey key, StoredValue value) {
    return write("remove", () -> store.remove(key, value), false);
  }

  @Override
  public @Nullable StoredValue replace(EncodedKey key, StoredValue value) {
    return room(key, size(value)) ? write("replace", () -> store.replace(key, value), null) : null;
  }

  @Override
  public boolean replace(EncodedKey key, StoredValue oldValue, StoredValue newValue) {
    return room(key, size(newValue))
        && write("replace", () -> store.replace(key, oldValue, newValue), false);
  }

  @Override
  public CacheRuntimeConfiguration<EncodedKey, StoredValue> getRuntimeConfiguration() {
    return store.getRuntimeConfiguration();
  }

  @Override
  public Iterator<Entry<EncodedKey, StoredValue>> iterator() {
    Iterator<Entry<EncodedKey, StoredValue>> entries =
        read("iterator", store::iterator, java.util.Collections.emptyIterator());
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return read("iterate", entries::hasNext, false);
      }

      @Override
      public Entry<EncodedKey, StoredValue> next() {
        return guard.run(name, "iterate", entries::next);
      }

      @Override
      public void remove() {
        write("remove", () -> {
          entries.remove();
          return null;
        }, null);
      }
    };
  }

  @Override
  public String toString() {
    return "GuardedStore{" + name + ", " + guard + "}";
  }
}
