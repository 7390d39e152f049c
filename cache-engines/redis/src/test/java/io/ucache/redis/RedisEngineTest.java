package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.CachedValue;
import io.ucache.Capability;
import io.ucache.context.EngineManager;
import io.ucache.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the redis engine does beyond the contract: how entries look in Redis to other clients. */
class RedisEngineTest {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  private final String namespace = "engine-test-" + NAMESPACES.incrementAndGet();
  private final List<CacheEngine> engines = new ArrayList<>();

  private CacheEngine engine(String... settings) {
    CacheConfig.Builder builder = CacheConfig.builder().engine("redis")
        .set("redis.url", redis.url()).set("namespace", namespace);
    for (int i = 0; i < settings.length; i += 2) {
      builder.set(settings[i], settings[i + 1]);
    }
    CacheEngine engine = EngineManager.getDefault().create(builder.build());
    engines.add(engine);
    return engine;
  }

  @AfterEach
  void closeEngines() {
    engines.forEach(CacheEngine::close);
  }

  @Test
  void put_stringValue_plainFormat_redisCliReadsPlainText() {
    Cache<String, String> cache = engine("redis.value-format", "plain")
        .cache("c", String.class, String.class);

    cache.put("k", "vält");

    assertThat(redis.cli("GET", namespace + ":c:k")).isEqualTo("vält");
  }

  @Test
  void put_integerKeyAndValue_plainFormat_storedAsDecimalText() {
    Cache<Integer, Long> cache = engine("redis.value-format", "plain")
        .cache("numbers", Integer.class, Long.class);

    cache.put(42, 7L);

    assertThat(redis.cli("GET", namespace + ":numbers:#int:42")).isEqualTo("7");
    assertThat(cache.keys().toList()).containsExactly(42);
  }

  @Test
  void put_valueWrittenByRedisCli_plainFormat_isReadByTheEngine() {
    Cache<String, String> cache = engine("redis.value-format", "plain")
        .cache("c", String.class, String.class);

    redis.cli("SET", namespace + ":c:from-cli", "hello");

    assertThat(cache.get("from-cli")).isEqualTo("hello");
  }

  @Test
  void put_stringValue_framedByDefault_checkedAndTextStillVisibleInRedisCli() {
    Cache<String, String> cache = engine().cache("c", String.class, String.class);

    cache.put("k", "vält");

    String stored = redis.cli("GET", namespace + ":c:k");
    assertThat(stored).as("header, then the text").isNotEqualTo("vält").contains("vält");
    assertThat(cache.get("k")).isEqualTo("vält");
  }

  @Test
  void get_valueWrittenByRedisCli_framedByDefault_isACountedMissAndDeleted() {
    Cache<String, String> cache = engine().cache("c", String.class, String.class);
    redis.cli("SET", namespace + ":c:from-cli", "hello");

    assertThat(cache.get("from-cli")).isNull();

    assertThat(cache.stats().errorCount()).isOne();
    // The delete is sent without waiting, so that the reader does not pay for it.
    RedisOutageTest.await("the unreadable entry is deleted",
        () -> "0".equals(redis.cli("EXISTS", namespace + ":c:from-cli")));
  }

  @Test
  void cache_plainFormatForValuesThatAreNotText_throwsCacheConfigExceptionNamingTheKey() {
    CacheEngine engine = engine("redis.value-format", "plain");

    assertThatThrownBy(() -> engine.cache("objects", String.class, Duration.class))
        .isInstanceOf(io.ucache.CacheConfigException.class)
        .hasMessageContaining("redis.value-format").hasMessageContaining("objects");
  }

  @Test
  void put_withTtl_pttlVisibleInRedis() {
    Cache<String, String> cache = engine("ttl", "10m", "require", "per-entry-ttl")
        .cache("c", String.class, String.class);

    cache.put("default", "v");
    cache.put("own", "v", Duration.ofSeconds(30));

    assertThat(Long.parseLong(redis.cli("PTTL", namespace + ":c:default")))
        .isBetween(590_000L, 600_000L);
    assertThat(Long.parseLong(redis.cli("PTTL", namespace + ":c:own")))
        .isBetween(20_000L, 30_000L);
  }

  @Test
  void put_cachedNullAndEmptyString_neverConfused() {
    Cache<String, String> cache = engine("null-values", "true").cache("c", String.class,
        String.class);

    cache.put("null", null);
    cache.put("empty", "");

    assertThat(cache.lookup("null")).isEqualTo(new CachedValue<String>(null));
    assertThat(cache.lookup("empty")).isEqualTo(new CachedValue<>(""));
    assertThat(cache.lookup("absent")).isNull();
  }

  @Test
  void put_bytesStartingWithTheMarkerByte_readBackExactly() {
    Cache<String, byte[]> cache = engine("null-values", "true").cache("b", String.class,
        byte[].class);
    byte[] tricky = {(byte) 0xFF, 0x00};

    cache.put("k", tricky);
    cache.put("null", null);

    assertThat(cache.get("k")).isEqualTo(tricky);
    assertThat(cache.lookup("null")).isEqualTo(new CachedValue<byte[]>(null));
  }

  @Test
  void put_veryLongKey_hashedAndStillListedByKeys() {
    Cache<String, String> cache = engine().cache("long", String.class, String.class);
    String longKey = "k".repeat(RedisKeys.MAX_PLAIN * 4);

    cache.put(longKey, "v");
    cache.put("#hash-lookalike", "w");

    assertThat(cache.get(longKey)).isEqualTo("v");
    assertThat(cache.get("#hash-lookalike")).isEqualTo("w");
    try (Stream<String> keys = cache.keys()) {
      assertThat(keys.toList()).containsExactlyInAnyOrder(longKey, "#hash-lookalike");
    }
    assertThat(redis.cli("--scan", "--pattern", namespace + ":long:*").lines()
        .mapToInt(String::length).max().orElseThrow()).isLessThan(100);
  }

  @Test
  void clear_leavesOtherCachesAndForeignKeysAlone() {
    CacheEngine engine = engine();
    Cache<String, String> cleared = engine.cache("c", String.class, String.class);
    Cache<String, String> other = engine.cache("c2", String.class, String.class);
    for (int i = 0; i < 2_500; i++) {
      cleared.put("k" + i, "v");
    }
    other.put("k", "v");
    redis.cli("SET", namespace + ":c", "foreign");
    redis.cli("SET", namespace + "x:c:k", "foreign");
    redis.cli("SET", "foreign:" + namespace + ":c:k", "foreign");

    cleared.clear();

    assertThat(cleared.keys().count()).isZero();
    assertThat(other.get("k")).isEqualTo("v");
    assertThat(redis.cli("GET", namespace + ":c")).isEqualTo("foreign");
    assertThat(redis.cli("GET", namespace + "x:c:k")).isEqualTo("foreign");
    assertThat(redis.cli("GET", "foreign:" + namespace + ":c:k")).isEqualTo("foreign");
  }

  @Test
  void bulkOperations_hundredKeys_oneCommandEach() {
    Cache<String, String> cache = engine().cache("bulk", String.class, String.class);
    Map<String, String> entries = new LinkedHashMap<>();
    IntStream.range(0, 100).forEach(i -> entries.put("k" + i, "v" + i));
    redis.cli("CONFIG", "RESETSTAT");

    cache.putAll(entries);
    Map<String, String> read = cache.getAll(entries.keySet());
    cache.evictAll(entries.keySet());

    assertThat(read).isEqualTo(entries);
    assertThat(cache.getAll(entries.keySet())).isEmpty();
    String stats = redis.cli("INFO", "commandstats");
    assertThat(calls(stats, "mset")).isEqualTo(1);
    assertThat(calls(stats, "mget")).isEqualTo(2);
    assertThat(calls(stats, "unlink")).isEqualTo(1);
    assertThat(calls(stats, "get")).isZero();
    assertThat(calls(stats, "set")).isZero();
  }

  @Test
  void putAll_withTtl_pipelinedSetPx() {
    Cache<String, String> cache = engine("ttl", "1h").cache("bulk-ttl", String.class,
        String.class);
    Map<String, String> entries = new LinkedHashMap<>();
    IntStream.range(0, 100).forEach(i -> entries.put("k" + i, "v" + i));
    redis.cli("CONFIG", "RESETSTAT");

    cache.putAll(entries);

    assertThat(calls(redis.cli("INFO", "commandstats"), "set")).isEqualTo(100);
    assertThat(Long.parseLong(redis.cli("PTTL", namespace + ":bulk-ttl:k99")))
        .isGreaterThan(3_500_000L);
  }

  @Test
  void secondEngine_sameNamespace_seesTheSameEntries() {
    Cache<String, String> first = engine().cache("shared", String.class, String.class);
    Cache<String, String> second = engine().cache("shared", String.class, String.class);

    first.put("k", "v");

    assertThat(second.get("k")).isEqualTo("v");
    second.evict("k");
    assertThat(first.get("k")).isNull();
  }

  @Test
  void engines_discovery_listsRedisWithItsCapabilitiesBelowTheDefaults() {
    var info = EngineManager.getDefault().engines().stream()
        .filter(e -> e.name().equals("redis")).findFirst().orElseThrow();

    assertThat(info.available()).isTrue();
    assertThat(info.capabilities()).containsExactlyInAnyOrder(Capability.SHARED,
        Capability.DISTRIBUTED, Capability.PER_ENTRY_TTL, Capability.NATIVE_ASYNC,
        Capability.BULK);
    assertThat(new RedisEngineProvider().priority()).isLessThan(50);
  }

  @Test
  void cache_nameWithColon_refused() {
    CacheEngine engine = engine();

    assertThatThrownBy(() -> engine.cache("a:b", String.class, String.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("':'");
  }

  @Test
  void create_withoutUrl_failsNamingTheKey() {
    assertThatThrownBy(() -> EngineManager.getDefault()
        .create(CacheConfig.builder().engine("redis").build()))
        .hasMessageContaining("redis.url");
  }

  @Test
  void toString_engine_namesServerAndNamespace() {
    assertThat(engine().toString()).contains(redis.url(), namespace);
  }

  private static long calls(String commandStats, String command) {
    return commandStats.lines()
        .filter(line -> line.startsWith("cmdstat_" + command + ":"))
        .map(line -> line.replaceAll("^[^:]*:calls=(\\d+),.*", "$1"))
        .mapToLong(Long::parseLong).sum();
  }

  static Set<String> threadNames() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .map(Thread::getName).collect(Collectors.toSet());
  }
}
