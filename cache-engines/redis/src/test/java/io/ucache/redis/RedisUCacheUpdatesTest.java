package io.ucache.redis;

import io.ucache.CacheConfig;
import io.ucache.testkit.RedisServerExtension;
import io.ucache.testkit.UCacheUpdatesContract;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The @UCachePut, conditions and evictions contract on the redis engine, a namespace per engine. */
class RedisUCacheUpdatesTest extends UCacheUpdatesContract {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("redis")
        .set("redis.url", redis.url())
        .set("namespace", "updates-" + NAMESPACES.incrementAndGet());
  }
}
