package io.ucache.caffeine;

import io.ucache.CacheConfig;
import io.ucache.testkit.CacheEngineContract;
import java.time.Duration;

/**
 * The engine contract suite on the caffeine engine without a fake ticker: it runs the real-time
 * expiry tests that engines whose clock cannot be replaced (Redis) rely on, so that they are
 * known to hold on an engine that is known to be right.
 */
class CaffeineEngineRealTimeContractTest extends CacheEngineContract {

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder().engine("caffeine");
  }

  @Override
  protected boolean supportsTicker() {
    return false;
  }

  /** A call takes nanoseconds here: the real-time tests hold with a short ttl too. */
  @Override
  protected Duration realTimeTtl() {
    return Duration.ofMillis(300);
  }
}
