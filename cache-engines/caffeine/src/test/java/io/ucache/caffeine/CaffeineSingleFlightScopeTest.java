package io.ucache.caffeine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import io.ucache.SingleFlightScope;
import io.ucache.context.EngineManager;
import org.junit.jupiter.api.Test;

/** {@code single-flight.scope=cluster} needs an engine shared between processes: refused here. */
class CaffeineSingleFlightScopeTest {

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
