package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.testkit.RedisServerExtension;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** On a real server: caches and key types that look alike never share, list or clear entries. */
class RedisKeyIsolationTest {

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  private static CacheEngine open(String namespace) {
    return EngineManager.getDefault().create(CacheConfig.builder().engine("redis")
        .set("redis.url", redis.url()).set("namespace", namespace)
        .set("redis.value-format", "plain").build());
  }

  @Test
  void cacheTh_nonAsciiCacheThéÉtéHasEntries_neitherReadsListsNorClearsThem() {
    try (CacheEngine engine = open("iso1")) {
      Cache<String, String> accented = engine.cache("thé-été", String.class, String.class);
      Cache<String, String> th = engine.cache("th", String.class, String.class);
      accented.put("k", "accented");

      assertThat(redis.cli("GET", "iso1:thé-été:k")).isEqualTo("accented");
      assertThat(th.get("k")).isNull();
      try (Stream<String> keys = th.keys()) {
        assertThat(keys).isEmpty();
      }
      th.clear();
      assertThat(accented.get("k")).isEqualTo("accented");
      try (Stream<String> keys = accented.keys()) {
        assertThat(keys).containsExactly("k");
      }
    }
  }

  @Test
  void integerOneAndStringOne_twoProcesses_twoEntries() {
    try (CacheEngine first = open("iso2"); CacheEngine second = open("iso2")) {
      Cache<Integer, String> ints = first.cache("c", Integer.class, String.class);
      Cache<String, String> strings = second.cache("c", String.class, String.class);

      ints.put(1, "integer");
      assertThat(strings.get("1")).isNull();
      strings.put("1", "string");

      assertThat(ints.get(1)).isEqualTo("integer");
      assertThat(strings.get("1")).isEqualTo("string");
      try (Stream<Integer> keys = ints.keys()) {
        assertThat(keys).containsExactly(1);
      }
      try (Stream<String> keys = strings.keys()) {
        assertThat(keys).containsExactly("1");
      }
    }
  }
}
