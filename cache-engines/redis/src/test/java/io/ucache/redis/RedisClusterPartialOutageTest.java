package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.EngineUnavailableException;
import io.ucache.context.EngineManager;
import io.ucache.testkit.RedisClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12, defect 12: one master of three frozen ({@code SIGSTOP}). The cache's single-key
 * commands ask the breaker of the master that serves the key, so keys whose slots live on the
 * two healthy masters keep working while the frozen one's fail and open its breaker only. (The
 * cluster runs with {@code cluster-require-full-coverage no}: with Redis's default, the healthy
 * masters themselves answer {@code CLUSTERDOWN} once the frozen one is marked failed.)
 */
class RedisClusterPartialOutageTest {

  @RegisterExtension
  static final RedisClusterExtension cluster =
      RedisClusterExtension.withArgs("--cluster-require-full-coverage", "no");

  @Test
  void oneMasterFrozen_keysOnHealthyMasters_keepWorking() {
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("redis").set("redis.url", cluster.url()).set("namespace", "po")
        .set("timeout", "1s").set("fail-mode", "closed").build())) {
      Cache<String, String> cache = engine.cache("c", String.class, String.class);
      String healthy = RedisClusterNodeBreakerTest.keyOn(0, "po");
      String frozen = RedisClusterNodeBreakerTest.keyOn(2, "po");
      cache.put(healthy, "h");
      cluster.nodes().get(2).pause();
      try {
        for (int i = 0; i < 8; i++) {
          assertThatThrownBy(() -> cache.put(frozen, "f"))
              .isInstanceOf(EngineUnavailableException.class);
        }
        assertThat(cache.get(healthy)).isEqualTo("h");
        cache.put(healthy, "h2");
        assertThat(cache.get(healthy)).isEqualTo("h2");
      } finally {
        cluster.nodes().get(2).resume();
      }
    }
  }
}
