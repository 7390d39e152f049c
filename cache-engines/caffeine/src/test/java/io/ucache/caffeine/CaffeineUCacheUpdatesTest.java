package io.ucache.caffeine;

import io.ucache.CacheConfig;
import io.ucache.testkit.UCacheUpdatesContract;

/** The @UCachePut, conditions and evictions contract on the caffeine engine. */
class CaffeineUCacheUpdatesTest extends UCacheUpdatesContract {

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder().engine("caffeine");
  }
}
