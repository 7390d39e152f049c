package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.testkit.RedisClusterExtension;
import io.ucache.testkit.RedisServerExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Near caches over a real Redis Cluster: the feed tracks every master, follows a master that
 * restarts and a new master that takes a slot. Copies may live an hour
 * ({@code near.max-staleness}), so a changed value can only reach a near cache through the feed.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RedisClusterNearTest {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisClusterExtension cluster = RedisClusterExtension.create();

  private final String namespace = "cluster-near-" + NAMESPACES.incrementAndGet();
  private final List<CacheEngine> engines = new ArrayList<>();

  @AfterEach
  void closeEngines() {
    engines.forEach(CacheEngine::close);
  }

  private CacheEngine engine(boolean near) {
    CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder().engine("redis")
        .set("redis.url", cluster.nodes().get(0).url()).set("redis.cluster", "true")
        .set("redis.value-format", "plain").set("timeout", "1s").namespace(namespace)
        .nearEnabled(near).nearMaxStaleness(Duration.ofHours(1)).build());
    engines.add(engine);
    return engine;
  }

  private static boolean live(CacheEngine engine) {
    return engine.unwrap(RedisEngine.class).nearLive();
  }

  /** Reads until {@code key} is {@code value}; a read refused during a failure is "not yet". */
  private static void awaitValue(Cache<String, String> cache, String key, String value) {
    RedisOutageTest.await(key + " to read " + value, () -> {
      try {
        return value.equals(cache.get(key));
      } catch (RuntimeException e) {
        return false;
      }
    });
  }

  @Test
  void changesOnEveryMaster_reachTheNearCopies() {
    CacheEngine nearEngine = engine(true);
    Cache<String, String> near = nearEngine.cache("c", String.class, String.class);
    Cache<String, String> other = engine(false).cache("c", String.class, String.class);
    RedisOutageTest.await("the feed", () -> live(nearEngine));
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      keys.add("k" + i); // 30 keys: slots on every master
      other.put("k" + i, "old");
    }
    keys.forEach(key -> assertThat(near.get(key)).isEqualTo("old"));

    keys.forEach(key -> other.put(key, "new"));

    keys.forEach(key -> awaitValue(near, key, "new"));
  }

  @Test
  void masterRestarted_feedLostUntilItIsBack_thenItsChangesArrive() throws IOException {
    CacheEngine nearEngine = engine(true);
    Cache<String, String> near = nearEngine.cache("c", String.class, String.class);
    RedisOutageTest.await("the feed", () -> live(nearEngine));
    RedisServerExtension master = cluster.nodes().get(0);
    String key = keyServedBy(master);
    master.cli("SET", namespace + ":c:" + key, "old");
    assertThat(near.get(key)).isEqualTo("old");

    master.stop();
    RedisOutageTest.await("the feed to be lost", () -> !live(nearEngine));
    master.start();
    cluster.awaitHealthy();
    RedisOutageTest.await("the feed to be back", () -> live(nearEngine));

    assertThat(master.cli("SET", namespace + ":c:" + key, "new")).isEqualTo("OK");
    awaitValue(near, key, "new");
  }

  @Test
  void newMasterTakesASlot_changesThereReachTheNearCopy() throws IOException {
    CacheEngine nearEngine = engine(true);
    Cache<String, String> near = nearEngine.cache("c", String.class, String.class);
    RedisOutageTest.await("the feed", () -> live(nearEngine));
    String redisKey = namespace + ":c:moving";
    cluster.nodes().get(0).cli("-c", "SET", redisKey, "old");
    assertThat(near.get("moving")).isEqualTo("old");

    RedisServerExtension added = cluster.addMaster();
    cluster.moveSlot(Integer.parseInt(added.cli("CLUSTER", "KEYSLOT", redisKey)), added);
    // The near engine learns the new owner on the MOVED its next read gets, and then tracks it.
    awaitValue(near, "moving", "old");
    RedisOutageTest.await("the feed to track the new master", () -> live(nearEngine));

    assertThat(added.cli("SET", redisKey, "new")).isEqualTo("OK");
    awaitValue(near, "moving", "new");
  }

  /** A key of cache {@code c} whose slot {@code master} serves. */
  private String keyServedBy(RedisServerExtension master) {
    for (int i = 0; ; i++) {
      String slot = master.cli("CLUSTER", "KEYSLOT", namespace + ":c:m" + i);
      if (servesSlot(master, Integer.parseInt(slot))) {
        return "m" + i;
      }
    }
  }

  private static boolean servesSlot(RedisServerExtension master, int slot) {
    for (String line : master.cli("CLUSTER", "NODES").lines().toList()) {
      String[] fields = line.split(" ");
      if (!fields[2].contains("myself")) {
        continue;
      }
      for (int i = 8; i < fields.length; i++) {
        String[] range = fields[i].split("-");
        int first = Integer.parseInt(range[0]);
        int last = range.length > 1 ? Integer.parseInt(range[1]) : first;
        if (slot >= first && slot <= last) {
          return true;
        }
      }
    }
    return false;
  }
}
