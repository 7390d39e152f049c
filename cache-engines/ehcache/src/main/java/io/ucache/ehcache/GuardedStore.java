package io.ucache.ehcache;

import io.ucache.EngineUnavailableException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.ehcache.Cache;
import org.ehcache.config.CacheRuntimeConfiguration;
import org.jspecify.annotations.Nullable;

/**
 * One cache's Ehcache store behind the engine's {@link DiskGuard}: every operation runs through
 * the guard, and writes first check that the disk has room. A failure is thrown as
 * {@link EngineUnavailableException}, which the cache template counts and handles as the cache's
 * {@code fail-mode} says; a write refused for want of room first removes the key's older entry,
 * so that it cannot be read in the refused value's place. The guard counts every failure too.
 * Thread-safe, as the store is.
 */
final class GuardedStore implements Cache<Object, StoredValue> {

  /** What an entry costs on disk beyond its value's bytes: key, header, index slot. */
  private static final long ENTRY_OVERHEAD = 256;

  private final String name;
  private final Cache<Object, StoredValue> store;
  private final DiskGuard guard;

  GuardedStore(String name, Cache<Object, StoredValue> store, DiskGuard guard) {
    this.name = name;
    this.store = store;
    this.guard = guard;
  }

  private static long size(StoredValue value) {
    return value.length() + ENTRY_OVERHEAD;
  }

  /** Checks room for a write; when there is none, removes the key's older entry and throws. */
  private void room(Object key, long bytes) {
    try {
      guard.checkRoom(name, bytes);
    } catch (EngineUnavailableException e) {
      dropOlder(key);
      throw e;
    }
  }

  private void dropOlder(Object key) {
    try {
      guard.run(name, "remove", () -> {
        store.remove(key);
        return null;
      });
    } catch (EngineUnavailableException ignored) {
      // Counted by the guard; a faulted store is never read again anyway.
    }
  }

  /** Runs a read through the guard. */
  private <T> T read(String what, java.util.function.Supplier<T> read) {
    return guard.run(name, what, read);
  }

  /** Runs a write through the guard. */
  private <T> T write(String what, java.util.function.Supplier<T> write) {
    return guard.run(name, what, write);
  }

  /** The hit path: the guard's checks without a lambda. */
  @Override
  public @Nullable StoredValue get(Object key) {
    guard.checkFault(name);
    try {
      return store.get(key);
    } catch (RuntimeException | InternalError | OutOfMemoryError e) {
      throw guard.failure(name, "get", e);
    }
  }

  @Override
  public void put(Object key, StoredValue value) {
    room(key, size(value));
    write("put", () -> {
      store.put(key, value);
      return null;
    });
  }

  @Override
  public boolean containsKey(Object key) {
    return read("containsKey", () -> store.containsKey(key));
  }

  @Override
  public void remove(Object key) {
    write("remove", () -> {
      store.remove(key);
      return null;
    });
  }

  @Override
  public Map<Object, StoredValue> getAll(Set<?> keys) {
    return read("getAll", () -> store.getAll(keys));
  }

  @Override
  public void putAll(Map<?, ? extends StoredValue> entries) {
    long bytes = 0;
    for (StoredValue value : entries.values()) {
      bytes += size(value);
    }
    try {
      guard.checkRoom(name, bytes);
    } catch (EngineUnavailableException e) {
      entries.keySet().forEach(this::dropOlder);
      throw e;
    }
    write("putAll", () -> {
      store.putAll(entries);
      return null;
    });
  }

  @Override
  public void removeAll(Set<?> keys) {
    write("removeAll", () -> {
      store.removeAll(keys);
      return null;
    });
  }

  @Override
  public void clear() {
    write("clear", () -> {
      store.clear();
      return null;
    });
  }

  @Override
  public @Nullable StoredValue putIfAbsent(Object key, StoredValue value) {
    room(key, size(value));
    return write("putIfAbsent", () -> store.putIfAbsent(key, value));
  }

  @Override
  public boolean remove(Object key, StoredValue value) {
    return write("remove", () -> store.remove(key, value));
  }

  @Override
  public @Nullable StoredValue replace(Object key, StoredValue value) {
    room(key, size(value));
    return write("replace", () -> store.replace(key, value));
  }

  @Override
  public boolean replace(Object key, StoredValue oldValue, StoredValue newValue) {
    room(key, size(newValue));
    return write("replace", () -> store.replace(key, oldValue, newValue));
  }

  @Override
  public CacheRuntimeConfiguration<Object, StoredValue> getRuntimeConfiguration() {
    return store.getRuntimeConfiguration();
  }

  @Override
  public Iterator<Entry<Object, StoredValue>> iterator() {
    Iterator<Entry<Object, StoredValue>> entries =
        read("iterator", store::iterator);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return read("iterate", entries::hasNext);
      }

      @Override
      public Entry<Object, StoredValue> next() {
        return guard.run(name, "iterate", entries::next);
      }

      @Override
      public void remove() {
        write("remove", () -> {
          entries.remove();
          return null;
        });
      }
    };
  }

  @Override
  public String toString() {
    return "GuardedStore{" + name + ", " + guard + "}";
  }
}
