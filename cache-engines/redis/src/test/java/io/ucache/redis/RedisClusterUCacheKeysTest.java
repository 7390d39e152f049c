package io.ucache.redis;

import io.ucache.CacheConfig;
import io.ucache.testkit.RedisClusterExtension;
import io.ucache.testkit.UCacheKeysContract;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The @UCache keys contract on a real three-master Redis Cluster. */
class RedisClusterUCacheKeysTest extends UCacheKeysContract {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisClusterExtension cluster = RedisClusterExtension.create();

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("redis")
        .set("redis.url", cluster.nodes().get(0).url())
        .set("redis.cluster", "true")
        .set("namespace", "cluster-ucache-keys-" + NAMESPACES.incrementAndGet());
  }
}
