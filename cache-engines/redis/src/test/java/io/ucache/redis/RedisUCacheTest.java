package io.ucache.redis;

import io.ucache.CacheConfig;
import io.ucache.testkit.RedisServerExtension;
import io.ucache.testkit.UCacheContract;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code @UCache} contract suite on the redis engine: annotated methods cached in a real
 * redis-server, each engine in a namespace of its own, since tests use fixed cache names.
 */
class RedisUCacheTest extends UCacheContract {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("redis")
        .set("redis.url", redis.url())
        .set("namespace", "ucache-" + NAMESPACES.incrementAndGet());
  }

  @Override
  protected boolean supportsTicker() {
    return false;
  }
}
