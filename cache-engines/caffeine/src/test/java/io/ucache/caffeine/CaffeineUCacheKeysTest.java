package io.ucache.caffeine;

import io.ucache.CacheConfig;
import io.ucache.testkit.UCacheKeysContract;

/** The @UCache keys contract on the caffeine engine. */
class CaffeineUCacheKeysTest extends UCacheKeysContract {

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder().engine("caffeine");
  }
}
