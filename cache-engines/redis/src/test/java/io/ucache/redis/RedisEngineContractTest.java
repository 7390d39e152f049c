package io.ucache.redis;

import io.ucache.CacheConfig;
import io.ucache.testkit.CacheEngineContract;
import io.ucache.testkit.RedisServerExtension;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The engine contract suite, run on the redis engine against a real redis-server. The server's
 * clock cannot be faked, so expiry is tested with real short TTLs; the suite uses fixed cache
 * names, so each engine gets a namespace of its own.
 */
class RedisEngineContractTest extends CacheEngineContract {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("redis")
        .set("redis.url", redis.url())
        .set("namespace", "contract-" + NAMESPACES.incrementAndGet());
  }

  @Override
  protected boolean supportsTicker() {
    return false;
  }

  @Override
  protected Class<?> nativeCacheType() {
    return io.lettuce.core.api.StatefulRedisConnection.class;
  }
}
