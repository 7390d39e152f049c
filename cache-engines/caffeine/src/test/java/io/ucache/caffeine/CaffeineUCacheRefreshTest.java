package io.ucache.caffeine;

import io.ucache.CacheConfig;
import io.ucache.testkit.UCacheRefreshContract;

/** Refresh-ahead and stale-if-error on {@code @UCache} methods, caffeine engine, fake ticker. */
class CaffeineUCacheRefreshTest extends UCacheRefreshContract {

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder().engine("caffeine");
  }
}
