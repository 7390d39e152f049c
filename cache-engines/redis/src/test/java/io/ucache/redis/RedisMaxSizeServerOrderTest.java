package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.testkit.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** max-size orders writes by the server's clock: writers on other hosts share one order. */
class RedisMaxSizeServerOrderTest {

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  @Test
  void put_maxSize_indexScoresAreTheServersMicrosecondClock() {
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("redis").set("redis.url", redis.url()).set("namespace", "order")
        .set("max-size", "3").build())) {
      Cache<String, String> cache = engine.cache("c", String.class, String.class);
      long serverMicros = Long.parseLong(redis.cli("TIME").lines().findFirst().orElseThrow())
          * 1_000_000;

      cache.put("a", "1");

      String[] reply = redis.cli("ZRANGE", "order:c", "0", "-1", "WITHSCORES").split("\n");
      assertThat(reply[0]).isEqualTo("order:c:a");
      assertThat((long) Double.parseDouble(reply[1]))
          .isBetween(serverMicros - 5_000_000, serverMicros + 60_000_000);
    }
  }
}
