package io.ucache.redis;

import io.ucache.CacheConfig;
import io.ucache.testkit.RedisServerExtension;
import io.ucache.testkit.UCacheKeysContract;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The @UCache keys contract on the redis engine against a real redis-server. */
class RedisUCacheKeysTest extends UCacheKeysContract {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("redis")
        .set("redis.url", redis.url())
        .set("namespace", "ucache-keys-" + NAMESPACES.incrementAndGet());
  }
}
