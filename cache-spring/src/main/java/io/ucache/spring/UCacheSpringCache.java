package io.ucache.spring;

import io.ucache.Cache;
import io.ucache.CacheSerializationException;
import io.ucache.CachedValue;
import io.ucache.EngineUnavailableException;
import io.ucache.spi.AbstractCache;
import io.ucache.spi.RateLimitedLog;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.cache.support.AbstractValueAdaptingCache;
import org.springframework.cache.support.NullValue;

/**
 * A Spring {@link org.springframework.cache.Cache} over one UCache {@link Cache}. Spring's
 * cached nulls ({@link NullValue}) are stored as UCache's own cached nulls, so the engine never
 * sees a Spring class. On in-memory engines keys are kept as they are; on engines that store
 * bytes they become the canonical text {@code @UCache} uses ({@link SpringKeys}).
 *
 * <p>{@link #get(Object, Callable)} loads at most once per key at a time in this JVM (UCache's
 * single flight); a loader's failure reaches the caller as a {@link ValueRetrievalException}.
 *
 * <p><b>Failures.</b> As for {@code @UCache}, annotation-driven caching fails open unless the
 * cache's configuration sets {@code fail-mode}: an engine failure
 * ({@link EngineUnavailableException}: the server down, its circuit open) is a miss for a read,
 * runs the value loader for {@code get(key, loader)}, and drops a write or an eviction (Redis
 * applies a failed eviction once it answers again), logged at most once a minute. With
 * {@code fail-mode=closed} it reaches the caller and Spring's {@code CacheErrorHandler}.
 *
 * <p>Thread-safe. Keys are never null; values may be null only when null values are allowed.
 */
final class UCacheSpringCache extends AbstractValueAdaptingCache {

  private final Cache<Object, Object> cache;
  private final boolean encodeKeys;
  private final String engineName;
  /** Puts made through Spring, for Micrometer's cache.puts: UCache's stats do not count them. */
  private final LongAdder puts = new LongAdder();

  /** Whether engine failures are swallowed here (fail-mode unset or open). */
  private final boolean failOpen;
  private final RateLimitedLog log =
      new RateLimitedLog(System.getLogger(UCacheSpringCache.class.getName()));

  UCacheSpringCache(Cache<Object, Object> cache, boolean allowNullValues, boolean encodeKeys,
      String engineName, boolean failOpen) {
    super(allowNullValues);
    this.cache = cache;
    this.encodeKeys = encodeKeys;
    this.engineName = engineName;
    this.failOpen = failOpen;
  }

  @Override
  public String getName() {
    return cache.name();
  }

  /** The UCache cache underneath. */
  @Override
  public Cache<Object, Object> getNativeCache() {
    return cache;
  }

  long putCount() {
    return puts.sum();
  }

  @Override
  protected @Nullable Object lookup(Object key) {
    try {
      Object engineKey = engineKey(key);
      // The template's lookup with Spring's null marker allocates nothing on a hit.
      return cache instanceof AbstractCache<Object, Object, ?> template
          ? template.lookup(engineKey, NullValue.INSTANCE) : storeValue(cache.lookup(engineKey));
    } catch (EngineUnavailableException e) {
      failedOpen("get", e);
      return null;
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
    // One call, so that a miss is counted once: UCache's get returns a hit (a cached null too)
    // without calling the loader.
    Object[] loadedHere = new Object[1];
    try {
      return (T) cache.get(engineKey(key), k -> {
        T value = load(key, valueLoader);
        loadedHere[0] = value == null ? NullValue.INSTANCE : value;
        puts.increment();
        return value;
      });
    } catch (EngineUnavailableException e) {
      failedOpen("get", e);
      // The loader may have run before the store failed: its value, not a second call.
      Object loaded = loadedHere[0];
      return loaded != null ? (T) fromStoreValue(loaded) : load(key, valueLoader);
    }
  }

  private <T> @Nullable T load(Object key, Callable<T> valueLoader) {
    T value;
    try {
      value = valueLoader.call();
    } catch (Exception | Error e) {
      throw new ValueRetrievalException(key, valueLoader, e);
    }
    if (value == null && !isAllowNullValues()) {
      // As Spring's own caches do: a null the cache may not hold is the loader's failure.
      throw new ValueRetrievalException(key, valueLoader, new IllegalArgumentException(
          "Cache '" + getName() + "' does not allow null values, but the loader returned null"));
    }
    return value;
  }

  @Override
  public void put(Object key, @Nullable Object value) {
    Object plain = plain(value);
    try {
      writeVoid(() -> cache.put(engineKey(key), plain), plain);
      puts.increment();
    } catch (EngineUnavailableException e) {
      failedOpen("put", e);
    }
  }

  @Override
  public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
    Object plain = plain(value);
    CachedValue<Object> existing;
    try {
      existing = write(() -> cache.putIfAbsent(engineKey(key), plain), plain);
    } catch (EngineUnavailableException e) {
      failedOpen("putIfAbsent", e);
      return null;
    }
    if (existing == null) {
      puts.increment();
      return null;
    }
    return toValueWrapper(storeValue(existing));
  }

  @Override
  public void evict(Object key) {
    try {
      cache.evict(engineKey(key));
    } catch (EngineUnavailableException e) {
      failedOpen("evict", e);
    }
  }

  /** Whether an entry was there just before; the look and the removal are two steps. */
  @Override
  public boolean evictIfPresent(Object key) {
    Object engineKey = engineKey(key);
    try {
      boolean present = cache.lookup(engineKey) != null;
      cache.evict(engineKey);
      return present;
    } catch (EngineUnavailableException e) {
      failedOpen("evict", e);
      return false;
    }
  }

  @Override
  public void clear() {
    try {
      cache.clear();
    } catch (EngineUnavailableException e) {
      failedOpen("clear", e);
    }
  }

  @Override
  public boolean invalidate() {
    try {
      boolean hadEntries = !cache.asMap().isEmpty();
      cache.clear();
      return hadEntries;
    } catch (EngineUnavailableException e) {
      failedOpen("clear", e);
      return false;
    }
  }

  /**
   * An engine failure: rethrown with {@code fail-mode=closed}; else swallowed and logged, at
   * WARNING at most once a minute.
   */
  private void failedOpen(String operation, EngineUnavailableException e) {
    if (!failOpen) {
      throw e;
    }
    log.warn(getName(), "Cache '" + getName() + "' on the " + engineName + " engine: "
        + operation + " failed, and @Cacheable went on without the cache (fail-mode is not "
        + "closed): " + e.getMessage());
  }

  /**
   * As Spring's own caches: {@code null} when absent; else a completed future of a
   * {@link ValueWrapper} when null values are allowed (a cached null stays distinguishable), of
   * the value otherwise.
   */
  @Override
  public @Nullable CompletableFuture<?> retrieve(Object key) {
    Object stored = lookup(key);
    if (stored == null) {
      return null;
    }
    return CompletableFuture.completedFuture(
        isAllowNullValues() ? toValueWrapper(stored) : fromStoreValue(stored));
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
    Object stored = lookup(key);
    if (stored != null) {
      return CompletableFuture.completedFuture((T) fromStoreValue(stored));
    }
    return valueLoader.get().thenApply(value -> {
      put(key, value);
      return value;
    });
  }

  /**
   * A value as UCache stores it: Spring's null marker (any instance, even a deserialized one)
   * as a real null, which {@code toStoreValue} refuses unless null values are allowed.
   */
  private @Nullable Object plain(@Nullable Object value) {
    return fromStoreValue(toStoreValue(value instanceof NullValue ? null : value));
  }

  /** A UCache entry as Spring's store value: absent is null, a cached null is NullValue. */
  private static @Nullable Object storeValue(@Nullable CachedValue<Object> entry) {
    if (entry == null) {
      return null;
    }
    Object value = entry.value();
    return value == null ? NullValue.INSTANCE : value;
  }

  private Object engineKey(Object key) {
    return encodeKeys ? SpringKeys.encode(key) : key;
  }

  /** Runs a write, saying how to fix a value the engine cannot encode. */
  private <R> R write(Supplier<R> write, @Nullable Object value) {
    try {
      return write.get();
    } catch (CacheSerializationException e) {
      throw new CacheSerializationException("Cache '" + getName() + "' on the " + engineName
          + " engine cannot store a " + (value == null ? "null" : value.getClass().getName())
          + ": set ucache.cache-manager.value-types." + getName() + " to its class, whose "
          + "serialized form the engine then reads back (" + e.getMessage() + ")", e);
    }
  }

  private void writeVoid(Runnable write, @Nullable Object value) {
    write(() -> {
      write.run();
      return null;
    }, value);
  }

  @Override
  public String toString() {
    return "UCacheSpringCache{" + getName() + " on " + engineName + "}";
  }
}
