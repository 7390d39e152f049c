package io.ucache.caffeine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import io.ucache.SingleFlightScope;
import io.ucache.annotation.UCache;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import org.junit.jupiter.api.Test;

/**
 * {@code single-flight.scope=cluster} needs an engine shared between processes, and
 * {@code @UCache(singleFlight)} needs {@code sync}: both refused, naming what to change.
 */
class CaffeineSingleFlightScopeTest {

  /** Asks for a cluster-wide single flight of a method that does not single-flight at all. */
  public interface Contradiction {
    @UCache(sync = false, singleFlight = "cluster")
    String value(String key);
  }

  @Test
  void proxy_singleFlightWithoutSync_refusedNamingTheMethod() {
    try (UCacheInterceptor ucache = UCacheInterceptor.create()) {
      assertThatThrownBy(() -> ucache.proxy(Contradiction.class, key -> key))
          .isInstanceOf(CacheConfigException.class)
          .hasMessageContaining("Contradiction.value")
          .hasMessageContaining("sync is false");
    }
  }

  @Test
  void cache_clusterSingleFlightOnAnInProcessEngine_refusedNamingTheKey() {
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("caffeine").singleFlight(SingleFlightScope.CLUSTER).build())) {
      assertThatThrownBy(() -> engine.cache("users", String.class, String.class))
          .isInstanceOf(CacheConfigException.class)
          .hasMessageContaining("single-flight.scope=cluster")
          .hasMessageContaining("caffeine");
    }
  }
}
