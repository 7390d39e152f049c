package io.ucache.caffeine;

import io.ucache.CacheConfig;
import io.ucache.testkit.LoadWaitContract;

/** The load-wait contract on the caffeine engine. */
class CaffeineLoadWaitTest extends LoadWaitContract {

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder().engine("caffeine");
  }
}
