package io.ucache.caffeine;

import io.ucache.CacheConfig;
import io.ucache.testkit.ValueTypesContract;

/** Values of any type on the caffeine engine, which keeps the objects themselves. */
class CaffeineValueTypesTest extends ValueTypesContract {

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder().engine("caffeine");
  }
}
