package io.ucache.jcache;

import io.ucache.CacheEngine;
import java.net.URI;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.jspecify.annotations.Nullable;

/**
 * A JCache cache manager: one UCache engine, whose caches back the manager's caches of the same
 * names; the engine is the manager's own, or, when its entries live outside the process, shared
 * with the provider's other managers configured alike ({@link EngineLeases}). Asynchronous listeners and
 * {@code loadAll} run on the common fork-join pool. Thread-safe.
 */
final class UCacheCacheManager implements CacheManager {

  private final UCacheCachingProvider provider;
  private final URI uri;
  private final ClassLoader classLoader;
  private final Properties properties;
  private final CacheEngine engine;
  private final Executor executor = ForkJoinPool.commonPool();
  private final ConcurrentMap<String, JCache<?, ?>> caches = new ConcurrentHashMap<>();
  private volatile boolean closed;

  UCacheCacheManager(UCacheCachingProvider provider, URI uri, ClassLoader classLoader,
      Properties properties, CacheEngine engine) {
    this.provider = provider;
    this.uri = uri;
    this.classLoader = classLoader;
    this.properties = properties;
    this.engine = engine;
  }

  @Override
  public CachingProvider getCachingProvider() {
    return provider;
  }

  @Override
  public URI getURI() {
    return uri;
  }

  @Override
  public ClassLoader getClassLoader() {
    return classLoader;
  }

  @Override
  public Properties getProperties() {
    Properties copy = new Properties();
    copy.putAll(properties);
    return copy;
  }

  @Override
  public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName,
      C configuration) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    Objects.requireNonNull(configuration, "configuration");
    MutableConfiguration<K, V> copy = copy(configuration);
    synchronized (caches) {
      if (caches.containsKey(cacheName)) {
        throw new CacheException("cache '" + cacheName + "' exists already in " + uri);
      }
      EntryStore store = EntryStore.open(engine, cacheName, classLoader);
      if (!copy.isStoreByValue() && !store.keepsReferences()) {
        throw new UnsupportedOperationException("the " + engine.name() + " engine stores bytes:"
            + " cache '" + cacheName + "' cannot store by reference (use storeByValue=true)");
      }
      JCache<K, V> cache = new JCache<>(this, cacheName, copy, store, executor);
      caches.put(cacheName, cache);
      return cache;
    }
  }

  private static <K, V> MutableConfiguration<K, V> copy(Configuration<K, V> configuration) {
    if (configuration instanceof CompleteConfiguration<K, V> complete) {
      return new MutableConfiguration<>(complete);
    }
    return new MutableConfiguration<K, V>()
        .setTypes(configuration.getKeyType(), configuration.getValueType())
        .setStoreByValue(configuration.isStoreByValue());
  }

  @Override
  public <K, V> @Nullable Cache<K, V> getCache(String cacheName, Class<K> keyType,
      Class<V> valueType) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(valueType, "valueType");
    JCache<?, ?> cache = caches.get(cacheName);
    if (cache == null) {
      return null;
    }
    CompleteConfiguration<?, ?> configuration = cache.configuration();
    if (configuration.getKeyType() != keyType || configuration.getValueType() != valueType) {
      throw new ClassCastException("cache '" + cacheName + "' holds "
          + configuration.getKeyType().getName() + " -> "
          + configuration.getValueType().getName() + ", not " + keyType.getName() + " -> "
          + valueType.getName());
    }
    @SuppressWarnings("unchecked")
    Cache<K, V> typed = (Cache<K, V>) cache;
    return typed;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K, V> @Nullable Cache<K, V> getCache(String cacheName) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    return (Cache<K, V>) caches.get(cacheName);
  }

  @Override
  public Iterable<String> getCacheNames() {
    requireOpen();
    return Set.copyOf(caches.keySet());
  }

  @Override
  public void destroyCache(String cacheName) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    JCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.clear();
      cache.close();
    }
  }

  @Override
  public void enableManagement(String cacheName, boolean enabled) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    JCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.setManagementEnabled(enabled);
    }
  }

  @Override
  public void enableStatistics(String cacheName, boolean enabled) {
    requireOpen();
    Objects.requireNonNull(cacheName, "cacheName");
    JCache<?, ?> cache = caches.get(cacheName);
    if (cache != null) {
      cache.setStatisticsEnabled(enabled);
    }
  }

  /** {@code cache} closed: it is no longer one of this manager's. */
  void closed(JCache<?, ?> cache) {
    caches.remove(cache.getName(), cache);
  }

  String engineName() {
    return engine.name();
  }

  @Override
  public void close() {
    synchronized (caches) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      for (JCache<?, ?> cache : caches.values()) {
        cache.close();
      }
    } finally {
      provider.released(this, engine);
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    if (type.isInstance(engine)) {
      return type.cast(engine);
    }
    throw new IllegalArgumentException("a UCache cache manager is not a " + type.getName());
  }

  @Override
  public String toString() {
    return "UCacheCacheManager[" + uri + ", " + engine.name() + " engine]";
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("cache manager " + uri + " is closed");
    }
  }
}
