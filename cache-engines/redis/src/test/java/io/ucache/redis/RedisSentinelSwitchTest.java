package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.EngineUnavailableException;
import io.ucache.context.EngineManager;
import io.ucache.testkit.RedisSentinelExtension;
import io.ucache.testkit.RedisServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Through a Sentinel, the engine follows {@code +switch-master} at once: writes reach the new
 * master within {@link #BOUND} of the Sentinel reporting it (Sentinel itself reconfigures the
 * demoted master only at its next 10-second INFO round, which is how long writes were lost).
 */
class RedisSentinelSwitchTest {

  /** Generous against the expected ~0.1 s (a pub/sub message and one connect), to absorb a busy CI. */
  static final Duration BOUND = Duration.ofSeconds(3);

  @RegisterExtension
  static final RedisSentinelExtension sentinel = RedisSentinelExtension.create();

  @Test
  void failover_sentinelSwitchesMaster_writesReachTheNewMasterWithinTheBound() {
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("redis").set("redis.url", sentinel.url()).set("timeout", "1s")
        .set("fail-mode", "closed").set("namespace", "switch")
        .set("redis.value-format", "plain").build())) {
      Cache<String, String> cache = engine.cache("c", String.class, String.class);
      cache.put("before", "v");
      cache.put("evicted", "old");
      RedisServerExtension next = sentinel.replica();
      RedisOutageTest.await("the replica has the writes",
          () -> "old".equals(next.cli("GET", "switch:c:evicted")));

      sentinel.failover();
      long switched = System.nanoTime();

      long attempt = 0;
      while (true) {
        String value = "probe-" + ++attempt;
        try {
          cache.put("probe", value);
        } catch (EngineUnavailableException e) {
          // in-flight commands of the closed connection to the old master fail: try again
        }
        if (value.equals(next.cli("GET", "switch:c:probe"))) {
          break;
        }
        if (System.nanoTime() - switched > BOUND.toNanos()) {
          fail("writes did not reach the new master within " + BOUND + " of the switch");
        }
      }
      System.out.printf("writes reached the new master %d ms after the Sentinel reported it%n",
          (System.nanoTime() - switched) / 1_000_000);

      RedisConnection connection = engine.unwrap(RedisEngine.class).connection();
      RedisOutageTest.await("the engine followed the switch",
          () -> ("127.0.0.1:" + next.port()).equals(connection.master()));
      assertThat(connection.masterSwitches()).isEqualTo(1);
      cache.put("after", "w");
      cache.evict("evicted");

      assertThat(sentinel.masterPort()).isEqualTo(next.port());
      assertThat(next.cli("GET", "switch:c:after")).isEqualTo("w");
      assertThat(next.cli("EXISTS", "switch:c:evicted")).isEqualTo("0");
      assertThat(cache.get("before")).isEqualTo("v");
    }
  }

  @Test
  void close_engineWatchingTheSentinel_closesItsSentinelConnectionsAndLease() {
    long before = sentinelClients();
    CacheConfig config = CacheConfig.builder().engine("redis").set("redis.url", sentinel.url())
        .set("timeout", "1s").set("namespace", "watch").build();
    for (int i = 0; i < 10; i++) {
      try (CacheEngine engine = EngineManager.getDefault().create(config)) {
        RedisConnection connection = engine.unwrap(RedisEngine.class).connection();
        RedisOutageTest.await("the engine subscribed to the Sentinel",
            () -> sentinelClients() > before);
        assertThat(connection.master()).isEqualTo("127.0.0.1:" + sentinel.masterPort());
        engine.cache("c", String.class, String.class).put("k", "v" + i);
      }
    }

    assertThat(SharedClientResources.leases()).isZero();
    RedisOutageTest.await("the Sentinel's clients back to " + before,
        () -> sentinelClients() <= before);
  }

  private static long sentinelClients() {
    // The connection that asks is one of them, at every count alike.
    return sentinel.sentinel().cli("CLIENT", "LIST").lines().filter(l -> !l.isBlank()).count();
  }
}
