package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;

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

/** Through a Sentinel: the engine finds the master and follows a failover. */
class RedisSentinelTest {

  @RegisterExtension
  static final RedisSentinelExtension sentinel = RedisSentinelExtension.create();

  @Test
  void failover_replicaPromoted_engineWritesToTheNewMaster() {
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("redis").set("redis.url", sentinel.url()).set("timeout", "1s")
        .set("redis.value-format", "plain").build())) {
      Cache<String, String> cache = engine.cache("c", String.class, String.class);
      cache.put("before", "v");
      assertThat(sentinel.currentMaster().cli("GET", "ucache:c:before")).isEqualTo("v");

      RedisServerExtension before = sentinel.currentMaster();
      sentinel.failover();
      RedisServerExtension after = sentinel.currentMaster();

      // Writes sent while the Sentinel demotes the old master may still land there; the engine
      // must reach the new master soon after.
      RedisOutageTest.await("the engine writes to the new master", () -> {
        try {
          cache.put("after", "w");
        } catch (EngineUnavailableException e) {
          return false;
        }
        return "w".equals(after.cli("GET", "ucache:c:after"));
      });
      assertThat(after).isNotSameAs(before);
      assertThat(after.cli("GET", "ucache:c:after")).isEqualTo("w");
      // The Sentinel demotes the old master after the switch (a full resync); a read caught in
      // that is a counted miss, never a wrong value.
      RedisOutageTest.await("the value written before the failover is read", () -> {
        String read = cache.get("before");
        assertThat(read).as("never a wrong value").isIn("v", null);
        return read != null;
      });
    }
  }

  @Test
  void failover_nearCache_copiesOfTheOldMasterDroppedAndChangesArriveFromTheNewOne() {
    CacheConfig config = CacheConfig.builder().engine("redis").set("redis.url", sentinel.url())
        .set("timeout", "1s").set("redis.value-format", "plain").namespace("near-sentinel")
        .nearEnabled(true).nearMaxStaleness(Duration.ofHours(1)).build();
    try (CacheEngine engine = EngineManager.getDefault().create(config);
        CacheEngine other = EngineManager.getDefault().create(config.toBuilder()
            .nearEnabled(false).build())) {
      RedisEngine redis = engine.unwrap(RedisEngine.class);
      Cache<String, String> near = engine.cache("c", String.class, String.class);
      Cache<String, String> writer = other.cache("c", String.class, String.class);
      RedisOutageTest.await("the near feed", redis::nearLive);
      writer.put("k", "before");
      RedisOutageTest.await("the copy", () -> "before".equals(near.get("k")));
      long switches = redis.connection().masterSwitches();

      sentinel.failover();

      RedisOutageTest.await("the engine to follow the switch",
          () -> redis.connection().masterSwitches() > switches && redis.nearLive());
      RedisOutageTest.await("the other process writes to the new master", () -> {
        try {
          writer.put("k", "after");
        } catch (EngineUnavailableException e) {
          return false;
        }
        return "after".equals(sentinel.currentMaster().cli("GET", "near-sentinel:c:k"));
      });
      // Copies older than an hour's staleness: only the feed of the new master can replace them.
      RedisOutageTest.await("the change on the new master reaches the near cache",
          () -> "after".equals(near.get("k")));
      sentinel.currentMaster().cli("SET", "near-sentinel:c:k", "direct");
      RedisOutageTest.await("a change made on the new master alone reaches the near cache",
          () -> "direct".equals(near.get("k")));
    }
  }
}
