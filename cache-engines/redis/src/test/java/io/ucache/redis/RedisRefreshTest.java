package io.ucache.redis;

import io.ucache.CacheConfig;
import io.ucache.testkit.RedisServerExtension;
import io.ucache.testkit.RefreshContract;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The refresh contract on the redis engine against a real redis-server, in real time (Redis
 * expires by its own clock, and entries carry wall-clock write times), plain and with a near
 * cache, whose copies must keep the times of the entries they copy.
 */
class RedisRefreshTest extends RefreshContract {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("redis")
        .set("redis.url", redis.url())
        .set("namespace", "refresh-" + NAMESPACES.incrementAndGet());
  }

  @Override
  protected boolean supportsTicker() {
    return false;
  }

  /** The same with {@code near.enabled=true}. */
  @Nested
  class Near extends RefreshContract {

    @Override
    protected CacheConfig.Builder baseConfig() {
      return RedisRefreshTest.this.baseConfig().nearEnabled(true);
    }

    @Override
    protected boolean supportsTicker() {
      return false;
    }
  }
}
