package io.ucache.redis;

import io.ucache.CacheConfig;
import io.ucache.testkit.CacheEngineContract;
import io.ucache.testkit.RedisServerExtension;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The engine contract suite on the redis engine with a near cache on every cache
 * ({@code near.enabled=true}), against a real redis-server: every guarantee of the engine holds
 * with the in-process copy in front of it.
 */
class RedisNearContractTest extends CacheEngineContract {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("redis")
        .set("redis.url", redis.url())
        .set("namespace", "near-" + NAMESPACES.incrementAndGet())
        .nearEnabled(true);
  }

  @Override
  protected boolean supportsTicker() {
    return false;
  }

  @Override
  protected boolean supportsExpireAfterAccess() {
    return false;
  }

  @Override
  protected Class<?> nativeCacheType() {
    return io.lettuce.core.api.StatefulRedisConnection.class;
  }
}
