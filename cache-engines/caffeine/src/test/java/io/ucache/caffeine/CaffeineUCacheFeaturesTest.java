package io.ucache.caffeine;

import io.ucache.CacheConfig;
import io.ucache.testkit.UCacheFeaturesContract;

/** The @UCachePut, conditions and evictions contract on the caffeine engine. */
class CaffeineUCacheFeaturesTest extends UCacheFeaturesContract {

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder().engine("caffeine");
  }
}
