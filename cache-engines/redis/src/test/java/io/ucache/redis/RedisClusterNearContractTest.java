package io.ucache.redis;

import io.ucache.CacheConfig;
import io.ucache.testkit.CacheEngineContract;
import io.ucache.testkit.RedisClusterExtension;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The engine contract suite on a real three-master Redis Cluster with a near cache on every
 * cache ({@code near.enabled=true}; the feed tracks each master).
 */
class RedisClusterNearContractTest extends CacheEngineContract {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisClusterExtension cluster = RedisClusterExtension.create();

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("redis")
        .set("redis.url", cluster.nodes().get(0).url())
        .set("redis.cluster", "true")
        .set("namespace", "cluster-near-" + NAMESPACES.incrementAndGet())
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
    return io.lettuce.core.cluster.api.StatefulRedisClusterConnection.class;
  }
}
