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
