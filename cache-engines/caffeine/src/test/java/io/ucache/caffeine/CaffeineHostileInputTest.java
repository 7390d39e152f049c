package io.ucache.caffeine;

import io.ucache.CacheConfig;
import io.ucache.testkit.HostileInputContract;

/** The hostile-input contract on the caffeine engine. */
class CaffeineHostileInputTest extends HostileInputContract {

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder().engine("caffeine");
  }
}
