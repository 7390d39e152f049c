package io.ucache.caffeine;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.spi.LeakGuard;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** The running {@code caffeine} engine: a map of named caches, each its own Caffeine cache. */
final class CaffeineEngine implements CacheEngine {

  private final CacheConfig config;
  private final ConcurrentHashMap<String, CaffeineCache<?, ?>> caches = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Entries live on the heap and go with it: an unclosed engine is only reported. */
  private final LeakGuard.Registration leakGuard;

  CaffeineEngine(CacheConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.leakGuard = LeakGuard.watch(this, "caffeine engine", () -> { });
  }

  @Override
  public String name() {
    return CaffeineEngineProvider.NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return CaffeineEngineProvider.CAPABILITIES;
  }

  @Override
  public CacheConfig config() {
    return config;
  }

  @Override
  public <K, V> Cache<K, V> cache(String name, Class<K> keyType, Class<V> valueType,
      CacheConfig settings) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(valueType, "valueType");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a cache name cannot be blank");
    }
    checkOpen();
    CacheConfig cacheConfig = config.forCache(name).withCacheSettings(settings);
    CaffeineCache<?, ?> cache = caches.computeIfAbsent(name, n -> {
      CaffeineCache<?, ?> created = new CaffeineCache<>(n, cacheConfig, keyType, valueType);
      created.heldBy(this);
      return created;
    });
    if (closed.get()) {
      // close() ran while this cache was being made; it may have missed it.
      cache.markClosed();
      checkOpen();
    }
    if (!settings.describe().isEmpty() && !cache.config().equals(cacheConfig)) {
      throw new IllegalArgumentException("Cache '" + name + "' is open with " + cache.config()
          + "; the settings asked for give " + cacheConfig);
    }
    return cache.as(keyType, valueType);
  }

  @Override
  public Set<String> cacheNames() {
    checkOpen();
    return Set.copyOf(caches.keySet());
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    checkOpen();
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("The caffeine engine has no " + type.getName()
        + "; unwrap a cache's com.github.benmanes.caffeine.cache.Cache from the cache instead");
  }

  @Override
  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      leakGuard.close();
      caches.values().forEach(CaffeineCache::markClosed);
      caches.clear();
    }
  }

  @Override
  public String toString() {
    return "CaffeineEngine{caches=" + caches.keySet() + (closed.get() ? ", closed" : "") + "}";
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("The caffeine engine is closed");
    }
  }
}
