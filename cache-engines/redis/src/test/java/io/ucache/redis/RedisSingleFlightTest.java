package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.EngineUnavailableException;
import io.ucache.FailMode;
import io.ucache.SingleFlightScope;
import io.ucache.context.EngineManager;
import io.ucache.testkit.ClusterSingleFlightContract;
import io.ucache.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code single-flight.scope=cluster} on a real redis-server: the contract, the fenced write, and what
 * happens when no lease can be taken because Redis is down.
 */
class RedisSingleFlightTest extends ClusterSingleFlightContract {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("redis")
        .set("redis.url", redis.url())
        .set("namespace", "flight-" + NAMESPACES.incrementAndGet());
  }

  private RedisCache<String, String> open(CacheEngine engine) {
    return (RedisCache<String, String>) engine.cache("fenced", String.class, String.class);
  }

  @Test
  void writeIfAbsentHolding_anotherTokenHoldsTheLease_writesNothing() {
    try (CacheEngine engine = EngineManager.getDefault().create(baseConfig()
        .singleFlight(SingleFlightScope.CLUSTER).build())) {
      RedisCache<String, String> cache = open(engine);
      RedisLeases<String> leases = (RedisLeases<String>) cache.loadLeases();
      assertThat(leases.tryTake("k", "mine", Duration.ofMinutes(1))).isTrue();
      assertThat(leases.tryTake("k", "theirs", Duration.ofMinutes(1))).as("taken").isFalse();
      byte[] stored = cache.encodeForPut("k", "value", null);

      assertThat(leases.writeIfAbsentHolding("k", stored, "theirs").leaseLost()).isTrue();
      assertThat(cache.get("k")).as("written under a lost lease").isNull();
      assertThat(leases.renew("k", "theirs", Duration.ofMinutes(1))).isFalse();
      leases.release("k", "theirs"); // not theirs to release
      assertThat(leases.writeIfAbsentHolding("k", stored, "mine").present()).isNull();
      assertThat(cache.get("k")).isEqualTo("value");
      assertThat(leases.writeIfAbsentHolding("k", stored, "mine").present())
          .as("what the key holds").isNotNull();
    }
  }

  @Test
  void get_redisDownFailOpen_loadsInThisProcess() {
    try (CacheEngine engine = EngineManager.getDefault().create(baseConfig()
        .singleFlight(SingleFlightScope.CLUSTER).failMode(FailMode.OPEN)
        .timeout(Duration.ofMillis(200)).build())) {
      Cache<String, String> cache = engine.cache("down", String.class, String.class);
      redis.stop();
      try {
        assertThat(cache.get("k", key -> "loaded here")).isEqualTo("loaded here");
        assertThat(cache.stats().errorCount()).isPositive();
      } finally {
        redis.start();
      }
    }
  }

  @Test
  void get_redisDownFailClosed_throws() {
    try (CacheEngine engine = EngineManager.getDefault().create(baseConfig()
        .singleFlight(SingleFlightScope.CLUSTER).failMode(FailMode.CLOSED)
        .timeout(Duration.ofMillis(200)).build())) {
      Cache<String, String> cache = engine.cache("down", String.class, String.class);
      redis.stop();
      try {
        assertThatThrownBy(() -> cache.get("k", key -> "loaded here"))
            .isInstanceOf(EngineUnavailableException.class);
      } finally {
        redis.start();
      }
    }
  }
}
