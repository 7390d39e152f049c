package io.ucache.caffeine;

import io.ucache.CacheConfig;
import io.ucache.testkit.FreshnessContract;

/** The freshness contract (null-ttl, ttl-jitter) on the caffeine engine with a fake ticker. */
class CaffeineFreshnessTest extends FreshnessContract {

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder().engine("caffeine");
  }
}
