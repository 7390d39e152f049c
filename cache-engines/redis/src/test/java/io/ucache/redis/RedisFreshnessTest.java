package io.ucache.redis;

import io.ucache.CacheConfig;
import io.ucache.testkit.FreshnessContract;
import io.ucache.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The freshness contract on the redis engine against a real redis-server, in real time (Redis
 * expires by its own clock), plain and with a near cache: the near copy of an entry must not
 * outlive the entry's own, jittered or null-ttl, lifetime.
 */
class RedisFreshnessTest extends FreshnessContract {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("redis")
        .set("redis.url", redis.url())
        .set("namespace", "fresh-" + NAMESPACES.incrementAndGet());
  }

  @Override
  protected boolean supportsTicker() {
    return false;
  }

  @Override
  protected Duration realTimeTtl() {
    return Duration.ofMillis(500);
  }

  /** The same with {@code near.enabled=true}. */
  @Nested
  class Near extends FreshnessContract {

    @Override
    protected CacheConfig.Builder baseConfig() {
      return RedisFreshnessTest.this.baseConfig().nearEnabled(true);
    }

    @Override
    protected boolean supportsTicker() {
      return false;
    }

    @Override
    protected Duration realTimeTtl() {
      return Duration.ofMillis(500);
    }
  }
}
