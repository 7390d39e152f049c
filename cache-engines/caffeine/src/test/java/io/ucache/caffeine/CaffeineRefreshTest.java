package io.ucache.caffeine;

import io.ucache.CacheConfig;
import io.ucache.testkit.RefreshContract;

/** The refresh contract (refresh-after, stale windows) on the caffeine engine, fake ticker. */
class CaffeineRefreshTest extends RefreshContract {

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder().engine("caffeine");
  }
}
