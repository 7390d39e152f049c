package io.ucache.redis;

import io.ucache.CacheConfig;
import io.ucache.testkit.RedisServerExtension;
import io.ucache.testkit.UCacheRefreshContract;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Refresh-ahead and stale-if-error on {@code @UCache} methods against a real redis-server, in
 * real time: the entry's write time travels in its stored bytes.
 */
class RedisUCacheRefreshTest extends UCacheRefreshContract {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("redis")
        .set("redis.url", redis.url())
        .set("namespace", "ucache-refresh-" + NAMESPACES.incrementAndGet());
  }

  @Override
  protected boolean supportsTicker() {
    return false;
  }
}
