package io.ucache.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;

/** The bridge contract on the in-memory engine, which keeps keys and values as they are. */
class CaffeineBridgeTest extends BridgeContract {

  @Override
  CacheEngine newEngine() {
    return EngineManager.getDefault().create(CacheConfig.builder().engine("caffeine").build());
  }

  @Test
  void anyValue_isKeptAsItIs() {
    Cache cache = cache();
    Object value = new Object();
    cache.put("k", value);
    assertThat(cache.get("k").get()).isSameAs(value);
  }
}
