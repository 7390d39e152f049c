package io.ucache.caffeine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import org.junit.jupiter.api.Test;

/**
 * {@code near.enabled} is for shared engines: the in-process engine has no feed of changes, so a
 * cache asking for a near cache is refused with the key and the reason, never silently ignored.
 */
class CaffeineNearRefusedTest {

  @Test
  void cache_nearEnabled_refusedNamingTheKeyAndTheEngine() {
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("caffeine").set("caches.prices.near.enabled", "true").build())) {
      assertThatThrownBy(() -> engine.cache("prices", String.class, String.class))
          .isInstanceOf(CacheConfigException.class)
          .hasMessageContaining("near.enabled")
          .hasMessageContaining("caffeine engine has no feed of changes");
      // Other caches are not affected.
      engine.cache("others", String.class, String.class).put("k", "v");
    }
  }
}
