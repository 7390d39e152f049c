package io.ucache.spring;

import io.ucache.redis.RedisSettings;
import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.testkit.RedisServerExtension;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bridge contract on a real redis-server: String keys, serialized values. */
class RedisBridgeTest extends BridgeContract {

  @RegisterExtension static final RedisServerExtension REDIS = RedisServerExtension.create();

  private final String namespace = "bridge-" + UUID.randomUUID();

  @Override
  CacheEngine newEngine() {
    return EngineManager.getDefault().create(CacheConfig.builder().engine("redis")
        .set(RedisSettings.URL, REDIS.url()).namespace(namespace).build());
  }

  @Test
  void serverFrozen_failModeUnset_cacheableGoesOnWithoutTheCache_asUCacheDoes() {
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("redis").set(RedisSettings.URL, REDIS.url()).namespace(namespace)
        .set("timeout", "300ms").build())) {
      org.springframework.cache.Cache cache = new UCacheCacheManager(engine).getCache("prices");
      cache.put("ACME", "10");
      java.util.concurrent.atomic.AtomicInteger loads = new java.util.concurrent.atomic.AtomicInteger();

      REDIS.pause();
      try {
        assertThat(cache.get("ACME")).as("a miss, not an exception").isNull();
        assertThat(cache.get("ACME", () -> "fresh-" + loads.incrementAndGet()))
            .isEqualTo("fresh-1");
        cache.put("ACME", "11");
        cache.evict("ACME");
        cache.clear();
      } finally {
        REDIS.resume();
      }
      assertThat(loads).as("the loader ran once").hasValue(1);
    }
  }

  @Test
  void serverFrozen_failModeClosed_failuresReachTheCaller() {
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("redis").set(RedisSettings.URL, REDIS.url()).namespace(namespace)
        .set("timeout", "300ms").set("fail-mode", "closed").build())) {
      org.springframework.cache.Cache cache = new UCacheCacheManager(engine).getCache("prices");
      cache.put("ACME", "10");

      REDIS.pause();
      try {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.get("ACME"))
            .isInstanceOf(io.ucache.EngineUnavailableException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.put("ACME", "11"))
            .isInstanceOf(io.ucache.EngineUnavailableException.class);
      } finally {
        REDIS.resume();
      }
    }
  }

  @Test
  void undeclaredUserValue_isRefusedWithAHint() {
    assertUndeclaredUserValueIsRefusedWithAHint();
  }

  @Test
  void entries_areSharedWithAnotherEngine_underTheNamespace() {
    cache().put("shared", "value");
    try (CacheEngine other = newEngine()) {
      assertThat(new UCacheCacheManager(other).getCache(CACHE_NAME).get("shared").get())
          .isEqualTo("value");
    }
    assertThat(REDIS.cli("--scan", "--pattern", namespace + ":" + CACHE_NAME + ":*")).isNotBlank();
  }
}
