package io.ucache.redis;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.testkit.RedisServerExtension;
import io.ucache.testkit.StoredShapeContract;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Values of an older class shape on the redis engine against a real redis-server. */
class RedisStoredShapeTest extends StoredShapeContract {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("redis")
        .set("redis.url", redis.url())
        .set("namespace", "StoredShape-" + NAMESPACES.incrementAndGet());
  }

  @Override
  protected CacheEngine reopen(CacheEngine engine, CacheConfig config) {
    return EngineManager.getDefault().create(config); // another process on the same server
  }
}
