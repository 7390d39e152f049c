package io.ucache.caffeine;

import io.ucache.CacheConfig;
import io.ucache.ValueType;
import io.ucache.spi.AbstractCache;
import io.ucache.spi.AbstractEngine;

/**
 * The running {@code caffeine} engine: a map of named caches, each its own Caffeine cache.
 * Entries live on the heap and go with it: an unclosed engine is only reported.
 */
final class CaffeineEngine extends AbstractEngine {

  CaffeineEngine(CacheConfig config) {
    super(CaffeineEngineProvider.NAME, CaffeineEngineProvider.CAPABILITIES, config,
        "caffeine engine", () -> { });
  }

  @Override
  protected <K, V> AbstractCache<K, V, ?> createCache(String name, CacheConfig cacheConfig,
      Class<K> keyType, ValueType<V> valueType) {
    return new CaffeineCache<>(name, cacheConfig, keyType, valueType);
  }

  /** Nothing beyond the caches, which emptied themselves when marked closed. */
  @Override
  protected void release() {}

  @Override
  public <T> T unwrap(Class<T> type) {
    checkOpen();
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("The caffeine engine has no " + type.getName()
        + "; unwrap a cache's com.github.benmanes.caffeine.cache.Cache from the cache instead");
  }
}
