package io.ucache.caffeine;

import io.ucache.CacheConfig;
import io.ucache.testkit.NamedCacheKeysContract;

/** The named-cache key rule on the caffeine engine. */
class CaffeineNamedCacheKeysTest extends NamedCacheKeysContract {

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder().engine("caffeine");
  }
}
