package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.resource.ClientResources;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.EngineUnavailableException;
import io.ucache.context.EngineContext;
import io.ucache.context.EngineManager;
import io.ucache.testkit.RedisServerExtension;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One Lettuce {@link ClientResources} (event loops, timer) per JVM, shared by every open redis
 * engine: counted, shut down with the last engine, and released by an open that fails.
 */
class RedisSharedResourcesTest {

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  private static CacheConfig config() {
    return CacheConfig.builder().engine("redis").set("redis.url", redis.url())
        .set("namespace", "shared").build();
  }

  private static ClientResources resourcesOf(CacheEngine engine) {
    return engine.unwrap(AbstractRedisClient.class).getResources();
  }

  @Test
  void twoEngines_openAtOnce_shareOneClientResourcesClosedWithTheLast() {
    CacheEngine first = EngineManager.getDefault().create(config());
    ClientResources resources;
    try (CacheEngine second = EngineManager.getDefault().create(config());
        EngineContext context = EngineContext.open(config())) {
      resources = resourcesOf(first);
      assertThat(resourcesOf(second)).isSameAs(resources);
      assertThat(resourcesOf(context.engine())).isSameAs(resources);

      first.close();
      Cache<String, String> cache = second.cache("c", String.class, String.class);
      cache.put("k", "still working");
      assertThat(cache.get("k")).isEqualTo("still working");
      assertThat(resources.eventExecutorGroup().isShutdown()).isFalse();
    }
    assertThat(resources.eventExecutorGroup().isTerminated())
        .as("shut down, and waited for, with the last engine").isTrue();
  }

  @Test
  void open_failsWhileAnotherEngineIsOpen_leavesNoLeaseBehind() {
    Set<String> before = driverThreads();
    CacheConfig down = CacheConfig.builder().engine("redis").set("redis.url", "redis://127.0.0.1:1")
        .set("fail-mode", "closed").set("timeout", "500ms").build();
    ClientResources resources;
    try (CacheEngine engine = EngineManager.getDefault().create(config())) {
      resources = resourcesOf(engine);
      for (int i = 0; i < 5; i++) {
        assertThatThrownBy(() -> EngineManager.getDefault().create(down))
            .isInstanceOf(EngineUnavailableException.class);
      }
      assertThat(SharedClientResources.leases()).isEqualTo(1);
    }
    assertThat(SharedClientResources.leases()).isZero();
    assertThat(resources.eventExecutorGroup().isTerminated()).isTrue();
    RedisOutageTest.await("driver threads back to " + before,
        () -> driverThreads().size() <= before.size());
  }

  private static Set<String> driverThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.toLowerCase().contains("lettuce") || n.toLowerCase().contains("netty"))
        .collect(Collectors.toSet());
  }
}
