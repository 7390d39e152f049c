package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.EngineHealth;
import io.ucache.EngineUnavailableException;
import io.ucache.context.EngineManager;
import io.ucache.testkit.RedisClusterExtension;
import org.assertj.core.api.InstanceOfAssertFactories;
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
      cache.put(frozen, "old");
      cluster.nodes().get(2).pause();
      try {
        for (int i = 0; i < 8; i++) {
          assertThatThrownBy(() -> cache.put(frozen, "f"))
              .isInstanceOf(EngineUnavailableException.class);
        }
        assertThat(cache.get(healthy)).isEqualTo("h");
        cache.put(healthy, "h2");
        assertThat(cache.get(healthy)).isEqualTo("h2");

        EngineHealth health = engine.health();
        assertThat(health.status()).as("%s", health).isEqualTo(EngineHealth.Status.DEGRADED);
        String frozenAddress = "127.0.0.1:" + cluster.nodes().get(2).port();
        assertThat(health.reason()).contains(frozenAddress);
        assertThat(health.details().get("masters")).asInstanceOf(InstanceOfAssertFactories.MAP)
            .hasSize(3).containsKey(frozenAddress);
      } finally {
        cluster.nodes().get(2).resume();
      }
      // The failed puts' key is evicted once its master answers: never the value they replaced.
      RedisOutageTest.await("the frozen master answers", () -> {
        try {
          String read = cache.get(frozen);
          assertThat(read).isNotEqualTo("old");
          return true;
        } catch (EngineUnavailableException stillDown) {
          return false;
        }
      });
    }
  }
}
