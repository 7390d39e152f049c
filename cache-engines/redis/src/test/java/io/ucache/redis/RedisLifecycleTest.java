package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.testkit.RedisServerExtension;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** close() ends every thread the engine started: Lettuce's and Netty's. */
class RedisLifecycleTest {

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  @Test
  void close_fiftyOpenCloseCycles_noLettuceOrNettyThreadSurvives() {
    Set<String> before = driverThreads();
    CacheConfig config = CacheConfig.builder().engine("redis").set("redis.url", redis.url())
        .build();

    for (int i = 0; i < 50; i++) {
      try (CacheEngine engine = EngineManager.getDefault().create(config)) {
        Cache<String, String> cache = engine.cache("cycles", String.class, String.class);
        cache.put("k", "v" + i);
        assertThat(cache.get("k")).isEqualTo("v" + i);
        cache.async().get("k").join();
        if (i == 0) {
          assertThat(driverThreads()).as("threads while open").isNotEmpty().isNotEqualTo(before);
        }
      }
    }

    RedisOutageTest.await("driver threads back to " + before, () -> driverThreads().size()
        <= before.size());
  }

  @Test
  void close_failOpenEngineStillConnecting_stopsItsThreads() {
    Set<String> before = driverThreads();
    CacheConfig config = CacheConfig.builder().engine("redis")
        .set("redis.url", "redis://127.0.0.1:1").set("fail-mode", "open").build();

    EngineManager.getDefault().create(config).close();

    RedisOutageTest.await("driver threads back to " + before, () -> driverThreads().size()
        <= before.size());
  }

  private static Set<String> driverThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.toLowerCase().contains("lettuce") || n.toLowerCase().contains("netty"))
        .collect(Collectors.toSet());
  }
}
