package io.ucache.redis;

import io.ucache.CacheConfig;
import io.ucache.testkit.HostileInputContract;
import io.ucache.testkit.RedisClusterExtension;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hostile-input contract on a real three-master Redis Cluster, where {@code keys()} and
 * {@code clear()} scan every master with an escaped {@code SCAN MATCH} pattern.
 */
class RedisClusterHostileInputTest extends HostileInputContract {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisClusterExtension cluster = RedisClusterExtension.create();

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("redis")
        .set("redis.url", cluster.nodes().get(0).url())
        .set("redis.cluster", "true")
        .set("namespace", "hostile-cluster-" + NAMESPACES.incrementAndGet());
  }

  @Override
  protected boolean supportsTicker() {
    return false;
  }
}
