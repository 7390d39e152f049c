package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.CacheSerializationException;
import io.ucache.context.EngineManager;
import io.ucache.testkit.RedisServerExtension;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Huge keys and values are refused before anything is sent: {@code max-value-bytes} (default
 * 16MB) with {@link CacheSerializationException} naming the cache, the key and the size,
 * {@code max-key-bytes} (default 64KB) with {@link IllegalArgumentException}. The server's
 * command statistics and key count prove that no write, nor read of such a key, reached it.
 */
class RedisSizeLimitsTest {

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  private CacheEngine open(CacheConfig.Builder builder) {
    return EngineManager.getDefault().create(builder.engine("redis")
        .set("redis.url", redis.url()).set("namespace", "limits").build());
  }

  @Test
  void put_valueOverMaxValueBytes_refusedBeforeTheNetwork() {
    try (CacheEngine engine = open(CacheConfig.builder().maxValueBytes(1024))) {
      Cache<String, String> cache = engine.cache("values", String.class, String.class);
      String huge = "v".repeat(1025);
      Map<String, Long> before = writeCommands();
      String keysBefore = redis.cli("DBSIZE");

      assertThatThrownBy(() -> cache.put("k", huge))
          .isInstanceOf(CacheSerializationException.class)
          .hasMessageContaining("'values'").hasMessageContaining("'k'")
          .hasMessageContaining("1025 bytes").hasMessageContaining("max-value-bytes");
      assertThatThrownBy(() -> cache.putAll(Map.of("a", "small", "b", huge)))
          .isInstanceOf(CacheSerializationException.class);
      assertThatThrownBy(() -> cache.putIfAbsent("k", huge))
          .isInstanceOf(CacheSerializationException.class);
      assertThatThrownBy(() -> cache.get("loaded", key -> huge))
          .isInstanceOf(CacheSerializationException.class);

      assertThat(writeCommands()).as("write commands the server counted").isEqualTo(before);
      assertThat(redis.cli("DBSIZE")).isEqualTo(keysBefore);
      cache.put("k", "v".repeat(1024));
      assertThat(cache.get("k")).hasSize(1024);
    }
  }

  @Test
  void put_valueOverDefaultLimitOf16MB_refused() {
    try (CacheEngine engine = open(CacheConfig.builder())) {
      Cache<String, byte[]> cache = engine.cache("default-limit", String.class, byte[].class);
      assertThatThrownBy(() -> cache.put("k", new byte[(16 << 20) + 1]))
          .isInstanceOf(CacheSerializationException.class).hasMessageContaining("16777217 bytes");
      assertThat(redis.cli("EXISTS", "limits:default-limit:k")).isEqualTo("0");
    }
  }

  @Test
  void everyOperation_keyOverMaxKeyBytes_refusedBeforeTheNetwork() {
    try (CacheEngine engine = open(CacheConfig.builder().maxKeyBytes(300))) {
      Cache<String, String> cache = engine.cache("keys", String.class, String.class);
      String huge = "k".repeat(301);
      Map<String, Long> before = writeCommands();

      assertThatThrownBy(() -> cache.put(huge, "v")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'keys'").hasMessageContaining("301 bytes")
          .hasMessageContaining("max-key-bytes");
      assertThatThrownBy(() -> cache.get(huge)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> cache.evict(huge)).isInstanceOf(IllegalArgumentException.class);

      assertThat(writeCommands()).isEqualTo(before);
      cache.put("k".repeat(300), "v");
      assertThat(cache.get("k".repeat(300))).isEqualTo("v");
    }
  }

  /** Calls per write or keyed-read command, from INFO commandstats. */
  private static Map<String, Long> writeCommands() {
    Map<String, Long> calls = new TreeMap<>();
    for (String line : redis.cli("INFO", "commandstats").split("\\R")) {
      String command = line.startsWith("cmdstat_") ? line.substring(8, line.indexOf(':')) : "";
      if (command.matches("set|mset|setex|psetex|eval|evalsha|get|mget|getex|del|unlink|getdel")) {
        calls.put(command, Long.parseLong(line.replaceAll(".*calls=(\\d+).*", "$1")));
      }
    }
    return calls;
  }
}
