package io.ucache.redis;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.testkit.NamedCacheKeysContract;
import io.ucache.testkit.RedisClusterExtension;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The named-cache key rule on a real three-master Redis Cluster. */
class RedisClusterNamedCacheKeysTest extends NamedCacheKeysContract {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisClusterExtension cluster = RedisClusterExtension.create();

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("redis")
        .set("redis.url", cluster.nodes().get(0).url())
        .set("redis.cluster", "true")
        .set("namespace", "cluster-named-keys-" + NAMESPACES.incrementAndGet());
  }

  @Override
  protected CacheEngine sharingEngine(CacheEngine first, CacheConfig firstConfig) {
    return EngineManager.getDefault().create(firstConfig);
  }
}
