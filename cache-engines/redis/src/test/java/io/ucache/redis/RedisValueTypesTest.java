package io.ucache.redis;

import io.ucache.CacheConfig;

import io.ucache.testkit.RedisServerExtension;
import io.ucache.testkit.ValueTypesContract;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Values of any type on the redis engine against a real redis-server. */
class RedisValueTypesTest extends ValueTypesContract {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("redis")
        .set("redis.url", redis.url())
        .set("namespace", "ValueTypes-" + NAMESPACES.incrementAndGet());
  }

}
