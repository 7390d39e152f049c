package io.ucache.caffeine;

import io.ucache.CacheConfig;
import io.ucache.testkit.EngineLeakContract;

/** The leak contract on the caffeine engine: no threads, files or connections of its own. */
class CaffeineLeakTest extends EngineLeakContract {

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder().engine("caffeine");
  }
}
