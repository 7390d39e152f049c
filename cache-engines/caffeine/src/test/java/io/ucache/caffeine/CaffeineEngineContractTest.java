package io.ucache.caffeine;

import io.ucache.CacheConfig;
import io.ucache.testkit.CacheEngineContract;

/** The engine contract suite, run on the caffeine engine with a fake ticker. */
class CaffeineEngineContractTest extends CacheEngineContract {

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder().engine("caffeine");
  }

  @Override
  protected Class<?> nativeCacheType() {
    return com.github.benmanes.caffeine.cache.Cache.class;
  }
}
