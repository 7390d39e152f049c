package io.ucache.caffeine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.CacheLoader;
import io.ucache.context.EngineManager;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Loading behaviour of the caffeine engine beyond the contract suite. */
class CaffeineCacheLoadTest {

  @Test
  void get_loaderAsksForItsOwnKey_throwsIllegalStateExceptionInsteadOfWaitingForItself() {
    try (CacheEngine engine = EngineManager.getDefault()
        .create(CacheConfig.builder().engine("caffeine").build())) {
      Cache<String, String> cache = engine.cache("recursive", String.class, String.class);
      AtomicReference<CacheLoader<String, String>> loader = new AtomicReference<>();
      loader.set(key -> cache.get(key, loader.get()));

      assertThatThrownBy(() -> cache.get("k", loader.get()))
          .isInstanceOf(IllegalStateException.class);
      assertThat(cache.lookup("k")).isNull();
      assertThat(cache.get("k", key -> "v")).isEqualTo("v");
    }
  }
}
