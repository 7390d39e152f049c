package io.ucache.redis;

import io.ucache.CacheConfig;
import io.ucache.testkit.ClusterSingleFlightContract;
import io.ucache.testkit.RedisClusterExtension;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code single-flight.scope=cluster} on a real three-master Redis Cluster. */
class RedisClusterSingleFlightTest extends ClusterSingleFlightContract {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisClusterExtension cluster = RedisClusterExtension.create();

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("redis")
        .set("redis.url", cluster.nodes().get(0).url())
        .set("redis.cluster", "true")
        .set("namespace", "cluster-flight-" + NAMESPACES.incrementAndGet());
  }
}
