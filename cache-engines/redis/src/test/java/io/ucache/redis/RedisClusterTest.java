package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.testkit.RedisClusterExtension;
import io.ucache.testkit.RedisServerExtension;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** On a three-master Cluster, found from the comma-separated node URLs. */
class RedisClusterTest {

  @RegisterExtension
  static final RedisClusterExtension cluster = RedisClusterExtension.create();

  @Test
  void bulkAndClear_keysOnEveryMaster_allHandled() {
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("redis").set("redis.url", cluster.url()).set("namespace", "spread").build())) {
      Cache<String, String> cache = engine.cache("c", String.class, String.class);
      Map<String, String> entries = new LinkedHashMap<>();
      IntStream.range(0, 300).forEach(i -> entries.put("k" + i, "v" + i));
      cluster.nodes().get(1).cli("-c", "SET", "spread:other:k", "kept");

      cache.putAll(entries);
      for (RedisServerExtension node : cluster.nodes()) {
        assertThat(Long.parseLong(node.cli("DBSIZE"))).as("keys on " + node).isPositive();
      }
      assertThat(cache.getAll(entries.keySet())).isEqualTo(entries);
      try (Stream<String> keys = cache.keys()) {
        assertThat(keys.count()).isEqualTo(300);
      }

      cache.clear();

      assertThat(cache.getAll(entries.keySet())).isEmpty();
      assertThat(cluster.nodes().get(0).cli("-c", "GET", "spread:other:k")).isEqualTo("kept");
    }
  }
}
