package io.ucache.caffeine;

import io.ucache.CacheConfig;
import io.ucache.testkit.ObservationContract;

/** The observation contract on the caffeine engine: loads are spans, hits never. */
class CaffeineObservationTest extends ObservationContract {

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder().engine("caffeine");
  }
}
